"""REG-1..REG-9 end to end: one person registers a personal mini program in the browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from miniport.accounts.models import Account, Draft, RegistrationStatus
from miniport.console import session as console_session
from miniport.identities import services as identity_services
from miniport.miniprograms.models import MiniProgram
from tests.console.conftest import (
    PASSWORD,
    PERSON_NAME,
    PHONE,
    captcha_of,
    id_number,
    sms_code,
    zh_client,
)

pytestmark = pytest.mark.django_db


def test_a_person_registers_and_lands_on_the_console_home(make_identity):
    """REG-1..REG-9: account form with the real captcha, activation mail, subject, SMS code,
    administrator scan, final confirmation, console home."""
    admin = make_identity("zhangsan", real_name=PERSON_NAME, id_number=id_number())
    browser = zh_client()

    # ① account information, with the captcha read as a person reads the image
    page = browser.get("/register/")
    key, answer = captcha_of(page.content.decode())
    response = browser.post(
        "/register/",
        {
            "email": "Person@Example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "captcha_0": key,
            "captcha_1": answer.upper(),
            "agree": "on",
        },
    )
    assert response.url == "/register/sent/"

    # ② email activation, through the link in the mail
    assert "person@example.com" in browser.get("/register/sent/").content.decode()
    link = re.search(r"(/register/activate/[\w-]+/)", mail.outbox[0].body).group(1)
    response = browser.get(link)
    assert response.url == "/register/info/"

    # ③ information registration: the subject
    assert browser.get("/register/info/?country=CN&subject_type=personal").status_code == 200
    response = browser.post(
        "/register/info/",
        {
            "country": "CN",
            "subject_type": "personal",
            "name": PERSON_NAME,
            "id_number": id_number(),
        },
    )
    assert response.url == "/register/admin/"

    # the administrator's phone, with the code the SMS backend delivered
    assert browser.post("/register/sms/", {"phone": PHONE}).status_code == 200
    response = browser.post("/register/admin/", {"phone": PHONE, "sms_code": sms_code(PHONE)})
    assert response.url == "/register/admin/"

    # the administrator scans the QR code on the page and confirms on the phone
    html = browser.get("/register/admin/").content.decode()
    token = re.search(r'data-token="([\w-]+)"', html).group(1)
    assert browser.get(f"/m/tickets/{token}/status").json() == {"status": "pending"}
    identity_services.ticket_confirm(identity=admin, token=token)
    assert browser.get(f"/m/tickets/{token}/status").json() == {"status": "confirmed"}
    response = browser.post("/register/admin/check/")
    assert response.url == "/register/confirm/"

    # the final confirmation: the subject can never change afterwards
    confirm_page = browser.get("/register/confirm/").content.decode()
    assert id_number() not in confirm_page
    assert PHONE not in confirm_page
    response = browser.post("/register/confirm/", {"understood": "on"})
    assert response.url == "/"

    account = Account.objects.get(email="person@example.com")
    miniprogram = MiniProgram.objects.get(account=account)
    assert miniprogram.admin_identity == admin
    assert miniprogram.subject.registration.status == RegistrationStatus.ACTIVE
    assert not Draft.objects.filter(registration__account=account).exists()
    assert browser.session[console_session.IDENTITY] == admin.pk

    home = browser.get("/")
    html = home.content.decode()
    assert home.status_code == 200
    assert miniprogram.appid in html
    assert 'data-status="active"' in html
