"""A wx.login code is redeemed once, however many calls race for it (wechat-api 3.1;
issue 9 item 10): real threads call GET /sns/jscode2session through the whole request
stack at the same moment, on a file SQLite database and on PostgreSQL. Exactly one gets
the session, every other one is told 40163 "code been used", and the code is marked used
once. The single-use check is the `used_at IS NULL` of the redeeming UPDATE: the read
before it cannot tell racing callers apart."""

from __future__ import annotations

import json
import threading

import pytest
from django.test import Client

from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import LoginCode
from miniport.miniprograms.services import credential_sql
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.openapi.wire import issue_code

CALLERS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def redeem_in_parallel(app, code: str, callers: int = CALLERS) -> list:
    """Each thread is its own server caller with its own client and connection."""
    query = {
        "appid": app.miniprogram.appid,
        "secret": app.secret,
        "js_code": code,
        "grant_type": "authorization_code",
    }

    def call(_index: int) -> dict:
        response = Client().get("/sns/jscode2session", query, REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    return run_concurrently(callers, call)


def test_twenty_racing_redemptions_of_one_code_give_one_session(app, make_identity):
    """issue 9 item 10: one code, one session; the 19 others answer 40163."""
    assert_shared_database()
    user = make_identity()
    code = issue_code(app.miniprogram, user)

    outcomes = redeem_in_parallel(app, code)

    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    sessions = [o for o in outcomes if "openid" in o]
    refusals = [o for o in outcomes if "openid" not in o]
    assert len(sessions) == 1, sessions
    assert sessions[0]["openid"] == openid_for(user, app.miniprogram.appid)
    assert sessions[0]["session_key"]
    assert len(refusals) == CALLERS - 1
    assert {r["errcode"] for r in refusals} == {40163}, refusals
    row = LoginCode.objects.get()
    assert row.used_at is not None


def test_callers_that_all_read_the_code_as_unused_still_get_one_session(
    app, make_identity, monkeypatch
):
    """issue 9 item 10, the worst interleaving: every caller has read the code as unused
    before any of them redeems it (each waits for the others right before the redeeming
    UPDATE); the UPDATE alone must let exactly one through."""
    assert_shared_database()
    user = make_identity()
    code = issue_code(app.miniprogram, user)
    all_read = threading.Barrier(CALLERS, timeout=30)
    real = credential_sql.redeem_login_code

    def redeem_when_all_have_read(*args, **kwargs):
        all_read.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(credential_sql, "redeem_login_code", redeem_when_all_have_read)

    outcomes = redeem_in_parallel(app, code)

    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert sum(1 for o in outcomes if "openid" in o) == 1, outcomes
    assert [o["errcode"] for o in outcomes if "openid" not in o] == [40163] * (CALLERS - 1)
    assert LoginCode.objects.get().used_at is not None


def test_racing_redemptions_of_different_codes_each_succeed_once(app, make_identity):
    """The single-use check refuses only the same code: ten users' codes, each raced by
    two callers, give ten sessions, one per user."""
    assert_shared_database()
    users = [make_identity() for _ in range(10)]
    codes = [issue_code(app.miniprogram, user) for user in users]
    query = {"appid": app.miniprogram.appid, "secret": app.secret}

    def call(index: int) -> dict:
        params = {**query, "js_code": codes[index // 2], "grant_type": "authorization_code"}
        response = Client().get("/sns/jscode2session", params, REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    outcomes = run_concurrently(2 * len(codes), call)

    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    openids = sorted(o["openid"] for o in outcomes if "openid" in o)
    assert openids == sorted(openid_for(user, app.miniprogram.appid) for user in users)
    assert {o["errcode"] for o in outcomes if "openid" not in o} == {40163}
    assert LoginCode.objects.filter(used_at__isnull=True).count() == 0
