"""Shared by the console's version-management tests (release actions, the review card,
rollback and visit status): a console browser logged in as a member of the test app."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.miniprograms.conftest import console_login


def browser(identity, lang: str = "en") -> Client:
    """A console browser in `lang`, logged in by the member scan login."""
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    console_login(client, identity)
    return client


@pytest.fixture(name="admin")
def admin_fixture(app) -> Client:
    return browser(app.admin)
