"""OA-1, OA-3 as a stranger tries them: hostile menu values, hostile bodies on wxamplink
with the official account's own token, and an official account's token on the mini
program routes. Every refusal answers its code and leaves everything as it was."""

from __future__ import annotations

import json

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import services
from miniport.links.official_accounts.errors import OfficialAccountError as E
from miniport.links.official_accounts.models import OfficialAccountLink
from tests.links.official_accounts.support import confirm, limit, request

pytestmark = pytest.mark.django_db

URL = "https://example.com/page"


def set_menu(oa, buttons):
    return services.official_account_menu_update(
        actor=Actor.for_identity(oa.admin_identity), official_account=oa, buttons=buttons
    )


def button(appid, pagepath):
    return {
        "type": "miniprogram",
        "name": "小程序",
        "appid": appid,
        "pagepath": pagepath,
        "url": URL,
    }


@pytest.mark.parametrize(
    "pagepath",
    [
        "../secret/index",
        "pages/../../etc/passwd",
        "pages/./a",
        "/pages/a",
        "pages//a",
        "javascript:alert(1)",
        "https://evil.example/x",
        "pages\\a",
        "pages/a#top",
        "pages/a b",
        "pages/a?x=1\ny=2",
    ],
)
def test_oa1_a_menu_page_path_outside_the_package_is_refused_and_the_menu_stays(
    make_oa, provision, pagepath
):
    oa = make_oa()
    mp = provision("enterprise").miniprogram
    confirm(request(oa, mp.appid))
    set_menu(oa, [button(mp.appid, "pages/index/index")])
    with pytest.raises(PlatformError) as caught:
        set_menu(oa, [button(mp.appid, pagepath)])
    assert caught.value.code is E.MENU_INVALID and caught.value.field == "button_0_pagepath"
    oa.refresh_from_db()
    assert oa.menu[0]["pagepath"] == "pages/index/index"


@pytest.mark.parametrize("pagepath", ["", "pages/index/index", "pages/a-b_c/d.e?x=1&y=%E4%B8%AD"])
def test_oa1_a_menu_page_path_in_the_package_with_a_query_is_kept(make_oa, provision, pagepath):
    oa = make_oa()
    mp = provision("enterprise").miniprogram
    confirm(request(oa, mp.appid))
    assert set_menu(oa, [button(mp.appid, pagepath)]).menu[0]["pagepath"] == pagepath


HOSTILE = [
    b"",
    b"not json",
    b"[]",
    b'"x"',
    b"null",
    b"123",
    b'{"appid": ["wx0000000000000000"]}',
    b'{"appid": {"a": 1}}',
    b'{"appid": null}',
    b'{"appid": "wx0000000000000000\\u0000"}',
    b'{"appid": "\\ud800"}',
    b"\xff\xfe",
    b'{"appid": "wx' + b"a" * 100_000 + b'"}',
    b'{"appid": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"appid": 123}',
    b'{"appid": "MPAPPID", "notify_users": [1]}',
    b'{"appid": "MPAPPID", "show_profile": {"x": 1}}',
]


def test_oa3_hostile_wxamplink_bodies_answer_documented_errcodes_and_spend_nothing(
    client, make_oa, provision
):
    oa = make_oa()
    mp = provision("enterprise").miniprogram
    token = client.get(
        "/cgi-bin/token",
        {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret},
    ).json()["access_token"]
    limit("official_account.additions_per_month", 1)
    limit("official_account.miniprogram_additions_per_month", 1)
    for path in ("/cgi-bin/wxopen/wxamplink", "/cgi-bin/wxopen/wxampunlink"):
        for body in HOSTILE:
            body = body.replace(b"MPAPPID", mp.appid.encode())
            answer = client.post(
                f"{path}?access_token={token}", body, content_type="application/json"
            )
            assert answer.status_code == 200, (path, body[:40])
            assert answer.json()["errcode"] in (44002, 47001, 40013), (path, body[:40])
    assert OfficialAccountLink.objects.count() == 0
    # No monthly addition was spent: the one allowed is still there.
    ask = client.post(
        f"/cgi-bin/wxopen/wxamplink?access_token={token}",
        json.dumps({"appid": mp.appid}),
        content_type="application/json",
    )
    assert ask.json()["errcode"] == 0 and OfficialAccountLink.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/wxa/get_page"),
        ("get", "/cgi-bin/open/have"),
        ("post", "/cgi-bin/open/get"),
        ("post", "/cgi-bin/open/create"),
        ("post", "/wxa/modify_domain"),
    ],
)
def test_oa1_an_official_account_token_is_refused_on_mini_program_routes(
    client, make_oa, method, path
):
    oa = make_oa()
    token = client.get(
        "/cgi-bin/token",
        {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret},
    ).json()["access_token"]
    url = f"{path}?access_token={token}"
    if method == "get":
        answer = client.get(url)
    else:
        answer = client.post(url, json.dumps({"appid": oa.appid}), content_type="application/json")
    assert answer.json()["errcode"] == 40014
