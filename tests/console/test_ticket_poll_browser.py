"""REG-10 in a real browser: ticket-poll.js follows the QR ticket and finishes the login."""

from __future__ import annotations

import shutil

import pytest

from miniport.identities import services as identity_services
from miniport.identities.models import Identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(monkeypatch):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test
    # itself are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="en-US")
        yield context.new_page()
        browser.close()


def password_step(page, live_server, app) -> str:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/login/scan/")
    return page.get_attribute("[data-testid=ticket]", "data-token")


def test_the_page_logs_in_by_itself_once_the_administrator_confirms(live_server, provision, page):
    """REG-10: the scan page polls the ticket and completes the login when it is confirmed."""
    app = provision("personal")
    token = password_step(page, live_server, app)
    assert page.locator("[data-testid=ticket] img").evaluate("img => img.naturalWidth") > 0
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_confirm(identity=admin, token=token)
    page.wait_for_url(f"{live_server.url}/", timeout=10000)
    assert app.miniprogram.appid in page.content()


def test_a_denied_scan_shows_the_message_and_a_refresh_button(live_server, provision, page):
    app = provision("personal")
    token = password_step(page, live_server, app)
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_deny(identity=admin, token=token)
    refresh = page.locator("[data-ticket-refresh]")
    assert refresh.is_hidden()
    page.wait_for_selector("[data-ticket-state=denied]", timeout=10000)
    assert refresh.is_visible()
    assert "denied" in page.inner_text("[data-ticket-message]")
    refresh.click()
    page.wait_for_load_state()
    assert page.get_attribute("[data-testid=ticket]", "data-token") != token
