"""Issue 10 item 6 (REG-1): a refused registration form shows every field's error at
once, keeps the email and the agreement tick, never echoes the passwords, and asks a
new captcha; nothing is stored."""

from __future__ import annotations

import pytest
from django.core import mail

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account
from miniport.console.views.signup import mailbox_url
from tests.console.conftest import captcha_of, register_form_data, zh_client

pytestmark = pytest.mark.django_db


def errors(response) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


def test_every_field_error_shows_at_once_and_the_email_and_tick_stay(make_identity):
    """Issue 10 item 6: wrong captcha, short password, mismatch and a taken email, all at once."""
    Account.objects.create_user("taken@example.com", "whatever-123")
    client = zh_client()
    data = register_form_data(
        client,
        "taken@example.com",
        password="short1",
        password_confirm="other-one",
        captcha_1="WRONG",
    )
    response = client.post("/register/", data)
    assert response.status_code == 200
    shown = errors(response)
    assert shown == {
        "email": [AccountError.EMAIL_TAKEN.message("zh-hans")],
        "password": [AccountError.PASSWORD_TOO_SHORT.message("zh-hans", min=8)],
        "password_confirm": [AccountError.PASSWORD_MISMATCH.message("zh-hans")],
        "captcha": [AccountError.CAPTCHA_INVALID.message("zh-hans")],
    }
    html = response.content.decode()
    assert 'value="taken@example.com"' in html
    assert "checked" in html.split('class="field agree-field"')[1].split("</label>")[0]
    assert "short1" not in html and "other-one" not in html  # passwords are never echoed
    new_key, _answer = captcha_of(html)
    assert new_key != data["captcha_0"]
    assert 'name="captcha_1" value="WRONG"' not in html
    assert Account.objects.count() == 1 and not mail.outbox


def test_a_right_captcha_with_other_errors_still_shows_every_error_and_a_new_captcha():
    """The captcha was right but other fields are not: their errors all show, the
    captcha answer is spent and a new one is asked."""
    client = zh_client()
    data = register_form_data(
        client, "not-an-email", password="密码", password_confirm="密码", agree=None
    )
    response = client.post("/register/", data)
    shown = errors(response)
    assert set(shown) == {"email", "password", "agree"}
    assert shown["email"] == [AccountError.EMAIL_INVALID.message("zh-hans")]
    assert shown["agree"] == [AccountError.AGREEMENT_REQUIRED.message("zh-hans")]
    assert "captcha" not in shown
    html = response.content.decode()
    assert 'value="not-an-email"' in html
    assert captcha_of(html)[0] != data["captcha_0"]
    assert not Account.objects.exists() and not mail.outbox


def test_after_the_refusal_the_form_goes_through_with_the_new_captcha():
    client = zh_client()
    refused = client.post(
        "/register/", register_form_data(client, "again@example.com", password_confirm="x")
    )
    key, answer = captcha_of(refused.content.decode())
    data = {
        "email": "again@example.com",
        "password": "Secret-pass-1",
        "password_confirm": "Secret-pass-1",
        "captcha_0": key,
        "captcha_1": answer,
        "agree": "on",
    }
    assert client.post("/register/", data).status_code == 302
    assert Account.objects.filter(email="again@example.com").exists()


@pytest.mark.parametrize(
    ("email", "url"),
    [
        ("someone@qq.com", "https://mail.qq.com/"),
        ("Someone@163.COM", "https://mail.163.com/"),
        ("a@126.com", "https://mail.126.com/"),
        ("a@gmail.com", "https://mail.google.com/"),
        ("a@hotmail.com", "https://outlook.live.com/mail/"),
        ("a@foxmail.com", "https://mail.qq.com/"),
    ],
)
def test_well_known_mailboxes(email, url):
    assert mailbox_url(email) == url


def test_the_mail_sent_page_offers_the_mailbox_of_a_known_provider():
    """Issue 10 item 6: qq.com gets a link to mail.qq.com; an unknown domain none."""
    client = zh_client()
    assert client.post("/register/", register_form_data(client, "dev@qq.com")).status_code == 302
    html = client.get("/register/sent/").content.decode()
    assert 'data-testid="open-mailbox"' in html and 'href="https://mail.qq.com/"' in html

    other = zh_client()
    other.post("/register/", register_form_data(other, "dev@company.example"))
    html = other.get("/register/sent/").content.decode()
    assert 'data-testid="open-mailbox"' not in html
    assert mailbox_url("dev@company.example") is None and mailbox_url("no-at-sign") is None


def test_asking_another_captcha_keeps_the_email_and_the_tick():
    client = zh_client()
    data = register_form_data(client, "keep@example.com")
    html = client.post("/register/", {**data, "refresh_captcha": "1"}).content.decode()
    agree = html.split('class="field agree-field"')[1].split("</label>")[0]
    assert 'value="keep@example.com"' in html and "checked" in agree
    assert not Account.objects.exists()
