"""GET /sns/jscode2session (wechat-api 3.1): a wx.login code is redeemed once (40163 the
second time), within 5 minutes (40029 after, and for a code of another app), for the
user's openid (stable per user and mini program) and session_key; no errcode and no
unionid on success; 45011 beyond the per-user minute limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import LoginCode
from tests.openapi.wire import credential_state, issue_code

START = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def redeem(wire, app, code, **changes):
    params = {
        "appid": app.miniprogram.appid,
        "secret": app.secret,
        "js_code": code,
        "grant_type": "authorization_code",
    }
    params.update(changes)
    return wire.get("/sns/jscode2session", **{k: v for k, v in params.items() if v is not None})


def test_a_code_gives_the_users_openid_and_a_session_key_without_errcode(wire, app, make_identity):
    user = make_identity()
    result = redeem(wire, app, issue_code(app.miniprogram, user))
    assert set(result) == {"openid", "session_key"}
    assert result["openid"] == openid_for(user, app.miniprogram.appid)
    assert len(result["session_key"]) == 24


def test_openid_is_stable_per_user_and_differs_between_mini_programs(
    wire, provision, make_identity
):
    first, second = provision("personal"), provision("personal")
    user = make_identity()
    one = redeem(wire, first, issue_code(first.miniprogram, user))["openid"]
    two = redeem(wire, first, issue_code(first.miniprogram, user))["openid"]
    other = redeem(wire, second, issue_code(second.miniprogram, user))["openid"]
    assert one == two != other
    assert redeem(wire, first, issue_code(first.miniprogram, make_identity()))["openid"] != one


def test_a_code_is_redeemed_once_then_40163(wire, app, make_identity):
    code = issue_code(app.miniprogram, make_identity())
    assert "openid" in redeem(wire, app, code)
    before = credential_state()
    assert redeem(wire, app, code)["errcode"] == 40163
    assert credential_state() == before


def test_a_code_expires_after_five_minutes_with_40029(wire, app, make_identity):
    with time_machine.travel(START, tick=False) as traveller:
        code = issue_code(app.miniprogram, make_identity())
        traveller.shift(300)
        before = credential_state()
        assert redeem(wire, app, code)["errcode"] == 40029
        assert credential_state() == before


def test_a_code_works_until_just_before_its_five_minutes(wire, app, make_identity):
    with time_machine.travel(START, tick=False) as traveller:
        code = issue_code(app.miniprogram, make_identity())
        traveller.shift(299)
        assert "openid" in redeem(wire, app, code)


def test_a_code_of_another_app_answers_40029_and_stays_usable_there(wire, provision, make_identity):
    mine, theirs = provision("personal"), provision("personal")
    code = issue_code(theirs.miniprogram, make_identity())
    before = credential_state()
    assert redeem(wire, mine, code)["errcode"] == 40029
    assert credential_state() == before
    assert "openid" in redeem(wire, theirs, code)


@pytest.mark.parametrize(
    ("changes", "errcode"),
    [
        ({"js_code": None}, 41008),
        ({"js_code": "madeUpCodeThatWasNeverIssued0001"}, 40029),
        ({"js_code": "bad code!"}, 40029),
        ({"appid": None}, 41002),
        ({"secret": None}, 41004),
        ({"grant_type": "client_credential"}, 40002),
        ({"secret": "f" * 32}, 40001),
        ({"appid": "wx1234567890abcdef"}, 40013),
    ],
    ids=[
        "no-code",
        "unknown-code",
        "malformed-code",
        "no-appid",
        "no-secret",
        "wrong-grant",
        "wrong-secret",
        "unknown-appid",
    ],
)
def test_a_refused_call_answers_its_errcode_and_leaves_the_code_unused(
    wire, app, make_identity, changes, errcode
):
    code = issue_code(app.miniprogram, make_identity())
    before = credential_state()
    assert redeem(wire, app, code, **changes)["errcode"] == errcode
    assert credential_state() == before
    assert LoginCode.objects.get().used_at is None


def test_beyond_the_per_user_minute_limit_45011_then_the_next_minute_works(
    wire, app, make_identity, override
):
    override("api.jscode2session_per_user_minute", 2)
    user, other = make_identity(), make_identity()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(2):
            assert "openid" in redeem(wire, app, issue_code(app.miniprogram, user))
        blocked = issue_code(app.miniprogram, user)
        before = credential_state()
        assert redeem(wire, app, blocked)["errcode"] == 45011
        assert credential_state() == before
        assert "openid" in redeem(wire, app, issue_code(app.miniprogram, other))
        traveller.shift(61)
        assert "openid" in redeem(wire, app, blocked)


def test_codes_are_stored_as_hashes(app, make_identity):
    code = issue_code(app.miniprogram, make_identity())
    row = LoginCode.objects.get()
    assert row.digest != code and code not in row.digest
