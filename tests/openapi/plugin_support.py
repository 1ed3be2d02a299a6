"""Access tokens for any mini program of the plugin tests (owners made by the plugin
makers keep no AppSecret, so one is issued here)."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.miniprograms.services import credentials, miniprogram_issue_secret


def token_for(miniprogram) -> str:
    secret = miniprogram_issue_secret(actor=Actor.system("tests"), miniprogram=miniprogram)
    return credentials.access_token_fetch(
        actor=Actor.system("tests"),
        appid=miniprogram.appid,
        secret=secret,
        grant_type="client_credential",
        client_ip="127.0.0.1",
    ).access_token
