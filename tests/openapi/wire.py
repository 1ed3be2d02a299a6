"""Calling the server API the way a developer's server does: real HTTP semantics through
Django's test client, JSON bodies posted as raw bytes without a Content-Type."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry, QuotaCounter
from miniport.miniprograms.models import AccessToken, LoginCode


class Wire:
    def __init__(self, client, *, remote_addr: str = "127.0.0.1") -> None:
        self.client = client
        self.remote_addr = remote_addr

    def _url(self, path: str, params: dict[str, Any] | None) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    def get(self, path: str, **params: Any) -> dict:
        response = self.client.get(self._url(path, params), REMOTE_ADDR=self.remote_addr)
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    def post_raw(self, path: str, raw: bytes, *, content_type: str = "", **params: Any) -> dict:
        response = self.client.generic(
            "POST",
            self._url(path, params),
            data=raw,
            content_type=content_type,
            REMOTE_ADDR=self.remote_addr,
        )
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    def post(self, path: str, body: Any, **params: Any) -> dict:
        return self.post_raw(path, json.dumps(body, ensure_ascii=False).encode(), **params)

    def token(self, app) -> str:
        result = self.get(
            "/cgi-bin/token",
            grant_type="client_credential",
            appid=app.miniprogram.appid,
            secret=app.secret,
        )
        assert "access_token" in result, result
        return result["access_token"]


def issue_code(miniprogram, identity) -> str:
    from miniport.miniprograms.services import credentials

    return credentials.login_code_issue(
        actor=Actor.for_identity(identity), identity=identity, miniprogram=miniprogram
    ).code


def credential_state() -> dict:
    """What a refused credential call must leave as it was."""
    return {
        "tokens": sorted(AccessToken.objects.values_list("digest", "valid_until")),
        "codes": sorted(LoginCode.objects.values_list("digest", "used_at")),
        "quota": sorted(QuotaCounter.objects.values_list("scope", "rule", "window", "used")),
        "audit": AuditEntry.objects.count(),
    }
