"""B-3: the host app authenticates with its credential (X-Host-App) and signs an
identity in (POST /runtime/v1/session); the session token names both, expires, and
ends when the identity's password changes."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests.runtime.conftest import HOST_SECRET, Runtime


def test_an_identity_signs_in_and_gets_a_session(runtime, make_identity):
    user = make_identity("alice_wx", password="alice-pass-1")
    result = runtime.sign_in("alice_wx", "alice-pass-1")
    assert result["errcode"] == 0
    assert result["wechat_id"] == user.wechat_id
    assert result["session"] and result["expires_in"] == 7 * 24 * 3600


def test_a_wrong_password_is_refused(runtime, make_identity):
    make_identity("alice_wx", password="alice-pass-1")
    result = runtime.sign_in("alice_wx", "wrong-pass")
    assert result["error"] == "identity_login_failed" and "session" not in result


def test_without_a_valid_host_credential_nothing_answers(client, make_identity):
    make_identity("alice_wx", password="alice-pass-1")
    for host in ("", "superapp", "superapp:wrong-secret", f"other:{HOST_SECRET}"):
        result = Runtime(client, host=host).sign_in("alice_wx", "alice-pass-1")
        assert result["error"] == "host_app_invalid", host


def test_login_needs_a_session(runtime, app_for_login):
    result = runtime.login(app_for_login.miniprogram.appid)
    assert result["error"] == "runtime_session_missing"
    runtime.session = "forged-session-token"
    assert runtime.login(app_for_login.miniprogram.appid)["error"] == "runtime_session_invalid"


def test_a_session_expires(runtime, make_identity, app_for_login):
    make_identity("alice_wx", password="alice-pass-1")
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=UTC), tick=False) as traveller:
        runtime.sign_in("alice_wx", "alice-pass-1")
        traveller.shift(7 * 24 * 3600 - 5)
        assert "code" in runtime.login(app_for_login.miniprogram.appid)
        traveller.shift(10)
        assert runtime.login(app_for_login.miniprogram.appid)["error"] == "runtime_session_invalid"


def test_a_password_change_ends_the_session(runtime, make_identity, app_for_login):
    user = make_identity("alice_wx", password="alice-pass-1")
    runtime.sign_in("alice_wx", "alice-pass-1")
    user.set_password("another-pass-2")
    user.save(update_fields=["password"])
    assert runtime.login(app_for_login.miniprogram.appid)["error"] == "runtime_session_invalid"


def test_a_session_belongs_to_the_host_app_that_opened_it(
    client, settings, make_identity, app_for_login
):
    settings.RUNTIME_HOST_APPS = {"superapp": HOST_SECRET, "otherapp": "other-secret"}
    make_identity("alice_wx", password="alice-pass-1")
    first = Runtime(client)
    first.sign_in("alice_wx", "alice-pass-1")
    other = Runtime(client, host="otherapp:other-secret")
    other.session = first.session
    assert other.login(app_for_login.miniprogram.appid)["error"] == "runtime_session_invalid"
