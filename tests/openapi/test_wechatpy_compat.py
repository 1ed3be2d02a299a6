"""B-2: wechatpy 1.8.18, pointed at a real `miniport serve` process, works unchanged.

The server runs on a free loopback port against a temporary SQLite file migrated here;
the mini program and identities come from the `miniport` command. wechatpy builds its
URLs from `API_BASE_URL` (the client's for cgi-bin/, `client.wxa`'s for wxa/ and sns/),
except the token fetch, whose URL 1.8.18 writes out in `fetch_access_token`; the
subclass below only points that one at the same base.
"""

from __future__ import annotations

import json

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from tests.openapi.live_server import HOST_SECRET, Server

pytestmark = pytest.mark.live_server_process


class MiniportClient(WeChatClient):
    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("wechatpy-compat"))
    server.cli("migrate")
    server.app = server.create_app(name="兼容测试", email="compat@example.com")
    server.cli(
        "identity",
        "create",
        "--wechat-id",
        "tester_wx",
        "--real-name",
        "李四",
        "--password",
        "tester-pass-1",
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def wechat(server) -> MiniportClient:
    wechat = MiniportClient(server.app["appid"], server.app["secret"])
    wechat.API_BASE_URL = server.base + "/cgi-bin/"
    wechat.wxa.API_BASE_URL = server.base + "/"
    return wechat


def test_the_token_fetch(wechat):
    result = wechat.fetch_access_token()
    assert set(result) == {"access_token", "expires_in"} and result["expires_in"] == 7200
    assert wechat.access_token == result["access_token"]


def test_a_wrong_secret_raises_wechatpys_error_with_40001(server):
    wrong = MiniportClient(server.app["appid"], "0" * 32)
    wrong.API_BASE_URL = server.base + "/cgi-bin/"
    with pytest.raises(WeChatClientException) as refused:
        wrong.fetch_access_token()
    assert refused.value.errcode == 40001


def test_code_to_session_with_a_code_from_the_cli(server, wechat):
    code = json.loads(
        server.cli(
            "identity", "login-code", "--wechat-id", "tester_wx", "--appid", server.app["appid"]
        )
    )["code"]
    session = wechat.wxa.code_to_session(code)
    assert set(session) == {"openid", "session_key"}
    with pytest.raises(WeChatClientException) as again:
        wechat.wxa.code_to_session(code)
    assert again.value.errcode == 40163


def test_code_to_session_with_a_code_from_the_runtime_endpoint(server, wechat):
    host = {"X-Host-App": f"superapp:{HOST_SECRET}"}
    signed_in = requests.post(
        server.base + "/runtime/v1/session",
        headers=host,
        timeout=10,
        data=json.dumps({"wechat_id": "tester_wx", "password": "tester-pass-1"}),
    ).json()
    login = requests.post(
        server.base + "/runtime/v1/login",
        timeout=10,
        headers={**host, "X-Identity-Session": signed_in["session"]},
        data=json.dumps({"appid": server.app["appid"]}),
    ).json()
    first = wechat.wxa.code_to_session(login["code"])
    cli_code = json.loads(
        server.cli(
            "identity", "login-code", "--wechat-id", "tester_wx", "--appid", server.app["appid"]
        )
    )["code"]
    assert wechat.wxa.code_to_session(cli_code)["openid"] == first["openid"]


def test_modify_domain(wechat):
    added = wechat.wxa.modify_domain(
        "add",
        request_domain=["https://api.example.com"],
        download_domain=["https://cdn.example.com", "http://bad.example.com"],
    )
    assert added["requestdomain"] == ["https://api.example.com"]
    assert added["downloaddomain"] == ["https://cdn.example.com"]
    assert added["invalid_downloaddomain"] == ["http://bad.example.com"]
    assert wechat.wxa.modify_domain("get")["requestdomain"] == ["https://api.example.com"]
    with pytest.raises(WeChatClientException) as unchanged:
        wechat.wxa.modify_domain("add", request_domain=["https://api.example.com"])
    assert unchanged.value.errcode == 85017


def test_bind_tester(wechat):
    result = wechat.wxa.bind_tester("tester_wx")
    assert result["errcode"] == 0 and result["userstr"]
    with pytest.raises(WeChatClientException) as twice:
        wechat.wxa.bind_tester("tester_wx")
    assert twice.value.errcode == 85004


def test_unbind_tester(wechat):
    try:
        wechat.wxa.bind_tester("tester_wx")
    except WeChatClientException as already:
        assert already.errcode == 85004
    assert wechat.wxa.unbind_tester("tester_wx")["errcode"] == 0
