"""WW-4 on the phone: /m/work/ shows each member only the mini programs in range, and
opening one goes through the enterprise launch check."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.services import associations
from miniport.mobile.auth import SESSION_IDENTITY
from tests.links.enterprise.conftest import associate

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def phone(identity) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = client.session
    session[SESSION_IDENTITY] = identity.pk
    session.save()
    return client


def test_ww4_the_workbench_shows_the_mini_program_to_members_in_range_only(corp, live_app):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.sales])
    seen = phone(corp.seller.identity).get(reverse("mobile:workbench")).content.decode()
    assert f'data-appid="{live_app.appid}"' in seen and corp.enterprise.name in seen
    unseen = phone(corp.clerk.identity).get(reverse("mobile:workbench")).content.decode()
    assert f'data-appid="{live_app.appid}"' not in unseen
    assert 'data-testid="workbench-empty"' in unseen
    nobody = phone(live_app.outsider).get(reverse("mobile:workbench")).content.decode()
    assert 'data-testid="workbench-none"' in nobody


def test_ww4_opening_from_the_workbench_launches_in_range_and_refuses_outside(corp, live_app):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.sales])
    path = reverse("mobile:workbench_open", args=[corp.corp_id, live_app.appid])
    opened = phone(corp.seller.identity).get(path)
    assert opened.status_code == 200 and 'data-version="1.0.0"' in opened.content.decode()
    refused = phone(corp.clerk.identity).get(path)
    assert refused.status_code == 403
    assert EnterpriseError.OUT_OF_RANGE.message("en") in text(refused)
    stranger = phone(live_app.outsider).get(path)
    assert stranger.status_code == 403
    assert EnterpriseError.NOT_A_MEMBER.message("en") in text(stranger)
    # a refused identity is not told the enterprise's name; a member in range is
    assert corp.enterprise.name not in text(stranger)
    assert 'data-testid="workbench-enterprise"' in opened.content.decode()


def test_unknown_enterprises_and_mini_programs_answer_404_and_visitors_sign_in(corp, live_app):
    client = phone(corp.seller.identity)
    for corp_id, appid in (("ww\x00", live_app.appid), (corp.corp_id, "wx\x00"), ("x", "y")):
        assert (
            client.get(reverse("mobile:workbench_open", args=[corp_id, appid])).status_code == 404
        )
    visitor = Client().get(reverse("mobile:workbench"))
    assert visitor.status_code == 302 and visitor.url.startswith(reverse("mobile:login"))
