"""An access_token or js_code longer than any the platform issues is not one of ours:
40014 "invalid access_token" (wechat-api 1.4) and 40029 "invalid code" (3.1, after the
AppID and AppSecret checks), not 40097, for any length the request line admits. A
request line over `limits.MAX_REQUEST_LINE_BYTES` is refused before any parameter is
read (issue 9 item 9, tests/web/test_body_caps.py). (B-2)"""

from __future__ import annotations

import pytest

from miniport.web import limits
from tests.openapi.wire import credential_state, issue_code

# Room left on the request line for the path, the other parameters and the protocol.
ROOM = limits.MAX_REQUEST_LINE_BYTES - 400


@pytest.mark.parametrize("extra", [1, 400, ROOM - 128])
def test_a_valid_access_token_with_characters_added_is_40014(wire, app, extra):
    token = wire.token(app)
    before = credential_state()
    answer = wire.post(
        "/wxa/memberauth", {"action": "get_experiencer"}, access_token=token + "a" * extra
    )
    assert answer["errcode"] == 40014, answer
    assert answer["errmsg"].startswith("invalid access_token")
    assert wire.get("/wxa/getpaidunionid", access_token=token + "A" * extra)["errcode"] == 40014
    assert credential_state() == before


@pytest.mark.parametrize("length", [513, 2000, ROOM])
def test_an_overlong_js_code_is_40029_after_the_app_checks(wire, app, make_identity, length):
    code = issue_code(app.miniprogram, make_identity())
    params = {"appid": app.miniprogram.appid, "grant_type": "authorization_code"}
    before = credential_state()
    answer = wire.get(
        "/sns/jscode2session", secret=app.secret, js_code=code + "a" * length, **params
    )
    assert answer["errcode"] == 40029, answer
    wrong_secret = wire.get("/sns/jscode2session", secret="0" * 32, js_code="a" * length, **params)
    assert wrong_secret["errcode"] not in (40029, 40097, 0)
    assert credential_state() == before
    # The code issued is untouched and still redeems.
    assert "openid" in wire.get("/sns/jscode2session", secret=app.secret, js_code=code, **params)
