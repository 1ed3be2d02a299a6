"""REG-10 in a real browser: email and password, the administrator's scan on the phone in
a second browser, the console home, then logging out."""

from __future__ import annotations

from datetime import date

import pytest

from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from tests.browser.conftest import PhoneUser, phone_sign_in, scan_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = PhoneUser(wechat_id="lisi_admin", password="phone-pass-2")


@pytest.fixture
def app(db, provision):
    """A registered personal mini program whose administrator can sign in on the phone."""
    identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=ADMIN.wechat_id,
        real_name="李四",
        id_number=make_id_number(date(1988, 3, 9), sequence=233),
        phone="13900139000",
        password=ADMIN.password,
    )
    return provision("personal", admin_wechat_id=ADMIN.wechat_id)


def test_the_administrator_logs_in_with_a_password_and_a_phone_scan_then_logs_out(
    site, computer, phone, app, screenshot
):
    """REG-10: the password alone opens nothing; the bound administrator's scan does."""
    page = computer
    page.goto(f"{site.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    screenshot(page, "login-01-password")
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    assert page.url == f"{site.url}/login/scan/"
    assert page.locator("[data-testid=ticket] img").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "login-02-scan")

    # the password step alone does not open the console
    other = page.context.new_page()
    other.goto(f"{site.url}/")
    assert other.locator("[data-testid=appid]").count() == 0
    other.close()

    phone_sign_in(phone, site, ADMIN)
    phone.goto(scan_link(page, site))
    screenshot(phone, "login-03-phone-scan")
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    assert phone.get_attribute("[data-testid=scan-result]", "data-status") == "confirmed"
    screenshot(phone, "login-04-phone-confirmed")

    # ticket-poll.js sees the confirmation and finishes the login by itself
    page.wait_for_url(f"{site.url}/")
    assert page.inner_text("[data-testid=appid]") == app.miniprogram.appid
    assert page.locator("[data-testid=console-menu]").is_visible()
    screenshot(page, "login-05-console-home")
    assert QrTicket.objects.get(purpose="login").status == "consumed"

    with page.expect_navigation():
        page.click("[data-testid=logout]")
    assert page.locator("[data-testid=appid]").count() == 0
    assert page.locator("[data-testid=landing-login]").is_visible()
    screenshot(page, "login-06-logged-out")
    page.goto(f"{site.url}/settings/basic/")
    assert page.locator("[data-testid=appid]").count() == 0
    assert page.url.startswith(f"{site.url}/login/")
