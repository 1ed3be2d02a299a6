"""Helpers for driving the console pages like a browser would."""

from __future__ import annotations

import re
from datetime import date

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.test import Client

from miniport.accounts.models import Account, Draft, Registration
from miniport.console import session as console_session
from miniport.core import sms
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.identities.models import Identity

PASSWORD = "Secret-pass-1"
BORN = date(1990, 5, 17)
PERSON_NAME = "张三"
PHONE = "13800138000"
ORG_NAME = "深圳市小程序科技有限公司"
CREDIT_CODE = "91440300MA5F000001"


def zh_client() -> Client:
    return Client()


def en_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def id_number(sequence: int = 301, born: date = BORN) -> str:
    return make_id_number(born, sequence=sequence)


def captcha_of(html: str) -> tuple[str, str]:
    """The captcha key rendered in a page and its answer, read from the store like a
    person reads the image."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def register_form_data(client: Client, email: str, **overrides) -> dict:
    page = client.get("/register/")
    key, answer = captcha_of(page.content.decode())
    data = {
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "captcha_0": key,
        "captcha_1": answer,
        "agree": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def activation_path(email: str) -> str:
    """The path of the newest activation link mailed to an address."""
    for message in reversed(mail.outbox):
        if email in message.to:
            return re.search(r"https?://[^/\s]+(/register/activate/[\w-]+/)", message.body).group(1)
    raise AssertionError(f"no activation mail to {email}")


def sms_code(phone: str) -> str:
    return re.search(r"(\d{6})", sms.messages_to(phone)[-1]["text"]).group(1)


def draft_of(account: Account) -> Draft:
    return Draft.objects.get(registration__account=account)


def registration_of(account: Account) -> Registration:
    return Registration.objects.get(account=account)


class Journey:
    """One browser going through the registration wizard."""

    def __init__(self, client: Client, email: str):
        self.client = client
        self.email = email

    @property
    def account(self) -> Account:
        return Account.objects.get(email=self.email)

    def register(self) -> None:
        response = self.client.post("/register/", register_form_data(self.client, self.email))
        assert response.status_code == 302, response.content.decode()[:2000]

    def activate(self) -> None:
        response = self.client.get(activation_path(self.email))
        assert response.status_code == 302

    def save_personal_subject(self, *, name: str = PERSON_NAME, number: str | None = None):
        return self.client.post(
            "/register/info/",
            {
                "country": "CN",
                "subject_type": "personal",
                "name": name,
                "id_number": number or id_number(),
            },
        )

    def save_organization_subject(self, subject_type: str, method: str, *, country: str = "CN"):
        return self.client.post(
            "/register/info/",
            {
                "country": country,
                "subject_type": subject_type,
                "name": ORG_NAME,
                "credit_code": CREDIT_CODE,
                "verification_method": method,
            },
        )

    def send_sms(self, phone: str = PHONE, **fields):
        return self.client.post("/register/sms/", {"phone": phone, **fields})

    def save_admin(self, phone: str = PHONE, *, code: str | None = None, **fields):
        return self.client.post(
            "/register/admin/", {"phone": phone, "sms_code": code or sms_code(phone), **fields}
        )

    def admin_ticket(self) -> str:
        """Open the administrator page (which shows the QR) and return the ticket token."""
        response = self.client.get("/register/admin/")
        assert response.status_code == 200
        return draft_of(self.account).admin_check_ticket

    def confirm_admin(self, identity: Identity):
        token = self.admin_ticket()
        identity_services.ticket_confirm(identity=identity, token=token)
        return self.client.post("/register/admin/check/")

    def confirm(self):
        return self.client.post("/register/confirm/", {"understood": "on"})


@pytest.fixture
def journey(db):
    def start(email: str = "dev@example.com", client: Client | None = None) -> Journey:
        return Journey(client or zh_client(), email)

    return start


@pytest.fixture
def personal_admin(make_identity):
    """The real-name identity matching the personal subject the journeys register."""
    return make_identity("zhangsan_admin", real_name=PERSON_NAME, id_number=id_number())


@pytest.fixture
def at_admin_step(journey):
    """A personal registration whose subject is saved; the browser is logged in."""
    trip = journey()
    trip.register()
    trip.activate()
    response = trip.save_personal_subject()
    assert response.status_code == 302
    return trip


@pytest.fixture
def ready_to_confirm(at_admin_step, personal_admin):
    trip = at_admin_step
    trip.send_sms()
    assert trip.save_admin().status_code == 302
    response = trip.confirm_admin(personal_admin)
    assert response.status_code == 302, response.content.decode()[:2000]
    return trip


def two_step_login(client: Client, provisioned, *, ip: str = "10.0.0.1") -> str:
    """Password step, then the administrator confirms the login ticket; returns the token."""
    response = client.post(
        "/login/",
        {"email": provisioned.miniprogram.account.email, "password": provisioned.password},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302 and response.url == "/login/scan/"
    assert client.get("/login/scan/").status_code == 200
    token = client.session[console_session.LOGIN_TICKET]
    admin = Identity.objects.get(wechat_id=provisioned.admin_wechat_id)
    identity_services.ticket_confirm(identity=admin, token=token)
    return token
