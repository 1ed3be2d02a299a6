"""REG-10 in a real browser: ticket-poll.js follows the QR ticket and finishes the login."""

from __future__ import annotations

import pytest

from miniport.identities import services as identity_services
from miniport.identities.models import Identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, site):
    """An English desktop page on the shared Debian Chromium (see tests/browser/conftest.py)."""
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(10000)
    yield context.new_page()
    context.close()


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
