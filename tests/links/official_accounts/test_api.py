"""OA-1 and OA-3 on the server API: an official account's own tokens at /cgi-bin/token
and /cgi-bin/stable_token, and wxamplink / wxamplinkget / wxampunlink with their
errcodes (wechat-api 12). Each refusal leaves the associations as they were."""

from __future__ import annotations

import json

import pytest
import time_machine

from miniport.core import clock, policy
from miniport.core.actors import Actor
from miniport.links.official_accounts.models import OfficialAccountLink
from miniport.miniprograms.services import miniprogram_issue_secret
from tests.links.official_accounts.support import confirm, limit

pytestmark = pytest.mark.django_db


def get(client, path, **query):
    return json.loads(client.get(path, query).content)


def post(client, path, body, **query):
    url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    data = body if isinstance(body, bytes) else json.dumps(body)
    return json.loads(client.post(url, data, content_type="application/json").content)


@pytest.fixture
def oa(make_oa):
    return make_oa()


@pytest.fixture
def token(client, oa):
    answer = get(
        client, "/cgi-bin/token", grant_type="client_credential", appid=oa.appid, secret=oa.secret
    )
    return answer["access_token"]


def test_oa1_an_official_account_gets_its_token_and_stable_token_with_its_appsecret(client, oa):
    answer = get(
        client, "/cgi-bin/token", grant_type="client_credential", appid=oa.appid, secret=oa.secret
    )
    assert answer["expires_in"] == 7200 and "errcode" not in answer
    body = {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret}
    with time_machine.travel(clock.now(), tick=False) as traveller:
        first = post(client, "/cgi-bin/stable_token", body)
        assert post(client, "/cgi-bin/stable_token", body)["access_token"] == first["access_token"]
        # A forced refresh right after the mint answers the current token, as for apps.
        soon = post(client, "/cgi-bin/stable_token", {**body, "force_refresh": True})
        assert soon["access_token"] == first["access_token"]
        traveller.shift(policy.value("api.stable_token_force_interval_seconds"))
        forced = post(client, "/cgi-bin/stable_token", {**body, "force_refresh": True})
        assert forced["access_token"] != first["access_token"]


def test_oa1_an_official_account_stable_token_counts_against_the_daily_quota(client, oa):
    limit("api.stable_token_daily_quota", 1)
    body = {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret}
    assert "access_token" in post(client, "/cgi-bin/stable_token", body)
    assert post(client, "/cgi-bin/stable_token", body)["errcode"] == 45009


@pytest.mark.parametrize(("secret", "errcode"), [("0" * 32, 40001), ("short", 40125)])
def test_oa1_a_wrong_appsecret_of_an_official_account_is_refused(client, oa, secret, errcode):
    answer = get(
        client, "/cgi-bin/token", grant_type="client_credential", appid=oa.appid, secret=secret
    )
    assert answer["errcode"] == errcode


def test_oa1_a_mini_program_still_gets_its_token_and_an_unknown_appid_answers_40013(
    client, provision
):
    mp = provision("personal").miniprogram
    secret = miniprogram_issue_secret(actor=Actor.system("t"), miniprogram=mp)
    answer = get(
        client, "/cgi-bin/token", grant_type="client_credential", appid=mp.appid, secret=secret
    )
    assert "access_token" in answer
    unknown = get(
        client,
        "/cgi-bin/token",
        grant_type="client_credential",
        appid="wx0000000000000000",
        secret="0" * 32,
    )
    assert unknown["errcode"] == 40013


def test_oa3_a_mini_program_token_is_no_official_account_token(client, provision):
    """OA-3: the wrong kind of token is 48001 (wechat-api 1.4); a made-up one stays 40014."""
    mp = provision("personal").miniprogram
    secret = miniprogram_issue_secret(actor=Actor.system("t"), miniprogram=mp)
    mp_token = get(
        client, "/cgi-bin/token", grant_type="client_credential", appid=mp.appid, secret=secret
    )["access_token"]
    answer = post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=mp_token)
    assert answer["errcode"] == 48001
    made_up = post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token="A" * 43)
    assert made_up["errcode"] == 40014
    assert post(client, "/cgi-bin/wxopen/wxamplinkget", {})["errcode"] == 41001


def test_oa3_wxamplink_asks_and_wxamplinkget_lists_with_the_reference_fields(
    client, token, provision
):
    mp = provision("enterprise", certified=True).miniprogram
    answer = post(
        client,
        "/cgi-bin/wxopen/wxamplink",
        {"appid": mp.appid, "notify_users": "1", "show_profile": "0"},
        access_token=token,
    )
    assert answer == {"errcode": 0, "errmsg": "ok"}
    listed = post(client, "/cgi-bin/wxopen/wxamplinkget", b"", access_token=token)
    [item] = listed["wxopens"]["items"]
    assert item["status"] == 2 and item["appid"] == mp.appid
    assert set(item) >= {
        "username",
        "nickname",
        "headimg_url",
        "selected",
        "nearby_display_status",
        "released",
        "email",
        "func_infos",
    }
    assert item["func_infos"][0]["status"] == 1
    confirm(OfficialAccountLink.objects.get())
    listed = post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=token)
    assert listed["wxopens"]["items"][0]["status"] == 1


def test_oa3_a_refused_request_is_listed_with_status_3(client, token, provision):
    from miniport.links.official_accounts import links

    mp = provision("enterprise").miniprogram
    post(client, "/cgi-bin/wxopen/wxamplink", {"appid": mp.appid}, access_token=token)
    links.link_refuse(actor=Actor.system("t"), link=OfficialAccountLink.objects.get())
    listed = post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=token)
    assert listed["wxopens"]["items"][0]["status"] == 3


@pytest.mark.parametrize("appid", ["", "wx0000000000000000", "not an appid"])
def test_oa3_wxamplink_of_an_unknown_appid_answers_40013(client, token, appid):
    answer = post(client, "/cgi-bin/wxopen/wxamplink", {"appid": appid}, access_token=token)
    assert answer["errcode"] == 40013
    assert OfficialAccountLink.objects.count() == 0


def test_oa3_wxamplink_errcodes_89010_89015_89017_89009_89007(client, token, provision, make_oa):
    mp = provision("enterprise").miniprogram
    ask = {"appid": mp.appid}
    post(client, "/cgi-bin/wxopen/wxamplink", ask, access_token=token)
    assert post(client, "/cgi-bin/wxopen/wxamplink", ask, access_token=token)["errcode"] == 89010
    confirm(OfficialAccountLink.objects.get())
    assert post(client, "/cgi-bin/wxopen/wxamplink", ask, access_token=token)["errcode"] == 89015
    limit("official_account.other_subject_links", 1)
    other = {"appid": provision("enterprise").miniprogram.appid}
    assert post(client, "/cgi-bin/wxopen/wxamplink", other, access_token=token)["errcode"] == 89017
    limit("official_account.links_per_miniprogram", 1)
    second = make_oa()
    second_token = get(
        client,
        "/cgi-bin/token",
        grant_type="client_credential",
        appid=second.appid,
        secret=second.secret,
    )["access_token"]
    answer = post(client, "/cgi-bin/wxopen/wxamplink", ask, access_token=second_token)
    assert answer["errcode"] == 89009
    limit("official_account.additions_per_month", 0)
    answer = post(client, "/cgi-bin/wxopen/wxamplink", other, access_token=second_token)
    assert answer["errcode"] == 89007
    assert OfficialAccountLink.objects.count() == 1


def test_oa3_wxamplink_with_bad_bodies_answers_the_documented_errcodes(client, token):
    assert post(client, "/cgi-bin/wxopen/wxamplink", b"", access_token=token)["errcode"] == 44002
    assert post(client, "/cgi-bin/wxopen/wxamplink", b"{", access_token=token)["errcode"] == 47001
    nul = post(client, "/cgi-bin/wxopen/wxamplink", {"appid": "wx\u0000"}, access_token=token)
    assert nul["errcode"] == 47001
    assert client.get("/cgi-bin/wxopen/wxamplink").json()["errcode"] == 43002


def test_oa3_wxampunlink_ends_the_association_and_then_answers_40013(client, token, provision):
    mp = provision("enterprise").miniprogram
    post(client, "/cgi-bin/wxopen/wxamplink", {"appid": mp.appid}, access_token=token)
    confirm(OfficialAccountLink.objects.get())
    answer = post(client, "/cgi-bin/wxopen/wxampunlink", {"appid": mp.appid}, access_token=token)
    assert answer["errcode"] == 0
    again = post(client, "/cgi-bin/wxopen/wxampunlink", {"appid": mp.appid}, access_token=token)
    assert again["errcode"] == 40013
    assert post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=token)["wxopens"] == {
        "items": []
    }


def test_oa1_an_official_account_token_opens_no_mini_program_route(client, token):
    """OA-1: the wrong kind of token is 48001 (wechat-api 1.4); a made-up one stays 40014."""
    answer = post(client, "/wxa/plugin", {"action": "list"}, access_token=token)
    assert answer["errcode"] == 48001
    made_up = post(client, "/wxa/plugin", {"action": "list"}, access_token="A" * 43)
    assert made_up["errcode"] == 40014


def test_oa1_a_superseded_official_account_token_ends_after_the_grace_window(client, oa):
    params = {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret}
    with time_machine.travel(clock.now(), tick=False) as traveller:
        old = get(client, "/cgi-bin/token", **params)["access_token"]
        get(client, "/cgi-bin/token", **params)
        assert post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=old)["errcode"] == 0
        traveller.shift(policy.value("api.token_grace_seconds"))
        assert (
            post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=old)["errcode"] == 40001
        )
        traveller.shift(7200)
        assert (
            post(client, "/cgi-bin/wxopen/wxamplinkget", {}, access_token=old)["errcode"] == 42001
        )
