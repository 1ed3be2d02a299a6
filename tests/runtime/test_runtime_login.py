"""B-3: POST /runtime/v1/login is the host's wx.login: a single-use code for the
signed-in identity and one mini program, stored hashed, redeemed by the mini program's
server at /sns/jscode2session for the identity's openid."""

from __future__ import annotations

from miniport.accounts.models import Registration
from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import LoginCode
from tests.openapi.wire import Wire


def test_login_gives_a_code_that_jscode2session_redeems_for_the_users_openid(
    client, runtime, make_identity, app_for_login
):
    user = make_identity("alice_wx", password="alice-pass-1")
    runtime.sign_in("alice_wx", "alice-pass-1")
    result = runtime.login(app_for_login.miniprogram.appid)
    assert result["errcode"] == 0 and result["expires_in"] == 300 and len(result["code"]) == 32
    session = Wire(client).get(
        "/sns/jscode2session",
        appid=app_for_login.miniprogram.appid,
        secret=app_for_login.secret,
        js_code=result["code"],
        grant_type="authorization_code",
    )
    assert session["openid"] == openid_for(user, app_for_login.miniprogram.appid)


def test_the_code_is_stored_only_as_a_hash(runtime, make_identity, app_for_login):
    make_identity("alice_wx", password="alice-pass-1")
    runtime.sign_in("alice_wx", "alice-pass-1")
    code = runtime.login(app_for_login.miniprogram.appid)["code"]
    row = LoginCode.objects.get()
    assert code not in (row.digest, row.session_key)


def test_an_unknown_or_inactive_mini_program_answers_40013(runtime, make_identity, app_for_login):
    make_identity("alice_wx", password="alice-pass-1")
    runtime.sign_in("alice_wx", "alice-pass-1")
    assert runtime.login("wx0000000000000000")["errcode"] == 40013
    Registration.objects.filter(account=app_for_login.miniprogram.account).update(status="failed")
    assert runtime.login(app_for_login.miniprogram.appid)["errcode"] == 40013
    assert not LoginCode.objects.exists()


def test_login_takes_a_json_body(runtime, make_identity, app_for_login):
    make_identity("alice_wx", password="alice-pass-1")
    runtime.sign_in("alice_wx", "alice-pass-1")
    assert runtime.call("POST", "login")["errcode"] == 44002
    assert runtime.call("GET", "login")["errcode"] == 43002
    assert not LoginCode.objects.exists()


def test_ping_answers_without_touching_the_database(client):
    # No database fixture: pytest-django makes any query in this test an error.
    response = client.get("/runtime/v1/ping")
    assert response.status_code == 200 and response.content == b'{"ok":true}'
