"""Token lifetimes (wechat-api 1.2): 7200 s, then 42001; a new fetch leaves the previous
token valid for the 5-minute grace window only, then 40001 (not latest); the
/cgi-bin/token and /cgi-bin/stable_token families never touch each other."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def token_params(app):
    return {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}


def use(wire, token) -> int:
    return wire.post("/wxa/modify_domain", {"action": "get"}, access_token=token)["errcode"]


def test_a_token_lives_7200_seconds_then_answers_42001(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        token = wire.get("/cgi-bin/token", **token_params(app))["access_token"]
        traveller.shift(7199)
        assert use(wire, token) == 0
        traveller.shift(1)
        assert use(wire, token) == 42001


def test_a_new_fetch_leaves_the_old_token_five_minutes_then_40001(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        old = wire.get("/cgi-bin/token", **token_params(app))["access_token"]
        traveller.shift(600)
        new = wire.get("/cgi-bin/token", **token_params(app))["access_token"]
        assert new != old
        traveller.shift(299)
        assert use(wire, old) == 0
        traveller.shift(1)
        assert use(wire, old) == 40001
        assert use(wire, new) == 0


def test_a_superseded_token_past_its_own_expiry_answers_42001(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        old = wire.get("/cgi-bin/token", **token_params(app))["access_token"]
        traveller.shift(7000)
        wire.get("/cgi-bin/token", **token_params(app))
        traveller.shift(200)
        assert use(wire, old) == 42001


def test_token_and_stable_token_families_are_isolated(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        stable = wire.post("/cgi-bin/stable_token", token_params(app))["access_token"]
        plain = wire.get("/cgi-bin/token", **token_params(app))["access_token"]
        traveller.shift(40)  # forced refreshes need 30 s since the last mint
        wire.get("/cgi-bin/token", **token_params(app))
        wire.post("/cgi-bin/stable_token", {**token_params(app), "force_refresh": True})
        traveller.shift(301)
        # Each was superseded only by its own family.
        assert use(wire, plain) == 40001
        assert use(wire, stable) == 40001
        again = wire.post("/cgi-bin/stable_token", token_params(app))["access_token"]
        assert again != stable


def test_fetching_a_plain_token_leaves_the_stable_token_untouched(wire, app):
    with time_machine.travel(START, tick=False) as traveller:
        stable = wire.post("/cgi-bin/stable_token", token_params(app))["access_token"]
        for _ in range(3):
            wire.get("/cgi-bin/token", **token_params(app))
        traveller.shift(3600)
        assert use(wire, stable) == 0
        assert wire.post("/cgi-bin/stable_token", token_params(app))["access_token"] == stable
