"""Every endpoint but the token ones takes `?access_token=` (wechat-api 1.2): missing
41001, malformed or unknown 40014, expired 42001, superseded 40001; the caller is the
token's own mini program, acting with the role "app"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from miniport.miniprograms.models import DevSettings
from miniport.miniprograms.services import credentials
from tests.openapi.wire import credential_state


def add_domain(wire, token, domain="https://api.example.com"):
    return wire.post(
        "/wxa/modify_domain", {"action": "add", "requestdomain": [domain]}, access_token=token
    )


def domains_of(miniprogram) -> list:
    dev = DevSettings.objects.filter(miniprogram=miniprogram).first()
    return dev.domains["requestdomain"] if dev else []


@pytest.mark.parametrize(
    ("token", "errcode"),
    [(None, 41001), ("", 41001), ("not a token!", 40014), ("A" * 128, 40014)],
    ids=["absent", "empty", "malformed", "unknown"],
)
def test_a_bad_token_answers_its_errcode_and_changes_nothing(wire, app, token, errcode):
    before = credential_state()
    params = {} if token is None else {"access_token": token}
    result = wire.post(
        "/wxa/modify_domain",
        {"action": "add", "requestdomain": ["https://a.example.com"]},
        **params,
    )
    assert result["errcode"] == errcode
    assert credential_state() == before
    assert domains_of(app.miniprogram) == []


def test_an_expired_token_answers_42001_and_a_superseded_one_40001(wire, app):
    params = {
        "grant_type": "client_credential",
        "appid": app.miniprogram.appid,
        "secret": app.secret,
    }
    with time_machine.travel(datetime(2025, 5, 1, 8, 0, tzinfo=UTC), tick=False) as traveller:
        first = wire.get("/cgi-bin/token", **params)["access_token"]
        wire.get("/cgi-bin/token", **params)
        traveller.shift(301)
        assert add_domain(wire, first)["errcode"] == 40001
        traveller.shift(7200)
        assert add_domain(wire, first)["errcode"] == 42001
    assert domains_of(app.miniprogram) == []


def test_a_token_acts_for_its_own_mini_program_only(wire, provision):
    mine, theirs = provision("personal"), provision("personal")
    add_domain(wire, wire.token(mine), "https://mine.example.com")
    assert domains_of(mine.miniprogram) == ["https://mine.example.com"]
    assert domains_of(theirs.miniprogram) == []


def test_token_lookup_is_one_indexed_query(wire, app, django_assert_num_queries):
    token = wire.token(app)
    with django_assert_num_queries(1):
        assert credentials.app_for_access_token(token) == app.miniprogram
