"""Issue 10 item 2 in a real browser: "forgot account or password" from the login page,
the reset mail written by the worker into the mail folder, its link, the new password,
and the next login, which still stops at the administrator's scan; and the forgotten
email, shown after the administrator's scan on the phone (a second browser)."""

from __future__ import annotations

import email
import re
from email import policy as email_policy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from miniport.accounts.models import PasswordResetToken
from miniport.cli.worker import sweep
from miniport.core import deliveries
from tests.browser.conftest import PhoneUser, captcha_answer, phone_sign_in, scan_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Brand-new-pass9"
ADMIN = PhoneUser(wechat_id="wangwu_admin", password="phone-pass-3")


def run_worker() -> None:
    """One pass of `miniport worker`: the outbox swept, the due deliveries run."""
    sweep()
    for pk in deliveries.due_ids():
        deliveries.run(pk)


def mails_to(address: str) -> list[email.message.EmailMessage]:
    """The mails the file backend wrote for `address`, oldest first."""
    found = []
    for path in sorted(Path(django_settings.EMAIL_FILE_PATH).glob("*.log")):
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                message = email.message_from_bytes(raw.strip(), policy=email_policy.default)
                if address in str(message["To"]):
                    found.append(message)
    return found


@pytest.fixture
def app(provision, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    return provision("personal")


def test_a_forgotten_password_is_reset_by_mail_and_the_next_login_still_asks_for_the_scan(
    site, computer, app, screenshot
):
    """Issue 10 item 2: forgot → mail → link → new password → login → the scan step."""
    account = app.miniprogram.account
    page = computer
    page.goto(f"{site.url}/login/")
    screenshot(page, "reset-01-login")
    with page.expect_navigation():
        page.click("[data-testid=forgot-entry] a")
    assert page.url == f"{site.url}/login/forgot/"
    page.fill("input[name=email]", account.email)
    page.fill("input[name=captcha_1]", captcha_answer(page))
    screenshot(page, "reset-02-forgot")
    with page.expect_navigation():
        page.click("form[data-testid=forgot-form] button.btn[type=submit]")
    assert page.url == f"{site.url}/login/forgot/sent/"
    assert account.email in page.inner_text("[data-testid=forgot-sent]")
    screenshot(page, "reset-03-sent")

    # The request sent nothing itself: the worker writes the mail.
    assert mails_to(account.email) == []
    run_worker()
    [mail] = mails_to(account.email)
    body = mail.get_content()
    links = set(re.findall(r"https?://\S+/login/reset/[\w-]+/", body))
    assert len(links) == 1, body
    [link] = links
    assert link.startswith(f"{site.url}/login/reset/")

    page.goto(link)
    assert page.url == f"{site.url}/login/reset/"  # the token left the address bar
    assert account.email in page.inner_text("[data-testid=reset-password]")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=password_confirm]", NEW_PASSWORD)
    screenshot(page, "reset-04-new-password")
    with page.expect_navigation():
        page.click("form[data-testid=reset-form] button[type=submit]")
    assert page.url == f"{site.url}/login/"
    assert page.locator("[data-testid=appid]").count() == 0
    screenshot(page, "reset-05-password-changed")

    # The link works once.
    again = page.context.new_page()
    again.goto(link)
    assert again.get_attribute("[data-testid=reset-error]", "data-code") == (
        "PASSWORD_RESET_INVALID"
    )
    again.close()
    assert PasswordResetToken.objects.get().used_at is not None

    page.fill("input[name=email]", account.email)
    page.fill("input[name=password]", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    assert page.url == f"{site.url}/login/scan/"
    assert page.locator("[data-testid=ticket] img").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "reset-06-scan-still-required")


def test_a_forgotten_email_is_shown_partly_hidden_after_the_administrators_scan(
    site, computer, phone, make_identity, provision, screenshot
):
    """Issue 10 item 2 (忘记帐号): the administrator scans on the phone; the page that
    showed the QR moves on by itself and shows the email, partly hidden."""
    make_identity(ADMIN.wechat_id, password=ADMIN.password)
    app = provision("personal", admin_wechat_id=ADMIN.wechat_id)
    email = app.miniprogram.account.email
    page = computer
    page.goto(f"{site.url}/login/forgot/")
    with page.expect_navigation():
        page.click("[data-testid=recover-account-entry] a")
    assert page.url == f"{site.url}/login/recover/"
    screenshot(page, "recover-01-qr")

    phone_sign_in(phone, site, ADMIN)
    phone.goto(scan_link(page, site))
    screenshot(phone, "recover-02-phone")
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    assert phone.get_attribute("[data-testid=scan-result]", "data-status") == "confirmed"

    # ticket-poll.js sees the confirmation and goes on by itself
    page.wait_for_url(f"{site.url}/login/recover/found/")
    shown = page.inner_text("[data-testid=recovered-emails]")
    assert shown.strip() == email[0] + "***@" + email.split("@")[1]
    assert email not in page.content()
    screenshot(page, "recover-03-found")
