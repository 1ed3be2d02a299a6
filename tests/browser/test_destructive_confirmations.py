"""Destructive console actions ask first, in a real browser: the member list's "Remove"
and the official-account profile's "Reset the AppSecret" open a confirmation page naming
the member or the official account; its Cancel goes back with nothing changed, its own
button acts."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import services as oa_services
from miniport.links.official_accounts.models import OfficialAccount
from miniport.miniprograms.models import Member
from tests.browser.conftest import console_sign_in
from tests.console.console_routes import add_confirmed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_removing_a_member_passes_through_its_confirmation(
    site, computer, provision, make_identity, screenshot
):
    app = provision("personal")
    mp = app.miniprogram
    member = add_confirmed(
        mp, make_identity("alice_dev", nickname="Alice"), "project", ("developer",)
    )
    page = computer
    console_sign_in(page, site, app)

    page.goto(f"{site.url}/members/")
    with page.expect_navigation():
        page.click("tr[data-member='alice_dev'] [data-testid=remove-member]")
    assert page.url == f"{site.url}/members/{member.pk}/remove/"
    assert "Alice" in page.inner_text("[data-testid=confirm-member]")
    assert "立即失去" in page.inner_text("[data-testid=confirm-consequence]")
    screenshot(page, "confirm-member-remove")
    with page.expect_navigation():
        page.click("[data-testid=confirm-cancel]")
    assert page.url == f"{site.url}/members/"
    assert Member.objects.filter(pk=member.pk).exists()

    with page.expect_navigation():
        page.click("tr[data-member='alice_dev'] [data-testid=remove-member]")
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    assert page.url == f"{site.url}/members/"
    assert not Member.objects.filter(pk=member.pk).exists()
    assert page.locator("tr[data-member='alice_dev']").count() == 0


def test_resetting_an_official_accounts_secret_passes_through_its_confirmation(
    site, computer, make_identity, screenshot
):
    admin = make_identity("oa_browser_admin")
    oa, _secret = oa_services.official_account_create(
        actor=Actor.system("tests"), name="浏览器公众号", admin=admin
    )
    before = oa.secret_digest
    page = computer
    page.goto(f"{site.url}/oa/{oa.appid}/profile/")
    assert "/linked/signin/" in page.url
    ticket = QrTicket.objects.filter(status="pending").latest("pk")
    identity_services.ticket_confirm(identity=admin, token=ticket.token)
    page.wait_for_url(f"{site.url}/oa/{oa.appid}/profile/")

    with page.expect_navigation():
        page.click("[data-testid=oa-secret-reset]")
    assert page.url == f"{site.url}/oa/{oa.appid}/profile/secret/"
    assert "浏览器公众号" in page.inner_text("[data-testid=confirm-consequence]")
    screenshot(page, "confirm-oa-secret-reset")
    with page.expect_navigation():
        page.click("[data-testid=confirm-cancel]")
    assert page.url == f"{site.url}/oa/{oa.appid}/profile/"
    assert OfficialAccount.objects.get(pk=oa.pk).secret_digest == before

    with page.expect_navigation():
        page.click("[data-testid=oa-secret-reset]")
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    assert page.url == f"{site.url}/oa/{oa.appid}/profile/secret/shown/"
    assert len(page.inner_text("[data-testid=secret-value]")) == 32
    assert page.content().count("原AppSecret已失效") == 1
    assert OfficialAccount.objects.get(pk=oa.pk).secret_digest != before
