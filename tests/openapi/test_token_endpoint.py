"""GET /cgi-bin/token (wechat-api 2.1): the success body, every documented refusal
(each leaving tokens, quotas and the audit log as they were), the daily quota, the IP
whitelist (DEV-2) and the AppSecret reset (DEV-2)."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Registration
from miniport.core import metrics
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.miniprograms.models import AccessToken
from miniport.miniprograms.services import miniprogram_issue_secret
from tests.miniprograms.devsettings_support import set_ip_whitelist
from tests.openapi.wire import credential_state


def fetch(wire, **params):
    return wire.get("/cgi-bin/token", **params)


def good(app, **changes):
    params = {
        "grant_type": "client_credential",
        "appid": app.miniprogram.appid,
        "secret": app.secret,
    }
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def test_success_body_is_only_access_token_and_expires_in(wire, app):
    result = fetch(wire, **good(app))
    assert set(result) == {"access_token", "expires_in"}
    assert result["expires_in"] == 7200
    assert len(result["access_token"]) >= 64


def test_the_token_is_stored_as_a_hash_and_its_issue_is_counted_not_audited(wire, app):
    """Issue 9 item 7: a token issue is a metric (a daily count per app), not an audit
    entry; the AppSecret reset stays audited (test_devsettings_secret)."""
    audited = AuditEntry.objects.count()
    token = fetch(wire, **good(app))["access_token"]
    row = AccessToken.objects.get(miniprogram=app.miniprogram, family="token")
    assert row.digest != token and token not in row.digest and row.clear == ""
    assert AuditEntry.objects.count() == audited
    assert metrics.today(f"app:{app.miniprogram.appid}", "token.issue") == 1
    fetch(wire, **good(app))
    assert metrics.today(f"app:{app.miniprogram.appid}", "token.issue") == 2


@pytest.mark.parametrize(
    ("changes", "errcode"),
    [
        ({"appid": None}, 41002),
        ({"appid": ""}, 41002),
        ({"secret": None}, 41004),
        ({"grant_type": None}, 40002),
        ({"grant_type": "authorization_code"}, 40002),
        ({"appid": "wx0000000000000000"}, 40013),
        ({"secret": "not-a-secret"}, 40125),
        ({"secret": "0" * 32}, 40001),
    ],
    ids=[
        "no-appid",
        "empty-appid",
        "no-secret",
        "no-grant",
        "wrong-grant",
        "unknown-appid",
        "malformed-secret",
        "wrong-secret",
    ],
)
def test_a_refused_fetch_answers_its_errcode_and_changes_nothing(wire, app, changes, errcode):
    before = credential_state()
    result = fetch(wire, **good(app, **changes))
    assert result["errcode"] == errcode, result
    assert credential_state() == before


def test_a_registration_that_is_not_active_cannot_fetch_tokens(wire, app):
    Registration.objects.filter(account=app.miniprogram.account).update(status="pending_remittance")
    before = credential_state()
    assert fetch(wire, **good(app))["errcode"] == 48001
    assert credential_state() == before


def test_daily_quota_answers_45009_and_issues_nothing(wire, app, override):
    override("api.token_daily_quota", 2)
    fetch(wire, **good(app))
    fetch(wire, **good(app))
    before = credential_state()
    assert fetch(wire, **good(app))["errcode"] == 45009
    assert credential_state() == before
    assert AccessToken.objects.filter(miniprogram=app.miniprogram).count() == 2


def test_ip_whitelist_refuses_other_addresses_with_40164(client, app):
    """DEV-2: a non-empty API IP whitelist admits only its addresses and ranges."""
    from tests.openapi.wire import Wire

    set_ip_whitelist(app.miniprogram, ["10.0.0.0/8", "192.0.2.7"])
    before = credential_state()
    outside = Wire(client, remote_addr="127.0.0.1")
    result = fetch(outside, **good(app))
    assert result["errcode"] == 40164 and "127.0.0.1" in result["errmsg"]
    assert credential_state() == before
    assert "access_token" in fetch(Wire(client, remote_addr="10.20.30.40"), **good(app))
    assert "access_token" in fetch(Wire(client, remote_addr="192.0.2.7"), **good(app))


def test_an_empty_ip_whitelist_admits_every_address(client, app):
    from tests.openapi.wire import Wire

    assert "access_token" in fetch(Wire(client, remote_addr="203.0.113.9"), **good(app))


def test_after_a_secret_reset_the_old_secret_fails_but_its_tokens_live_on(wire, app):
    """DEV-2: the old AppSecret stops working at once; tokens fetched with it keep
    their lifetime (WeChat's behaviour)."""
    old_token = fetch(wire, **good(app))["access_token"]
    new_secret = miniprogram_issue_secret(actor=Actor.system("tests"), miniprogram=app.miniprogram)
    before = credential_state()
    assert fetch(wire, **good(app))["errcode"] == 40001
    assert credential_state() == before
    listed = wire.post("/wxa/modify_domain", {"action": "get"}, access_token=old_token)
    assert listed["errcode"] == 0
    assert "access_token" in fetch(wire, **good(app, secret=new_secret))


def test_a_pending_secretless_app_is_refused_like_a_wrong_secret(wire, app):
    type(app.miniprogram).objects.filter(pk=app.miniprogram.pk).update(secret_digest="")
    assert fetch(wire, **good(app))["errcode"] == 40001
