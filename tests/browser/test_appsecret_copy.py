"""Issue 10 item 7 in a real browser: the AppSecret page after the administrator's scan is
reached by redirect (a reload asks nothing and shows the secret no longer), and its copy
button (copy-button.js, CSP-safe) puts the secret on the clipboard."""

from __future__ import annotations

import pytest

from miniport.identities import services as identity_services
from miniport.identities.models import Identity, QrTicket
from miniport.miniprograms import purposes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_latest(purpose: str, identity: Identity) -> None:
    ticket = QrTicket.objects.filter(purpose=purpose, status="pending").latest("pk")
    identity_services.ticket_confirm(identity=identity, token=ticket.token)


def test_the_secret_is_shown_once_after_a_redirect_and_copied(
    site, computer, provision, screenshot
):
    app = provision("personal")
    admin = app.miniprogram.admin_identity
    page = computer
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)

    page.goto(f"{site.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    confirm_latest("login", admin)
    page.wait_for_url(f"{site.url}/")

    page.goto(f"{site.url}/settings/dev/")
    with page.expect_navigation():
        page.click("[data-testid=secret-reset]")
    assert page.url == f"{site.url}/settings/dev/secret/confirm/"
    confirm_latest(purposes.SECRET_RESET, admin)
    # ticket-poll.js posts the confirmation; the answer is a redirect to a GET page
    page.wait_for_url(f"{site.url}/settings/dev/secret/shown/")
    secret = page.inner_text("[data-testid=secret-value]")
    assert len(secret) == 32
    assert page.locator("[data-testid=secret-reset-note]").is_visible()
    screenshot(page, "appsecret-shown-once")

    copy = page.locator("[data-testid=secret-copy]")
    assert copy.is_visible()
    copy.click()
    page.wait_for_selector("[data-testid=secret-copy][data-copied]")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert page.inner_text("[data-copy-status]") == "已复制"

    page.reload()  # a GET: no resend question, and the secret is gone
    assert page.url == f"{site.url}/settings/dev/"
    assert secret not in page.content()
