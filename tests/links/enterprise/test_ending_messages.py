"""WW-2: ending from the mini program's side says what ended: a request of ours is
cancelled, one of the enterprise's refused, an active association ended."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.core.actors import Actor
from miniport.links.enterprise.models import Association, AssociationStatus
from miniport.links.enterprise.services import associations
from tests.links.enterprise.test_console_pages import console

pytestmark = pytest.mark.django_db


def test_cancelling_our_own_pending_request_says_the_request_was_cancelled(corp, live_app):
    client = console(live_app.admin, live_app.miniprogram.appid)
    association, _ticket = associations.request_from_miniprogram(
        actor=Actor.for_identity(live_app.admin),
        miniprogram=live_app.miniprogram,
        corp_id=corp.corp_id,
        session_key="tests",
    )
    page = client.post(
        reverse("console:links_enterprise_act"),
        {"op": "end", "association": association.pk},
        follow=True,
    ).content.decode()
    assert "The request was cancelled." in page
    assert "The association has ended." not in page
    assert Association.objects.get(pk=association.pk).status != AssociationStatus.ACTIVE
