"""The API IP whitelist guards every call that presents the AppSecret (DEV-2, wechat-api
40164; issue 9 item 10): /cgi-bin/token, /cgi-bin/stable_token and /sns/jscode2session.
A caller outside it is refused 40164 and gets nothing (no token minted or disclosed, no
code redeemed, no quota or audit row); a caller inside is served. An IPv4-mapped IPv6
caller (`::ffff:a.b.c.d`, as a dual-stack socket reports an IPv4 peer) is matched as its
IPv4 address; ranges admit their first and last address and nothing either side. The
caller's address is REMOTE_ADDR (no trusted proxies, core.origin.client_ip)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import AccessToken, DevSettings, LoginCode
from miniport.miniprograms.services.devsettings import parse_ip_entry
from tests.openapi.wire import Wire, credential_state, issue_code

# A /24 and a single address (what "192.0.2.7/32" is stored as), normalised as the
# console's whitelist form stores them.
WHITELIST = [parse_ip_entry("198.51.100.0/24"), parse_ip_entry("192.0.2.7/32")]

INSIDE = {
    "in-range": "198.51.100.77",
    "range-first": "198.51.100.0",
    "range-last": "198.51.100.255",
    "single": "192.0.2.7",
    "mapped-in-range": "::ffff:198.51.100.77",
    "mapped-range-first": "::ffff:198.51.100.0",
    "mapped-range-last": "::ffff:198.51.100.255",
    "mapped-single": "::ffff:192.0.2.7",
    "mapped-hex-form": "::ffff:c633:644d",  # 198.51.100.77 written in hex
}
OUTSIDE = {
    "before-range": "198.51.99.255",
    "after-range": "198.51.101.0",
    "before-single": "192.0.2.6",
    "after-single": "192.0.2.8",
    "loopback": "127.0.0.1",
    "elsewhere": "203.0.113.9",
    "mapped-before-range": "::ffff:198.51.99.255",
    "mapped-after-range": "::ffff:198.51.101.0",
    "mapped-after-single": "::ffff:192.0.2.8",
    "mapped-loopback": "::ffff:127.0.0.1",
    # Not IPv4-mapped: an IPv6 address never matches an IPv4 entry.
    "ipv6": "2001:db8::c633:644d",
    "ipv4-compatible-ipv6": "::198.51.100.77",
    "ipv6-loopback": "::1",
    "nat64": "64:ff9b::c633:644d",
    "6to4": "2002:c633:644d::1",
}


@dataclass(frozen=True)
class Endpoint:
    path: str
    granted: str  # the key of the success body
    call: Callable[[Wire, object, str], dict]


def _token(wire: Wire, app, _code: str) -> dict:
    return wire.get(
        "/cgi-bin/token",
        grant_type="client_credential",
        appid=app.miniprogram.appid,
        secret=app.secret,
    )


def _stable_token(wire: Wire, app, _code: str) -> dict:
    body = {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}
    return wire.post("/cgi-bin/stable_token", body)


def _jscode2session(wire: Wire, app, code: str) -> dict:
    return wire.get(
        "/sns/jscode2session",
        appid=app.miniprogram.appid,
        secret=app.secret,
        js_code=code,
        grant_type="authorization_code",
    )


ENDPOINTS = [
    Endpoint("/cgi-bin/token", "access_token", _token),
    Endpoint("/cgi-bin/stable_token", "access_token", _stable_token),
    Endpoint("/sns/jscode2session", "openid", _jscode2session),
]
by_path = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])


def whitelist(app, entries: list[str]) -> None:
    DevSettings.objects.update_or_create(
        miniprogram=app.miniprogram, defaults={"ip_whitelist": entries}
    )


def test_every_route_taking_the_appsecret_is_covered_here():
    """A new endpoint that takes `secret` must join ENDPOINTS (and so these tests)."""
    from miniport.web import api

    api.discover()
    taking_secret = {
        route.path
        for route in api.ROUTES.values()
        for model in (route.query, route.body)
        if model is not None and "secret" in model.model_fields
    }
    assert taking_secret == {e.path for e in ENDPOINTS}


@by_path
@pytest.mark.parametrize("caller", list(OUTSIDE.values()), ids=list(OUTSIDE))
def test_a_caller_outside_the_whitelist_is_refused_40164_and_gets_nothing(
    client, app, make_identity, endpoint, caller
):
    whitelist(app, WHITELIST)
    code = issue_code(app.miniprogram, make_identity())
    before = credential_state()
    result = endpoint.call(Wire(client, remote_addr=caller), app, code)
    assert result["errcode"] == 40164, result
    assert endpoint.granted not in result and "session_key" not in result
    assert credential_state() == before
    assert LoginCode.objects.get().used_at is None


@by_path
@pytest.mark.parametrize("caller", list(INSIDE.values()), ids=list(INSIDE))
def test_a_caller_inside_the_whitelist_is_served(client, app, make_identity, endpoint, caller):
    whitelist(app, WHITELIST)
    user = make_identity()
    code = issue_code(app.miniprogram, user)
    result = endpoint.call(Wire(client, remote_addr=caller), app, code)
    assert "errcode" not in result, result
    assert result[endpoint.granted]
    if endpoint.granted == "openid":
        assert result["openid"] == openid_for(user, app.miniprogram.appid)
        assert LoginCode.objects.get().used_at is not None
    else:
        assert AccessToken.objects.filter(miniprogram=app.miniprogram).count() == 1


@by_path
def test_an_earlier_allowed_call_does_not_let_an_outside_caller_through(
    client, app, make_identity, endpoint
):
    """What a process remembers of the app (the stable token on SQLite) is checked
    against the whitelist on every call."""
    whitelist(app, WHITELIST)
    inside, outside = Wire(client, remote_addr="198.51.100.1"), Wire(client, remote_addr="::1")
    assert endpoint.granted in endpoint.call(
        inside, app, issue_code(app.miniprogram, make_identity())
    )
    code = issue_code(app.miniprogram, make_identity())
    before = credential_state()
    result = endpoint.call(outside, app, code)
    assert result["errcode"] == 40164, result
    assert endpoint.granted not in result
    assert credential_state() == before


@by_path
def test_a_whitelist_set_after_a_call_refuses_the_next_one(client, app, make_identity, endpoint):
    wire = Wire(client, remote_addr="203.0.113.9")
    assert endpoint.granted in endpoint.call(
        wire, app, issue_code(app.miniprogram, make_identity())
    )
    whitelist(app, WHITELIST)
    code = issue_code(app.miniprogram, make_identity())
    before = credential_state()
    assert endpoint.call(wire, app, code)["errcode"] == 40164
    assert credential_state() == before
    whitelist(app, [])
    assert endpoint.granted in endpoint.call(wire, app, code)


@by_path
@pytest.mark.parametrize("caller", ["203.0.113.9", "::ffff:203.0.113.9", "2001:db8::1"])
def test_an_empty_whitelist_admits_every_caller(client, app, make_identity, endpoint, caller):
    whitelist(app, [])
    code = issue_code(app.miniprogram, make_identity())
    assert endpoint.granted in endpoint.call(Wire(client, remote_addr=caller), app, code)


@by_path
def test_the_refusal_names_the_caller_and_comes_before_the_secret_check(
    client, app, make_identity, endpoint
):
    """An outside caller learns nothing about the AppSecret: a wrong one is 40164 too."""
    whitelist(app, WHITELIST)
    code = issue_code(app.miniprogram, make_identity())
    wire = Wire(client, remote_addr="203.0.113.9")
    result = endpoint.call(wire, app, code)
    assert result["errcode"] == 40164 and "203.0.113.9" in result["errmsg"]

    class WrongSecret:
        miniprogram = app.miniprogram
        secret = "f" * 32

    before = credential_state()
    assert endpoint.call(wire, WrongSecret, code)["errcode"] == 40164
    assert credential_state() == before
