"""B-2: wechatpy 1.8.18, pointed at a real `miniport serve` process, works unchanged.

The server runs on a free loopback port against a temporary SQLite file migrated here;
the mini program and identities come from the `miniport` command. wechatpy builds its
URLs from `API_BASE_URL` (the client's for cgi-bin/, `client.wxa`'s for wxa/ and sns/),
except the token fetch, whose URL 1.8.18 writes out in `fetch_access_token`; the
subclass below only points that one at the same base.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

pytestmark = pytest.mark.live_server_process

MINIPORT = Path(sys.executable).parent / "miniport"
HOST_SECRET = "compat-host-secret-0123456789"


class MiniportClient(WeChatClient):
    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, folder: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
        self.env.update(
            DJANGO_SETTINGS_MODULE="miniport.settings",
            DATABASE_URL=f"sqlite:///{folder / 'compat.sqlite3'}",
            MINIPORT_VAR_DIR=str(folder / "var"),
            MINIPORT_FAST_HASHES="1",
            MINIPORT_HOST_APPS=f"superapp:{HOST_SECRET}",
            PYTHONUNBUFFERED="1",
        )
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(MINIPORT), *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(MINIPORT),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=self.env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "miniport serve exited"
            try:
                if requests.get(self.base + "/runtime/v1/ping", timeout=1).json() == {"ok": True}:
                    return
            except (requests.RequestException, ValueError):
                time.sleep(0.2)
        raise AssertionError("miniport serve did not answer in time")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("wechatpy-compat"))
    server.cli("migrate")
    server.app = json.loads(
        server.cli(
            "app",
            "create",
            "--name",
            "兼容测试",
            "--subject-type",
            "enterprise",
            "--email",
            "compat@example.com",
            "--certified",
            "--json",
        )
    )
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
