"""A phone (a browser signed in as an identity) and a computer that asks for tickets."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.identities.support import new_ticket

PASSWORD = "secret-pass-1"


@pytest.fixture
def phone_of(db):
    """A browser signed in on the phone pages as `identity`, through the sign-in form."""

    def sign_in(identity, *, language: str | None = None) -> Client:
        phone = Client()
        if language:
            phone.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = phone.post(
            reverse("mobile:login"), {"wechat_id": identity.wechat_id, "password": PASSWORD}
        )
        assert response.status_code == 302, "the identity could not sign in"
        return phone

    return sign_in


@pytest.fixture
def computer(db) -> Client:
    """The browser on which a console page asked for a QR confirmation."""
    browser = Client()
    browser.session  # noqa: B018 - starts the session so it has a key
    return browser


@pytest.fixture
def ticket_of(computer):
    def create(**options):
        return new_ticket(computer.session.session_key, **options)

    return create
