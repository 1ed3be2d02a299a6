"""REG-1 / REG-2: the account form of the registration wizard."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from django.core import mail

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind, Registration
from miniport.console import session as console_session
from miniport.identities.models import Identity
from tests.console.conftest import PASSWORD, captcha_of, register_form_data, zh_client

pytestmark = pytest.mark.django_db


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def nothing_registered(email: str) -> bool:
    return not Account.objects.filter(email=email).exists() and not mail.outbox


def test_form_shows_a_real_captcha_image_the_agreements_and_the_steps():
    """REG-1: email, password, confirmation, captcha, agreements; steps ① ② ③ on the side."""
    page = zh_client().get("/register/")
    html = page.content.decode()
    assert page.status_code == 200
    key, _answer = captcha_of(html)
    assert f'src="/captcha/image/{key}/"' in html
    image = zh_client().get(f"/captcha/image/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    for name in ("email", "password", "password_confirm", "captcha_1", "agree"):
        assert f'name="{name}"' in html
    assert "《" in html and "》" in html
    assert "①" in html and "②" in html and "③" in html


def test_valid_form_creates_an_inactive_account_and_mails_the_activation_link():
    """REG-1 / REG-3: the account exists but stays inactive until the mail's link is used."""
    client = zh_client()
    response = client.post("/register/", register_form_data(client, "new@example.com"))
    assert response.status_code == 302 and response.url == "/register/sent/"
    account = Account.objects.get(email="new@example.com")
    assert not account.is_active
    assert account.check_password(PASSWORD)
    assert Registration.objects.get(account=account).status == "pending_activation"
    assert len(mail.outbox) == 1 and "/register/activate/" in mail.outbox[0].body
    assert client.session[console_session.SIGNUP_ACCOUNT] == account.pk
    assert "_auth_user_id" not in client.session


def test_wrong_captcha_is_refused_and_registers_nothing():
    """REG-1: the captcha must be answered."""
    client = zh_client()
    data = register_form_data(client, "bot@example.com", captcha_1="WRONG")
    response = client.post("/register/", data)
    assert response.status_code == 200
    assert field_errors(response, "captcha") == [AccountError.CAPTCHA_INVALID.message("zh-hans")]
    assert nothing_registered("bot@example.com")


def test_a_captcha_answer_cannot_be_used_twice():
    """REG-1: one captcha, one attempt."""
    client = zh_client()
    data = register_form_data(client, "first@example.com")
    assert client.post("/register/", data).status_code == 302
    again = client.post("/register/", {**data, "email": "second@example.com"})
    assert field_errors(again, "captcha") == [AccountError.CAPTCHA_INVALID.message("zh-hans")]
    assert not Account.objects.filter(email="second@example.com").exists()
    assert not CaptchaStore.objects.filter(hashkey=data["captcha_0"]).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code", "params"),
    [
        (
            {"password": "short1", "password_confirm": "short1"},
            "password",
            AccountError.PASSWORD_TOO_SHORT,
            {"min": 8},
        ),
        (
            {"password": "密码密码密码密码", "password_confirm": "密码密码密码密码"},
            "password",
            AccountError.PASSWORD_CHARSET,
            {},
        ),
        (
            {"password": "with space 12", "password_confirm": "with space 12"},
            "password",
            AccountError.PASSWORD_CHARSET,
            {},
        ),
        (
            {"password_confirm": "Secret-pass-2"},
            "password_confirm",
            AccountError.PASSWORD_MISMATCH,
            {},
        ),
        ({"agree": None}, "agree", AccountError.AGREEMENT_REQUIRED, {}),
        ({"email": "not-an-email"}, "email", AccountError.EMAIL_INVALID, {}),
    ],
)
def test_each_account_rule_is_refused_on_its_field(overrides, field, code, params):
    """REG-1: password of at least 8 letters, digits or symbols, confirmed; agreements; a valid email."""
    client = zh_client()
    data = {**register_form_data(client, "rules@example.com"), **overrides}
    response = client.post("/register/", {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    assert field_errors(response, field) == [code.message("zh-hans", **params)]
    assert not Account.objects.exists()
    assert not mail.outbox


def test_passwords_are_case_sensitive():
    """REG-1: case-sensitive passwords."""
    client = zh_client()
    client.post("/register/", register_form_data(client, "case@example.com"))
    account = Account.objects.get(email="case@example.com")
    assert account.check_password(PASSWORD)
    assert not account.check_password(PASSWORD.upper())


@pytest.mark.parametrize(
    "kind",
    [
        AccountKind.MINIPROGRAM,
        AccountKind.OFFICIAL_ACCOUNT,
        AccountKind.OPEN_PLATFORM,
        AccountKind.ENTERPRISE,
    ],
)
def test_an_email_used_by_any_account_kind_is_refused(kind):
    """REG-2: one email, one account on the whole platform."""
    Account.objects.create_user("taken@example.com", "whatever-123", kind=kind)
    client = zh_client()
    response = client.post("/register/", register_form_data(client, "Taken@Example.com"))
    assert field_errors(response, "email") == [AccountError.EMAIL_TAKEN.message("zh-hans")]
    assert Account.objects.count() == 1
    assert not mail.outbox


def test_an_email_bound_to_a_personal_identity_is_refused(make_identity):
    """REG-2: an email bound to a personal account cannot register a mini program."""
    identity = make_identity("bound_user")
    Identity.objects.filter(pk=identity.pk).update(email="mine@example.com")
    client = zh_client()
    response = client.post("/register/", register_form_data(client, "mine@example.com"))
    assert field_errors(response, "email") == [AccountError.EMAIL_TAKEN.message("zh-hans")]
    assert not Account.objects.exists()


def test_asking_for_another_captcha_keeps_the_email_and_registers_nothing():
    client = zh_client()
    data = register_form_data(client, "keep@example.com")
    response = client.post("/register/", {**data, "refresh_captcha": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="keep@example.com"' in html
    new_key, _answer = captcha_of(html)
    assert new_key != data["captcha_0"]
    assert PASSWORD not in html
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "email": "x" * 5000,
            "password": "p" * 5000,
            "password_confirm": "q",
            "captcha_0": "z",
            "captcha_1": "z",
        },
        {
            "email": ["a@example.com", "b@example.com"],
            "agree": "maybe",
            "captcha_0": "",
            "captcha_1": "",
        },
        {
            "email": "\x00\uffff",
            "password": "\x00",
            "captcha_0": "'; DROP TABLE x;--",
            "captcha_1": "\x00",
        },
    ],
)
def test_garbage_never_breaks_the_form(data):
    """Bad input names the field and stores nothing; never a 500."""
    response = zh_client().post("/register/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Account.objects.exists()
