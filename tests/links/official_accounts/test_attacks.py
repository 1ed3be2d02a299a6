"""OA-1, OA-3 as a stranger tries them: hostile menu values, hostile bodies on wxamplink
with the official account's own token, and an official account's token on the mini
program routes. Every refusal answers its code and leaves everything as it was."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from miniport.console.linked_access import LINKED_IDENTITY
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import links, services
from miniport.links.official_accounts.errors import OfficialAccountError as E
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink
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
    """OA-1: the wrong kind of token is 48001 (wechat-api 1.4), not an unknown one."""
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
    assert answer.json()["errcode"] == 48001


def _ticket(link):
    return QrTicket.objects.filter(purpose=links.CONFIRM, payload__link=link.pk).latest("id")


def test_oa3_a_used_or_withdrawn_request_ticket_links_nothing(make_oa, provision):
    oa = make_oa()
    mp = provision("enterprise").miniprogram
    link = request(oa, mp.appid)
    ticket = _ticket(link)
    links.unlink(actor=Actor.for_identity(oa.admin_identity), link=link)
    with pytest.raises(PlatformError):
        identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket.token)
    link.refresh_from_db()
    assert link.status == LinkStatus.UNLINKED
    # A second request's ticket, once used, cannot confirm again after an unlink.
    again = confirm(request(oa, mp.appid))
    used = _ticket(again)
    links.unlink(actor=Actor.for_identity(oa.admin_identity), link=again)
    with pytest.raises(PlatformError):
        identity_services.ticket_confirm(identity=mp.admin_identity, token=used.token)
    again.refresh_from_db()
    assert again.status == LinkStatus.UNLINKED
    assert not OfficialAccountLink.objects.filter(status=LinkStatus.LINKED).exists()


def linked(identity) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = client.session
    session[LINKED_IDENTITY] = identity.pk
    session.save()
    return client


def test_oa3_the_administrator_of_one_official_account_reaches_no_other_by_appid_or_link(
    make_oa, provision
):
    mine, theirs = make_oa(), make_oa()
    mp = provision("enterprise").miniprogram
    their_link = confirm(request(theirs, mp.appid))
    client = linked(mine.admin_identity)
    for name in ("official_account_links", "official_account_menu", "official_account_profile"):
        assert client.get(reverse(f"console:{name}", args=[theirs.appid])).status_code == 404
        assert client.post(reverse(f"console:{name}", args=[theirs.appid])).status_code == 404
    for appid in (theirs.appid, mine.appid):
        url = reverse("console:official_account_unlink", args=[appid, their_link.pk])
        assert client.post(url).status_code == 404
    their_link.refresh_from_db()
    assert their_link.status == LinkStatus.LINKED


def test_oa1_the_menu_editor_names_the_field_of_a_hostile_value_and_saves_nothing(
    make_oa, provision
):
    oa = make_oa()
    linked_mp, other = provision("enterprise").miniprogram, provision("enterprise").miniprogram
    confirm(request(oa, linked_mp.appid))
    request(oa, other.appid)  # waiting, not linked
    client = linked(oa.admin_identity)
    url = reverse("console:official_account_menu", args=[oa.appid])
    base = {"button_0_type": "miniprogram", "button_0_name": "小程序", "button_0_url": URL}
    for extra in (
        {"button_0_appid": linked_mp.appid, "button_0_url": "javascript:alert(1)"},
        {"button_0_appid": other.appid},
        {"button_0_appid": "wx\x00"},
        {"button_0_appid": linked_mp.appid, "button_0_pagepath": "../../etc/passwd"},
        {"button_0_appid": linked_mp.appid, "button_0_name": "x" * 100_000},
        {"button_0_appid": linked_mp.appid, "button_0_type": "click"},
    ):
        answer = client.post(url, {**base, **extra})
        assert answer.status_code == 400, extra
        assert answer.context["form"].errors, extra
    oa.refresh_from_db()
    assert oa.menu == []
