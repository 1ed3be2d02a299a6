"""Browsers of the plugin usage pages: a console session of a mini program's member."""

from __future__ import annotations

from django.test import Client

from tests.miniprograms.conftest import console_login


def browser(identity, appid: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = console_login(client, identity, appid)
    assert response.status_code == 302, response
    return client
