"""DEV-3: message push is saved only after WeChat's URL handshake succeeds against the
developer's real server: a GET with signature (sha1 of the sorted token, timestamp and
nonce), timestamp, nonce and echostr, answered with the echostr. Outbound calls to
private or loopback addresses are refused unless the operator allows them."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from miniport.core import outbound
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import devsettings, push
from tests.miniprograms.devsettings_support import dev_state, set_policy

TOKEN = "pushToken123"
AES_KEY = "a" * 20 + "B" * 20 + "123"


class DeveloperServer(BaseHTTPRequestHandler):
    """A developer's push endpoint. The path picks its behaviour."""

    token = TOKEN
    seen: list[dict] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        DeveloperServer.seen.append(query)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/wechat?" + parts.query)
            self.end_headers()
            return
        if parts.path == "/slow":
            time.sleep(2.5)
        if parts.path == "/error":
            self.send_response(500)
            self.end_headers()
            return
        expected = hashlib.sha1(  # noqa: S324 - WeChat's algorithm
            "".join(
                sorted([self.token, query.get("timestamp", ""), query.get("nonce", "")])
            ).encode()
        ).hexdigest()
        answer = query.get("echostr", "") if query.get("signature") == expected else "bad signature"
        if parts.path == "/wrong":
            answer = "success"
        body = answer.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def developer_server():
    DeveloperServer.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), DeveloperServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True


def configure(team, address, **changes):
    data = {"url": address, "token": TOKEN, "aes_key": AES_KEY, "mode": "safe"}
    data.update(changes)
    return push.push_configure(actor=team.admin_actor, miniprogram=team.miniprogram, **data)


def test_a_server_answering_the_echostr_enables_push(team, developer_server, private_allowed):
    """DEV-3: the handshake is a real GET; the signature follows WeChat's rule."""
    dev = configure(team, developer_server + "/wechat")
    assert dev.push_enabled and dev.push_verified_at is not None
    assert dev.push_url == developer_server + "/wechat" and dev.push_mode == "safe"
    query = DeveloperServer.seen[-1]
    assert set(query) == {"signature", "timestamp", "nonce", "echostr"}
    assert query["signature"] == push.push_signature(TOKEN, query["timestamp"], query["nonce"])


@pytest.mark.parametrize(
    ("path", "changes"),
    [("/wrong", {}), ("/error", {}), ("/wechat", {"token": "anotherToken9"})],
    ids=["wrong-answer", "server-error", "other-token"],
)
def test_a_failed_handshake_saves_nothing(team, developer_server, private_allowed, path, changes):
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        configure(team, developer_server + path, **changes)
    assert (
        refused.value.code == MiniProgramError.PUSH_VERIFY_FAILED
        and refused.value.field == "push_url"
    )
    assert dev_state(team.miniprogram) == before


def test_a_server_that_does_not_answer_in_time_fails(team, developer_server, private_allowed):
    set_policy("dev.push_verify_timeout_seconds", 1)
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        configure(team, developer_server + "/slow")
    assert refused.value.code == MiniProgramError.PUSH_VERIFY_FAILED
    assert dev_state(team.miniprogram)["dev"] == before["dev"]


def test_redirects_are_followed_and_checked(team, developer_server, private_allowed):
    assert configure(team, developer_server + "/redirect").push_enabled


def test_a_loopback_server_is_refused_unless_the_operator_allows_private_targets(
    team, developer_server, settings
):
    """DESIGN security: outbound calls refuse private and loopback targets."""
    settings.OUTBOUND_ALLOW_PRIVATE = False
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        configure(team, developer_server + "/wechat")
    assert (
        refused.value.code == CoreError.OUTBOUND_TARGET_REFUSED
        and refused.value.field == "push_url"
    )
    assert DeveloperServer.seen == []  # not even contacted
    assert dev_state(team.miniprogram) == before


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_addresses_are_not_allowed_by_default(settings, address):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert not outbound.address_allowed(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(settings, address):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert outbound.address_allowed(address)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"url": "ftp://example.com/push"}, MiniProgramError.PUSH_URL_INVALID, "push_url"),
        (
            {"url": "https://user:pw@example.com/push"},
            MiniProgramError.PUSH_URL_INVALID,
            "push_url",
        ),
        ({"url": ""}, CoreError.FIELD_REQUIRED, "push_url"),
        ({"token": "ab"}, MiniProgramError.PUSH_TOKEN_INVALID, "push_token"),
        ({"token": "x" * 33}, MiniProgramError.PUSH_TOKEN_INVALID, "push_token"),
        ({"token": "with-dash"}, MiniProgramError.PUSH_TOKEN_INVALID, "push_token"),
        ({"aes_key": "short"}, MiniProgramError.PUSH_AES_KEY_INVALID, "push_aes_key"),
        ({"aes_key": "!" * 43}, MiniProgramError.PUSH_AES_KEY_INVALID, "push_aes_key"),
        (
            {"aes_key": "", "mode": "compatible"},
            MiniProgramError.PUSH_AES_KEY_INVALID,
            "push_aes_key",
        ),
        ({"mode": "loud"}, CoreError.FIELD_INVALID, "push_mode"),
    ],
)
def test_bad_push_settings_are_refused_before_any_call(
    team, developer_server, private_allowed, changes, code, field
):
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        configure(team, developer_server + "/wechat", **changes)
    assert refused.value.code == code and refused.value.field == field
    assert DeveloperServer.seen == []
    assert dev_state(team.miniprogram) == before


def test_plain_mode_needs_no_aes_key_and_push_can_be_turned_off(
    team, developer_server, private_allowed
):
    assert configure(team, developer_server + "/wechat", aes_key="", mode="plain").push_enabled
    assert not push.push_disable(actor=team.admin_actor, miniprogram=team.miniprogram).push_enabled


def test_the_console_form_runs_the_handshake(team, console_as, developer_server, private_allowed):
    client = console_as(team.admin)
    form = client.get("/settings/dev/push/")
    assert form.status_code == 200
    data = {
        "push_url": developer_server + "/wechat",
        "push_token": TOKEN,
        "push_aes_key": AES_KEY,
        "push_mode": "compatible",
    }
    assert client.post("/settings/dev/push/", data).status_code == 302
    assert devsettings.settings_for(team.miniprogram).push_enabled
    refused = client.post("/settings/dev/push/", {**data, "push_url": developer_server + "/wrong"})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
