"""Issue 9 item 8: `miniport serve` on an address other machines can reach refuses to
start in demo mode, with secrets from var/secrets.json, or with a public or short
host-app secret, and says what to set; on loopback the demo runs as before.

Decision: the check at start is the whole rule. The demo sign-in is not checked again
per request: the server only listens where it was told (nginx on --host, gunicorn on a
loopback port only nginx uses), so in demo mode every caller is on the machine itself."""

from __future__ import annotations

import secrets
import socket
from types import SimpleNamespace

import pytest

from miniport.cli.serve import DEMO_HOST_APP_SECRET, is_loopback, reachable_refusal
from tests.cli.serve_support import Served, require_nginx

REAL_SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "MINIPORT_DIGEST_KEY": secrets.token_urlsafe(32),
    "MINIPORT_AUDIT_KEY": secrets.token_urlsafe(32),
    "MINIPORT_DATA_KEYS": "k1:" + secrets.token_urlsafe(32),
    "MINIPORT_ID_KEY": secrets.token_urlsafe(32),
    "MINIPORT_HOST_APPS": "superapp:" + secrets.token_urlsafe(32),
}


def settings_with(**changes):
    base = {
        "DEMO_MODE": False,
        "SECRETS_FROM_LOCAL_FILE": [],
        "RUNTIME_HOST_APPS": {"superapp": "s" * 40},
    }
    return SimpleNamespace(**{**base, **changes})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.5", "::1", "[::1]", "localhost"])
def test_loopback_addresses_need_nothing(host):
    assert is_loopback(host)
    unsafe = settings_with(
        DEMO_MODE=True,
        SECRETS_FROM_LOCAL_FILE=["SECRET_KEY"],
        RUNTIME_HOST_APPS={"demo-host": DEMO_HOST_APP_SECRET},
    )
    assert reachable_refusal(host, unsafe) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "mp.example.com"])
def test_other_addresses_are_reachable(host):
    assert not is_loopback(host)
    assert reachable_refusal(host, settings_with()) is None


def test_demo_mode_off_loopback_is_refused_naming_the_variable():
    refusal = reachable_refusal("0.0.0.0", settings_with(DEMO_MODE=True))
    assert "MINIPORT_DEMO_MODE" in refusal


def test_secrets_from_the_local_file_off_loopback_are_refused_by_name():
    refusal = reachable_refusal(
        "0.0.0.0", settings_with(SECRETS_FROM_LOCAL_FILE=["MINIPORT_AUDIT_KEY", "SECRET_KEY"])
    )
    assert "MINIPORT_AUDIT_KEY, SECRET_KEY" in refusal


@pytest.mark.parametrize("secret", [DEMO_HOST_APP_SECRET, "x" * 31])
def test_a_public_or_short_host_app_secret_off_loopback_is_refused(secret):
    refusal = reachable_refusal("10.0.0.2", settings_with(RUNTIME_HOST_APPS={"demo-host": secret}))
    assert "MINIPORT_HOST_APPS" in refusal
    assert "demo-host" in refusal
    assert secret not in refusal.replace("demo-host", "")  # the secret is never printed


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.live_server_process
def test_make_runs_settings_on_every_address_are_refused_and_nothing_starts(cli):
    """`make run` with HOST=0.0.0.0: demo mode and the demo host app, secrets from the
    local file: exit 1, one line naming what to set, nothing listening, no front config."""
    server = Served(
        cli,
        "--host",
        "0.0.0.0",
        env={"MINIPORT_DEMO_MODE": "1", "MINIPORT_HOST_APPS": f"demo-host:{DEMO_HOST_APP_SECRET}"},
    )
    assert server.process.wait(timeout=60) == 1
    output = server.output().strip()
    assert output.splitlines() == [output]
    assert output.startswith("miniport: error: --host 0.0.0.0")
    assert "MINIPORT_DEMO_MODE" in output
    assert not listening(server.port)
    assert not (server.front / "nginx.conf").exists()
    server.stop()
    without_secrets = Served(
        cli, "--host", "0.0.0.0", env={**dict.fromkeys(REAL_SECRETS, ""), "MINIPORT_DEMO_MODE": ""}
    )
    assert without_secrets.process.wait(timeout=60) == 1
    assert "SECRET_KEY" in without_secrets.output()
    without_secrets.stop()


@pytest.mark.live_server_process
def test_with_real_secrets_the_server_starts_on_every_address(cli):
    require_nginx()
    server = Served(
        cli, "--host", "0.0.0.0", "--workers", "1", env={**REAL_SECRETS, "MINIPORT_DEMO_MODE": ""}
    )
    try:
        server.wait_until_up()
    finally:
        assert server.stop() == 0
    assert "listen " + str(server.port) + " " in (server.front / "nginx.conf").read_text()


@pytest.mark.live_server_process
def test_no_front_runs_gunicorn_alone_on_the_address(cli):
    """`--no-front`: gunicorn alone on --host/--port (behind the operator's own proxy);
    no nginx config is written and Django still caps bodies itself."""
    from tests.cli.serve_support import raw_request

    server = Served(cli, "--no-front", "--workers", "1")
    try:
        server.wait_until_up()
        assert not (server.front / "nginx.conf").exists()
        refused = raw_request(
            server.port,
            b"POST /wxa/modify_domain HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: 1073741824\r\nConnection: close\r\n\r\n",
        )
        assert b'"errcode":45002' in refused
    finally:
        assert server.stop() == 0
