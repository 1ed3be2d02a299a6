"""Identities sign in on the phone pages with WeChat ID and password."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from miniport.mobile.auth import SESSION_IDENTITY

LOGIN = "/m/login/"


def _signed_in_id(client: Client):
    return client.session.get(SESSION_IDENTITY)


def test_sign_in_page_shows_the_form_on_a_phone_layout(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="mobile"' in page
    assert 'name="wechat_id"' in page and 'name="password"' in page


def test_right_password_signs_in_under_a_new_session_key(make_identity):
    identity = make_identity("alice_01")
    browser = Client()
    old_key = browser.session.session_key
    response = browser.post(LOGIN, {"wechat_id": "alice_01", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mobile:home")
    assert _signed_in_id(browser) == identity.pk
    assert browser.session.session_key != old_key


def test_sign_in_goes_on_to_the_page_that_asked(make_identity, client):
    make_identity("alice_01")
    response = client.post(
        LOGIN, {"wechat_id": "alice_01", "password": "secret-pass-1", "next": "/m/scan/abc/"}
    )
    assert response["Location"] == "/m/scan/abc/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_sign_in_never_redirects_off_site(make_identity, client, target):
    make_identity("alice_01")
    response = client.post(
        LOGIN, {"wechat_id": "alice_01", "password": "secret-pass-1", "next": target}
    )
    assert response["Location"] == reverse("mobile:home")


def test_wrong_password_is_refused_with_a_clear_message(make_identity, client):
    make_identity("alice_01")
    response = client.post(LOGIN, {"wechat_id": "alice_01", "password": "wrong"})
    assert response.status_code == 200
    assert "超级应用号或密码错误" in response.content.decode()
    assert _signed_in_id(client) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"wechat_id": "", "password": ""},
        {"wechat_id": "x" * 10000, "password": "y" * 10000},
        {"wechat_id": "alice\x0001", "password": "secret-pass-1"},
        {"wechat_id": ["a", "b"], "password": "secret-pass-1"},
        {"wechat_id": "alice_01", "password": "secret-pass-1", "next": "\x00"},
    ],
)
def test_bad_input_is_answered_with_the_form_never_an_error(make_identity, client, data):
    make_identity("alice_01")
    response = client.post(LOGIN, data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("mobile:home")
    else:
        assert _signed_in_id(client) is None
        assert 'class="errorlist"' in response.content.decode()


def test_sign_out_forgets_the_identity_but_keeps_the_rest_of_the_session(make_identity, phone_of):
    phone = phone_of(make_identity())
    session = phone.session
    session["console_marker"] = "kept"
    session.save()
    response = phone.post(reverse("mobile:logout"))
    assert response.status_code == 302
    assert _signed_in_id(phone) is None
    assert phone.session.get("console_marker") == "kept"


def test_sign_out_needs_a_post(make_identity, phone_of):
    identity = make_identity()
    phone = phone_of(identity)
    assert phone.get(reverse("mobile:logout")).status_code == 405
    assert _signed_in_id(phone) == identity.pk


def test_home_page_sends_a_visitor_to_sign_in(client):
    response = client.get(reverse("mobile:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fm%2F"


def test_sign_in_page_speaks_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in client.get(LOGIN).content.decode()
