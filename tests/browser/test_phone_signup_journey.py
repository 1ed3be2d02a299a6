"""issue 10 item 1 in a real browser: a person with no super-app account signs up on the
phone pages (WeChat ID, password, phone with the SMS code the backend wrote, name and ID
number), then registers a personal mini program at the computer and completes it with
the new identity scanning the administrator's QR code."""

from __future__ import annotations

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from miniport.accounts.models import RegistrationStatus
from miniport.core import sms
from miniport.core.validators import make_id_number
from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram
from tests.browser.conftest import captcha_answer, scan_link, sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "wangfang.dev@example.com"
PASSWORD = "Secret-pass-2"
PERSON_NAME = "王芳"
ID_NUMBER = make_id_number(date(1992, 8, 23), sequence=518)
PHONE = "13700137000"
WECHAT_ID = "wangfang_92"
PHONE_PASSWORD = "phone-pass-2"


def signup_code() -> str:
    """The code as the person reads it on the phone: the message the SMS backend wrote."""
    [message] = sms.messages_to(PHONE)
    return re.search(r"\b(\d{6})\b", message["text"]).group(1)


def activation_link(site) -> str:
    [message] = [m for m in mail.outbox if EMAIL in m.to]
    return re.search(r"https?://\S+/register/activate/[\w-]+/", message.body).group(0)


def choose_personal_subject(page) -> None:
    """The subject's fields appear on choice; a page without the script has a button."""
    page.select_option("#id_select_country", "CN")
    page.check("form[data-testid=subject-select] input[value=personal]")
    try:
        page.wait_for_selector("form[data-testid=subject-form] input[name=name]", timeout=5000)
    except PlaywrightTimeout:
        with page.expect_navigation():
            page.click("form[data-testid=subject-select] button[type=submit]")


def test_sign_up_on_the_phone_pages_into_a_completed_registration(
    site, computer, phone, screenshot
):
    """issue 10 item 1: sign-up on the phone pages, then REG-1..REG-9 with that identity
    as the scanning administrator."""
    # The phone: from the sign-in page to the sign-up
    phone.goto(f"{site.url}/m/login/")
    screenshot(phone, "phone-signup-01-sign-in-page")
    with phone.expect_navigation():
        phone.click("[data-testid=signup-link] a")
    assert phone.url.startswith(f"{site.url}/m/signup/")
    phone.fill("input[name=wechat_id]", WECHAT_ID)
    phone.fill("input[name=phone]", PHONE)
    with phone.expect_navigation():
        phone.click("[data-testid=signup-get-code]")
    assert phone.locator("[data-testid=signup-sms-sent]").is_visible()
    assert phone.input_value("input[name=wechat_id]") == WECHAT_ID  # kept
    phone.fill("input[name=sms_code]", signup_code())
    phone.fill("input[name=password]", PHONE_PASSWORD)
    phone.fill("input[name=password_confirm]", PHONE_PASSWORD + "x")
    phone.fill("input[name=real_name]", PERSON_NAME)
    phone.fill("input[name=id_number]", ID_NUMBER)
    # A refusal names its field, keeps what was typed (not the passwords), stores nothing
    with phone.expect_navigation():
        phone.click("[data-testid=signup-submit]")
    assert phone.locator("[data-testid=error-password_confirm]").is_visible()
    assert phone.input_value("input[name=real_name]") == PERSON_NAME
    assert not Identity.objects.filter(wechat_id=WECHAT_ID).exists()
    screenshot(phone, "phone-signup-02-refused")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(phone).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == []
    phone.fill("input[name=password]", PHONE_PASSWORD)
    phone.fill("input[name=password_confirm]", PHONE_PASSWORD)
    screenshot(phone, "phone-signup-03-form-filled")
    with phone.expect_navigation():
        phone.click("[data-testid=signup-submit]")
    assert phone.url == f"{site.url}/m/"
    assert phone.inner_text("[data-testid=identity-wechat-id]") == WECHAT_ID
    screenshot(phone, "phone-signup-04-signed-in")
    identity = Identity.objects.get(wechat_id=WECHAT_ID)
    assert identity.real_name_verified and identity.birth_date == date(1992, 8, 23)

    # The computer: the account form, the activation, the personal subject
    page = computer
    page.goto(f"{site.url}/register/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.fill("input[name=captcha_1]", captcha_answer(page))
    page.check("input[name=agree]")
    with page.expect_navigation():
        page.click("form[data-testid=register-form] button.btn")
    assert page.url == f"{site.url}/register/sent/"
    page.goto(activation_link(site))
    assert page.url == f"{site.url}/register/info/"
    choose_personal_subject(page)
    page.fill("form[data-testid=subject-form] input[name=name]", PERSON_NAME)
    page.fill("form[data-testid=subject-form] input[name=id_number]", ID_NUMBER)
    with page.expect_navigation():
        page.click("form[data-testid=subject-form] button[type=submit]")
    assert page.url == f"{site.url}/register/admin/"

    # The administrator's phone and its code, then the QR code with the sign-up hint
    page.fill("input[name=phone]", PHONE)
    with page.expect_navigation():
        page.click("[data-testid=get-code]")
    page.fill("input[name=sms_code]", sms_code(PHONE))
    with page.expect_navigation():
        page.click("form[data-testid=admin-form] button[type=submit]:not([formaction])")
    hint = page.locator("[data-testid=signup-hint] a")
    assert hint.get_attribute("href") == f"{site.url}/m/signup/"
    screenshot(page, "phone-signup-05-administrator-qr-with-sign-up-hint")

    # The new identity scans and confirms; the computer goes on by itself
    phone.goto(scan_link(page, site))
    assert phone.locator("[data-testid=scan-confirm]").is_visible()
    screenshot(phone, "phone-signup-06-scan")
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    assert phone.get_attribute("[data-testid=scan-result]", "data-status") == "confirmed"
    page.wait_for_url(f"{site.url}/register/confirm/")
    page.check("input[name=understood]")
    with page.expect_navigation():
        page.click("form[data-testid=confirm-form] button[type=submit]")
    assert page.url == f"{site.url}/"
    screenshot(page, "phone-signup-07-console-home")

    miniprogram = MiniProgram.objects.select_related("subject__registration").get(
        account__email=EMAIL
    )
    assert page.inner_text("[data-testid=appid]") == miniprogram.appid
    assert miniprogram.admin_identity == identity
    assert miniprogram.subject.registration.status == RegistrationStatus.ACTIVE
