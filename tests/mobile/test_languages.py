"""B-11: every phone page renders in Chinese (the default) and in English."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from miniport.identities import services


@pytest.fixture
def pages(make_identity, ticket_of):
    identity = make_identity("alice_01", nickname="Alice")
    shown = ticket_of(purpose="login", expected_identity=identity)
    decided = ticket_of(purpose="login", expected_identity=identity)
    refused = ticket_of(purpose="login", expected_identity=identity)
    services.ticket_deny(identity=identity, token=refused.token)
    return identity, {
        "home": ("get", reverse("mobile:home"), {}),
        "scan": ("get", reverse("mobile:scan", args=[shown.token]), {}),
        "scan refused": ("get", reverse("mobile:scan", args=[refused.token]), {}),
        "scan done": (
            "post",
            reverse("mobile:scan", args=[decided.token]),
            {"decision": "confirm"},
        ),
    }


ENGLISH = {
    "home": "Waiting for your confirmation",
    "scan": "Identity verification",
    "scan refused": "the scan was denied",
    "scan done": "Confirmed. Go back to the computer to continue.",
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("page", ["home", "scan", "scan refused", "scan done"])
def test_every_signed_in_page_renders_in_both_languages(pages, phone_of, language, page):
    identity, urls = pages
    method, path, data = urls[page]
    response = getattr(phone_of(identity, language=language), method)(path, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert 'class="mobile"' in html
    if language == "en":
        assert ENGLISH[page] in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_sign_in_page_renders_in_both_languages(db, language):
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = browser.get(reverse("mobile:login"))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_refusals_use_the_chinese_message_by_default(pages, phone_of):
    identity, urls = pages
    html = phone_of(identity).get(urls["scan refused"][1]).content.decode()
    assert "扫码方已拒绝" in html
