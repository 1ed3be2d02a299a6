"""issue 10 item 1: sign-up on the phone pages, reachable from the sign-in page. The
"get code" button sends the SMS code and keeps what was typed; a complete sign-up makes a
real-name verified identity and signs it in; refusals show on their fields, all at once,
and store nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from miniport.core import sms
from miniport.core.errors import CoreError
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, IdentitySmsCode
from miniport.mobile.auth import SESSION_IDENTITY
from tests.identities.support_signup import ID_NUMBER, PASSWORD, PHONE, fields, last_code, snapshot

pytestmark = pytest.mark.django_db

SIGNUP = "/m/signup/"


def _send_code(client: Client, phone: str = PHONE, **typed):
    return client.post(SIGNUP, {"action": "send_code", "phone": phone, **typed})


def _complete(client: Client, **changes):
    data = fields(**changes)
    if "sms_code" not in data:
        data["sms_code"] = last_code()
    return client.post(SIGNUP, data)


def test_the_sign_in_page_links_to_the_sign_up_carrying_where_to_go_on(client):
    page = client.get("/m/login/?next=/m/scan/abc/").content.decode()
    assert 'data-testid="signup-link"' in page
    assert f'href="{SIGNUP}?next=/m/scan/abc/"' in page


def test_the_sign_up_page_asks_for_every_field(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="mobile"' in page
    for name in ("phone", "sms_code", "wechat_id", "password", "password_confirm"):
        assert f'name="{name}"' in page
    assert 'name="real_name"' in page and 'name="id_number"' in page
    assert 'data-testid="signup-get-code"' in page


def test_get_code_sends_the_sms_and_keeps_what_was_typed_but_the_passwords(client):
    response = _send_code(
        client, wechat_id="li_si_2026", real_name="李四", password="typed-secret-1"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="signup-sms-sent"' in page and "138****5678" in page
    assert 'value="li_si_2026"' in page and 'value="李四"' in page
    assert "typed-secret-1" not in page
    assert len(sms.messages_to(PHONE)) == 1
    assert not Identity.objects.exists()


def test_get_code_for_a_bad_phone_says_why_on_the_phone_field_and_sends_nothing(client):
    before = snapshot()
    page = _send_code(client, phone="12345").content.decode()
    assert 'data-testid="error-phone"' in page
    assert CoreError.PHONE_INVALID.message("zh-hans") in page
    assert snapshot() == before


def test_a_complete_sign_up_signs_the_new_identity_in(client):
    """issue 10 item 1: the identity is real-name verified and signed in on the phone
    pages under a new session key."""
    _send_code(client)
    old_key = client.session.session_key
    response = _complete(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("mobile:home")
    identity = Identity.objects.get(wechat_id="li_si_2026")
    assert identity.real_name_verified and identity.id_number == ID_NUMBER
    assert client.session[SESSION_IDENTITY] == identity.pk
    assert client.session.session_key != old_key
    home = client.get(reverse("mobile:home")).content.decode()
    assert "li_si_2026" in home
    assert 'data-testid="identity-wechat-id"' in home
    assert IdentitySmsCode.objects.get().used_at is not None
    # The password works at the next sign-in.
    other = Client()
    signed = other.post("/m/login/", {"wechat_id": "li_si_2026", "password": PASSWORD})
    assert signed.status_code == 302


def test_the_sign_up_goes_on_to_the_page_that_asked_and_never_off_site(client):
    _send_code(client)
    data = {**fields(), "sms_code": last_code(), "next": "/m/scan/abc/"}
    assert client.post(SIGNUP, data)["Location"] == "/m/scan/abc/"
    browser = Client()
    _send_code(browser, phone="13900003333")
    data = {
        **fields(wechat_id="wang_wu_01", phone="13900003333"),
        "sms_code": last_code("13900003333"),
        "next": "https://evil.example/",
    }
    assert browser.post(SIGNUP, data)["Location"] == reverse("mobile:home")


def test_every_refused_field_shows_its_error_at_once_and_nothing_is_stored(client):
    _send_code(client)
    before = snapshot()
    response = _complete(
        client,
        wechat_id="1bad",
        password="short",
        password_confirm="short",
        real_name="李四1",
        id_number="110101199005173210",
    )
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("wechat_id", "password", "real_name", "id_number"):
        assert f'data-testid="error-{field}"' in page, field
    assert IdentityError.REAL_NAME_INVALID.message("zh-hans") in page
    assert snapshot() == before
    assert SESSION_IDENTITY not in client.session


def test_a_wrong_code_is_shown_on_the_code_field(client):
    _send_code(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    page = _complete(client, sms_code=wrong).content.decode()
    assert 'data-testid="error-sms_code"' in page
    assert IdentityError.SMS_CODE_INVALID.message("zh-hans") in page
    assert not Identity.objects.exists()
    assert SESSION_IDENTITY not in client.session


def test_a_missing_code_is_asked_for_without_using_up_a_try(client):
    _send_code(client)
    page = _complete(client, sms_code="").content.decode()
    assert 'data-testid="error-sms_code"' in page
    assert IdentitySmsCode.objects.get().attempts == 0
    assert not Identity.objects.exists()


def test_a_taken_wechat_id_or_phone_is_refused_on_its_field(client, make_identity):
    _send_code(client)
    make_identity("li_si_2026", phone=PHONE)
    page = _complete(client).content.decode()
    assert 'data-testid="error-wechat_id"' in page and 'data-testid="error-phone"' in page
    assert Identity.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "send_code"},
        {"action": "send_code", "phone": "1" * 5000},
        {"wechat_id": "x" * 10000, "password": "y" * 10000, "phone": "1" * 5000},
        {"wechat_id": "alice\x0001", "real_name": "李\x00四", "id_number": "\x00"},
        {**fields(), "sms_code": "\x00"},
        {**fields(), "next": "\x00"},
    ],
)
def test_bad_input_is_answered_with_the_form_never_an_error(client, data):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Identity.objects.exists()


def test_the_sign_up_page_speaks_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(SIGNUP).content.decode()
    assert 'lang="en"' in page and "Sign up" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "身份证号码" in client.get(SIGNUP).content.decode()
