from __future__ import annotations

import json

import pytest

HOST_ID = "superapp"
HOST_SECRET = "host-secret-for-tests-0123456789"


@pytest.fixture(autouse=True)
def host_app(settings):
    settings.RUNTIME_HOST_APPS = {HOST_ID: HOST_SECRET}
    return HOST_ID


class Runtime:
    """The host app calling /runtime/v1/ with its credential and, once signed in, the
    identity's session."""

    def __init__(self, client, *, host: str = f"{HOST_ID}:{HOST_SECRET}") -> None:
        self.client = client
        self.host = host
        self.session = ""

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {}
        if self.host:
            headers["HTTP_X_HOST_APP"] = self.host
        if self.session:
            headers["HTTP_X_IDENTITY_SESSION"] = self.session
        raw = json.dumps(body).encode() if body is not None else b""
        response = self.client.generic(
            method, f"/runtime/v1/{path}", data=raw, content_type="", **headers
        )
        assert response.status_code == 200
        return json.loads(response.content)

    def sign_in(self, wechat_id: str, password: str) -> dict:
        result = self.call("POST", "session", {"wechat_id": wechat_id, "password": password})
        self.session = result.get("session", "")
        return result

    def login(self, appid: str) -> dict:
        return self.call("POST", "login", {"appid": appid})


@pytest.fixture
def runtime(client) -> Runtime:
    return Runtime(client)


@pytest.fixture
def app_for_login(provision):
    return provision("personal")
