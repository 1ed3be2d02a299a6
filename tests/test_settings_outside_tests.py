"""Issue 9 item 9: what miniport.settings makes of the environment when the suite's
test_settings are not loaded. Each case imports the settings in a fresh interpreter with
exactly the variables given, so nothing of the suite's own configuration leaks in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

ROOT = Path(__file__).resolve().parent.parent
# Variables the settings read; each case starts without any of them.
READ = (
    "ALLOWED_HOSTS",
    "MINIPORT_SECURE",
    "MINIPORT_TRUSTED_PROXY_HOPS",
    "MINIPORT_SESSION_MAX_SECONDS",
    "MINIPORT_SESSION_IDLE_SECONDS",
    "DJANGO_SETTINGS_MODULE",
)


def production_settings(tmp_path, **env: str) -> dict:
    """The values miniport.settings computes for `env` (plus a private var folder)."""
    clean = {name: value for name, value in os.environ.items() if name not in READ}
    clean.update(env, MINIPORT_VAR_DIR=str(tmp_path / "var"))
    script = (
        "import json; from miniport import settings as s; print(json.dumps({"
        "'hosts': s.ALLOWED_HOSTS, 'proxy_ssl': s.SECURE_PROXY_SSL_HEADER, "
        "'redirect': s.SECURE_SSL_REDIRECT, 'age': s.SESSION_COOKIE_AGE, "
        "'idle': s.SESSION_IDLE_SECONDS}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_allowed_hosts_outside_the_suite_do_not_include_testserver(tmp_path):
    """Issue 9 item 9: only miniport.test_settings adds the test client's host."""
    values = production_settings(tmp_path)
    assert values["hosts"] == ["127.0.0.1", "localhost"]
    assert (
        "testserver" not in production_settings(tmp_path, ALLOWED_HOSTS="mp.example.com")["hosts"]
    )


def test_secure_without_a_declared_proxy_does_not_believe_x_forwarded_proto(tmp_path):
    """Issue 9 item 9: MINIPORT_SECURE with no trusted proxy hops: a client's own
    `X-Forwarded-Proto: https` does not make its plain request secure, so it is still
    sent to https."""
    values = production_settings(tmp_path, MINIPORT_SECURE="1")
    assert values["proxy_ssl"] is None and values["redirect"] is True
    header = values["proxy_ssl"]
    with override_settings(SECURE_PROXY_SSL_HEADER=header):
        forged = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
        assert forged.is_secure() is False


@pytest.mark.django_db
def test_a_plain_request_claiming_https_is_still_redirected(tmp_path, client):
    """Issue 9 item 9: the same rule through the middleware: SecurityMiddleware sends the
    forged request to https instead of serving it as secure."""
    header = production_settings(tmp_path, MINIPORT_SECURE="1")["proxy_ssl"]
    with override_settings(SECURE_PROXY_SSL_HEADER=header, SECURE_SSL_REDIRECT=True):
        forged = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301 and forged.url.startswith("https://")


def test_behind_a_declared_proxy_x_forwarded_proto_is_believed(tmp_path):
    """Issue 9 item 9: with MINIPORT_TRUSTED_PROXY_HOPS the proxy's header counts."""
    values = production_settings(tmp_path, MINIPORT_SECURE="1", MINIPORT_TRUSTED_PROXY_HOPS="1")
    assert values["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    with override_settings(SECURE_PROXY_SSL_HEADER=tuple(values["proxy_ssl"])):
        assert RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https").is_secure() is True
    plain = production_settings(tmp_path, MINIPORT_TRUSTED_PROXY_HOPS="1")
    assert plain["proxy_ssl"] is None  # without MINIPORT_SECURE nothing is https anyway


def test_sessions_last_12_hours_and_30_idle_minutes_unless_configured(tmp_path):
    """Issue 9 item 9: the chosen lifetimes, and the variables that change them."""
    values = production_settings(tmp_path)
    assert (values["age"], values["idle"]) == (12 * 3600, 30 * 60)
    shorter = production_settings(
        tmp_path, MINIPORT_SESSION_MAX_SECONDS="3600", MINIPORT_SESSION_IDLE_SECONDS="600"
    )
    assert (shorter["age"], shorter["idle"]) == (3600, 600)
