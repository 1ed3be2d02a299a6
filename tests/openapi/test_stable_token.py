"""POST /cgi-bin/stable_token (wechat-api 2.2): normal mode hands back the same token
while more than 5 minutes remain, mints a new one in the last 5 minutes (both valid);
force_refresh rotates at once, 20 a day, 30 s apart; daily quota 45009."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from miniport.miniprograms.models import AccessToken
from tests.openapi.wire import credential_state

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def body(app, **changes):
    data = {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def stable(wire, app, **changes) -> dict:
    return wire.post("/cgi-bin/stable_token", body(app, **changes))


def use(wire, token) -> int:
    return wire.post("/wxa/modify_domain", {"action": "get"}, access_token=token)["errcode"]


def test_normal_mode_returns_the_same_token_with_expires_in_counting_down(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        first = stable(wire, app)
        assert set(first) == {"access_token", "expires_in"} and first["expires_in"] == 7200
        traveller.shift(1000)
        second = stable(wire, app)
        assert second["access_token"] == first["access_token"]
        assert second["expires_in"] == 6200
        assert AccessToken.objects.filter(miniprogram=app.miniprogram, family="stable").count() == 1


def test_in_the_last_five_minutes_a_new_token_is_minted_and_both_stay_valid(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        old = stable(wire, app)["access_token"]
        traveller.shift(7200 - 300)
        fresh = stable(wire, app)
        assert fresh["access_token"] != old and fresh["expires_in"] == 7200
        traveller.shift(299)
        assert use(wire, old) == 0 and use(wire, fresh["access_token"]) == 0
        assert stable(wire, app)["access_token"] == fresh["access_token"]
        traveller.shift(1)
        assert use(wire, old) == 42001


def test_force_refresh_rotates_at_once_and_the_old_token_is_refused_at_once(wire, app):
    """A forced refresh is what a caller does when a token leaked: the token it replaces
    ends with it, without the normal mode's five-minute handover."""
    with time_machine.travel(START, tick=False) as traveller:
        old = stable(wire, app)["access_token"]
        assert use(wire, old) == 0
        traveller.shift(60)
        forced = stable(wire, app, force_refresh=True)
        assert forced["access_token"] != old and forced["expires_in"] == 7200
        assert use(wire, old) == 40001
        assert use(wire, forced["access_token"]) == 0
        assert stable(wire, app)["access_token"] == forced["access_token"]


def test_a_forced_call_within_30_seconds_returns_the_current_token_unrefreshed(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        current = stable(wire, app)["access_token"]
        traveller.shift(29)
        before = credential_state()
        again = stable(wire, app, force_refresh=True)
        assert again["access_token"] == current and again["expires_in"] == 7200 - 29
        after = credential_state()
        assert after["tokens"] == before["tokens"]


def test_force_refresh_is_limited_per_day(wire, app, override):
    override("api.stable_token_force_daily", 2)
    with time_machine.travel(START, tick=False) as traveller:
        stable(wire, app)
        for _ in range(2):
            traveller.shift(31)
            assert "access_token" in stable(wire, app, force_refresh=True)
        traveller.shift(31)
        before = credential_state()
        refused = stable(wire, app, force_refresh=True)
        assert refused["errcode"] == 45009
        assert credential_state()["tokens"] == before["tokens"]


def test_force_refresh_given_as_a_string_is_understood(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        old = stable(wire, app)["access_token"]
        traveller.shift(31)
        assert stable(wire, app, force_refresh="true")["access_token"] != old


def test_the_daily_quota_answers_45009(wire, app, override):
    override("api.stable_token_daily_quota", 3)
    for _ in range(3):
        assert "access_token" in stable(wire, app)
    before = credential_state()
    assert stable(wire, app)["errcode"] == 45009
    assert credential_state() == before


@pytest.mark.parametrize(
    ("changes", "errcode"),
    [
        ({"appid": None}, 41002),
        ({"secret": None}, 41004),
        ({"grant_type": "password"}, 40002),
        ({"appid": "wxffffffffffffffff"}, 40013),
        ({"secret": "x"}, 40125),
        ({"secret": "a" * 32}, 40001),
    ],
    ids=[
        "no-appid",
        "no-secret",
        "wrong-grant",
        "unknown-appid",
        "malformed-secret",
        "wrong-secret",
    ],
)
def test_a_refused_call_answers_its_errcode_and_changes_nothing(wire, app, changes, errcode):
    before = credential_state()
    assert stable(wire, app, **changes)["errcode"] == errcode
    assert credential_state() == before


def test_stable_token_takes_json_only(wire, app):
    params = body(app)
    assert wire.get("/cgi-bin/stable_token", **params)["errcode"] == 43002
    assert wire.post_raw("/cgi-bin/stable_token", b"", **params)["errcode"] == 44002
