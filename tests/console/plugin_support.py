"""Browsers of the plugin pages: a console session of a mini program's member."""

from __future__ import annotations

from django.test import Client

from tests.miniprograms.conftest import console_login


def browser(identity, appid: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = console_login(client, identity, appid)
    assert response.status_code == 302, response
    return client


def console_of(owner, who: str = "admin", language: str = "en") -> Client:
    """The console of `owner` (a plugin's owner from the makers) as its member `who`."""
    return browser(getattr(owner, who), owner.appid, language)
