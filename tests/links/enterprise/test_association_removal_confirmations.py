"""WW-2, WW-5: removing an active enterprise association asks first, on both sides. The
button leads to a confirmation page (GET) naming the mini program and the enterprise
and what follows, which changes nothing; its button ends the association (the same
POST as before, which still works directly). A request still waiting is cancelled or
refused at once (nothing live goes). A page opened after the association ended says so
and offers no button."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import Association, AssociationStatus, RangeEntry
from miniport.links.enterprise.services import associations
from miniport.web.sentences import sentence
from tests.links.enterprise.conftest import associate
from tests.links.linked_console import linked
from tests.miniprograms.conftest import console_login

pytestmark = pytest.mark.django_db
S = AssociationStatus


def console(identity, appid, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert console_login(client, identity, appid).status_code == 302
    return client


def state() -> list:
    return sorted(Association.objects.values_list("pk", "status", "end_reason")) + sorted(
        RangeEntry.objects.values_list("pk", flat=True)
    )


def end_url(association) -> str:
    return f"{reverse('console:links_enterprise_end')}?association={association.pk}"


def remove_url(corp, association) -> str:
    return (
        f"{reverse('console:enterprise_app', args=[corp.corp_id, association.pk])}?confirm=remove"
    )


def with_range(corp, association) -> None:
    associations.range_set(actor=corp.actor, association=association, departments=[corp.sales])


# --- the mini program's side (Settings › Association settings › Enterprises) -------------


def test_the_mini_programs_remove_button_leads_to_a_confirmation_that_changes_nothing(
    corp, live_app
):
    association = associate(corp, live_app)
    with_range(corp, association)
    client = console(live_app.admin, live_app.appid)
    listing = client.get(reverse("console:links_enterprise")).content.decode()
    assert f'href="{end_url(association)}" data-testid="association-end"' in listing.replace(
        "&amp;", "&"
    )
    before = state()
    page = client.get(end_url(association))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="links-enterprise-end"' in html
    assert corp.enterprise.name in html and corp.corp_id in html
    assert "no longer see the mini program on their workbench" in html
    assert f'action="{reverse("console:links_enterprise_act")}"' in html
    assert 'name="op" value="end"' in html
    assert f'name="association" value="{association.pk}"' in html
    assert 'data-testid="association-end-confirm"' in html
    assert f'href="{reverse("console:links_enterprise")}"' in html  # the way back
    assert state() == before
    done = client.post(
        reverse("console:links_enterprise_act"), {"op": "end", "association": association.pk}
    )
    assert done.status_code == 302
    association.refresh_from_db()
    assert (association.status, association.end_reason) == (S.ENDED, "removed:miniprogram")
    assert not RangeEntry.objects.exists()


def test_a_waiting_request_is_still_cancelled_from_the_list_at_once(corp, live_app):
    client = console(live_app.admin, live_app.appid)
    client.post(reverse("console:links_enterprise_act"), {"op": "start", "corp_id": corp.corp_id})
    association = Association.objects.get()
    listing = client.get(reverse("console:links_enterprise")).content.decode()
    assert 'name="op" value="end"' in listing and 'data-testid="association-end"' in listing
    assert end_url(association) not in listing.replace("&amp;", "&")


def test_the_mini_programs_confirmation_of_an_ended_association_says_so(corp, live_app):
    association = associate(corp, live_app)
    associations.association_end(
        actor=corp.actor, association=association, side="enterprise", reason="removed"
    )
    client = console(live_app.admin, live_app.appid)
    before = state()
    response = client.get(end_url(association))
    assert response.status_code == 409
    html = response.content.decode()
    message = EnterpriseError.NOT_WAITING.message("en", status=S.ENDED.label)
    assert sentence(message) in html
    assert 'data-testid="association-end-confirm"' not in html
    assert state() == before


def test_the_mini_programs_confirmation_is_its_administrators_and_of_its_own_associations(
    corp, live_app, make_identity
):
    from tests.releases.version_support import add_member

    association = associate(corp, live_app)
    operator = make_identity()
    add_member(live_app.miniprogram, operator, kind="project", roles=("operator",))
    assert console(operator, live_app.appid).get(end_url(association)).status_code == 403
    admin = console(live_app.admin, live_app.appid)
    for forged in ("0", "x", "1\x00", ""):
        path = f"{reverse('console:links_enterprise_end')}?association={forged}"
        assert admin.get(path).status_code == 404
    assert admin.post(end_url(association)).status_code == 405
    association.refresh_from_db()
    assert association.status == S.ACTIVE


# --- the enterprise console ------------------------------------------------------------


def test_the_enterprises_remove_button_leads_to_a_confirmation_that_changes_nothing(corp, live_app):
    association = associate(corp, live_app)
    with_range(corp, association)
    client = linked(corp.admin)
    here = reverse("console:enterprise_app", args=[corp.corp_id, association.pk])
    shown = client.get(here).content.decode().replace("&amp;", "&")
    assert f'href="{remove_url(corp, association)}" data-testid="association-remove"' in shown
    before = state()
    page = client.get(remove_url(corp, association))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="association-remove-confirm"' in html
    assert live_app.miniprogram.name in html and live_app.appid in html
    assert "no longer see the mini program on their workbench" in html
    assert 'name="op" value="remove"' in html and 'data-testid="confirm-submit"' in html
    assert f'href="{here}" data-testid="confirm-cancel"' in html
    assert state() == before
    assert client.post(here, {"op": "remove"}).status_code == 302
    association.refresh_from_db()
    assert (association.status, association.end_reason) == (S.ENDED, "removed:enterprise")
    assert not RangeEntry.objects.exists()


def test_the_enterprises_confirmation_of_an_ended_association_says_so(corp, live_app):
    association = associate(corp, live_app)
    associations.association_end(
        actor=corp.actor, association=association, side="miniprogram", reason="removed"
    )
    before = state()
    response = linked(corp.admin).get(remove_url(corp, association))
    assert response.status_code == 409
    html = response.content.decode()
    message = EnterpriseError.NOT_WAITING.message("en", status=S.ENDED.label)
    assert sentence(message) in html
    assert 'data-testid="confirm-submit"' not in html
    assert state() == before


def test_the_enterprises_confirmation_is_for_its_administrators_only(corp, live_app):
    association = associate(corp, live_app)
    assert linked(corp.seller.identity).get(remove_url(corp, association)).status_code == 404
    association.refresh_from_db()
    assert association.status == S.ACTIVE


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_both_confirmations_speak_one_language(corp, live_app, language):
    from tests.i18n.test_one_language_per_page import offending

    association = associate(corp, live_app)
    values = {
        corp.enterprise.name,
        corp.corp_id,
        live_app.miniprogram.name,
        live_app.appid,
        corp.admin.wechat_id,
        live_app.admin.wechat_id,
    }
    for client, url in (
        (console(live_app.admin, live_app.appid, language), end_url(association)),
        (linked(corp.admin, language), remove_url(corp, association)),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert offending(html, language, values) == [], url
