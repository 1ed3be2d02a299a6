"""REG-1..REG-9 in a real browser: a person registers a personal mini program from the
first form to the console home, the administrator confirming by phone in a second browser."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

from miniport.accounts.models import Account, Draft, RegistrationStatus, Subject
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.miniprograms.models import MiniProgram
from tests.browser.conftest import PhoneUser, captcha_answer, phone_sign_in, scan_link, sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "zhangsan.dev@example.com"
PASSWORD = "Secret-pass-1"
PERSON_NAME = "张三"
ID_NUMBER = make_id_number(date(1990, 5, 17), sequence=417)
PHONE = "13800138000"
IDENTITY = PhoneUser(wechat_id="zhangsan_phone", password="phone-pass-1")


@pytest.fixture
def administrator(db):
    """The real-name adult identity matching the subject typed into the form."""
    return identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=IDENTITY.wechat_id,
        real_name=PERSON_NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        password=IDENTITY.password,
    )


def activation_link(site) -> str:
    [message] = [m for m in mail.outbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/register/activate/[\w-]+/", message.body).group(0)
    assert link.startswith(f"{site.url}/"), link
    return link


def test_a_person_registers_a_personal_mini_program_and_reaches_the_console_home(
    site, computer, phone, administrator, screenshot
):
    """REG-1..REG-9: account form with captcha, activation mail, personal subject, SMS code,
    QR check confirmed on the phone, final confirmation, console home with the AppID."""
    page = computer

    # ① account information
    page.goto(f"{site.url}/register/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.fill("input[name=captcha_1]", captcha_answer(page))
    page.check("input[name=agree]")
    screenshot(page, "registration-01-account-form")
    with page.expect_navigation():
        page.click("form[data-testid=register-form] button.btn")
    assert page.url == f"{site.url}/register/sent/"
    assert EMAIL in page.inner_text("[data-testid=sent-to]")
    screenshot(page, "registration-02-activation-sent")

    # ② email activation through the link in the mail
    page.goto(activation_link(site))
    assert page.url == f"{site.url}/register/info/"
    assert Account.objects.get(email=EMAIL).is_active

    # ③ information registration: country and subject type, then the person's fields
    page.select_option("#id_select_country", "CN")
    screenshot(page, "registration-03-subject-type")
    with page.expect_navigation():  # the fields show on choice, no "select" click
        page.check("form[data-testid=subject-select] input[value=personal]")
    page.fill("form[data-testid=subject-form] input[name=name]", PERSON_NAME)
    page.fill("form[data-testid=subject-form] input[name=id_number]", ID_NUMBER)
    screenshot(page, "registration-04-subject-information")
    with page.expect_navigation():
        page.click("form[data-testid=subject-form] button[type=submit]")
    assert page.url == f"{site.url}/register/admin/"

    # the administrator's phone and the code the SMS backend delivered
    page.fill("input[name=phone]", PHONE)
    with page.expect_navigation():
        page.click("[data-testid=get-code]")
    assert page.locator("[data-testid=sms-sent]").is_visible()
    page.fill("input[name=sms_code]", sms_code(PHONE))
    screenshot(page, "registration-05-administrator-phone")
    with page.expect_navigation():
        page.click("form[data-testid=admin-form] button[type=submit]:not([formaction])")
    assert page.url == f"{site.url}/register/admin/"
    qr = page.locator("[data-testid=ticket] img")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    screenshot(page, "registration-06-administrator-qr")

    # the identity scans on the phone and confirms; the computer goes on by itself
    phone_sign_in(phone, site, IDENTITY)
    screenshot(phone, "registration-07-phone-signed-in")
    phone.goto(scan_link(page, site))
    assert phone.locator("[data-testid=scan-confirm]").is_visible()
    screenshot(phone, "registration-08-phone-scan")
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    assert phone.get_attribute("[data-testid=scan-result]", "data-status") == "confirmed"
    screenshot(phone, "registration-09-phone-confirmed")
    page.wait_for_url(f"{site.url}/register/confirm/")

    # the final confirmation warns that the subject can never change
    assert page.locator("[data-testid=immutable-warning]").is_visible()
    summary = page.inner_text("[data-testid=summary]")
    assert PERSON_NAME in summary and ID_NUMBER not in summary and PHONE not in summary
    page.check("input[name=understood]")
    screenshot(page, "registration-10-confirmation")
    with page.expect_navigation():
        page.click("form[data-testid=confirm-form] button[type=submit]")

    # the console home: AppID and the release checklist
    assert page.url == f"{site.url}/"
    miniprogram = MiniProgram.objects.select_related("subject__registration").get(
        account__email=EMAIL
    )
    assert page.inner_text("[data-testid=appid]") == miniprogram.appid
    assert page.get_attribute("[data-testid=registration-state]", "data-status") == "active"
    assert page.locator("[data-testid=checklist] li").count() >= 5
    assert page.locator("[data-testid=logout]").is_visible()
    screenshot(page, "registration-11-console-home")

    assert miniprogram.admin_identity == administrator
    assert miniprogram.subject.registration.status == RegistrationStatus.ACTIVE
    subject = Subject.objects.get(pk=miniprogram.subject.pk)
    assert subject.confirmed_at is not None
    assert (subject.subject_type, subject.name, subject.id_number) == (
        "personal",
        PERSON_NAME,
        ID_NUMBER,
    )
    assert subject.admin_identity == administrator
    assert not Draft.objects.filter(registration__account__email=EMAIL).exists()
