"""POST /wxa/modify_domain (DEV-3, wechat-api 6.1): get/set/add/delete of the six
server-domain lists; entries failing the rules come back in invalid_* lists; 85017 when
nothing changes after filtering, 85016 over the cap, 85022 for a bad action, 45104 when
the month's modifications (shared with the console and web-view domains) are used up."""

from __future__ import annotations

import pytest

from miniport.core import quotas
from miniport.core.actors import Actor
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services import devsettings
from tests.openapi.wire import credential_state

LISTS = list(DOMAIN_FIELDS)


@pytest.fixture
def token(wire, company_app):
    return wire.token(company_app)


def modify(wire, token, **body):
    return wire.post("/wxa/modify_domain", body, access_token=token)


def stored(app) -> dict:
    return devsettings.current_domains(devsettings.settings_for(app.miniprogram))


def changes_used(app) -> int:
    return quotas.used(
        f"app:{app.miniprogram.appid}", "dev.domain_modifications_per_month", "month"
    )


def test_get_returns_every_list_and_empty_invalid_lists_without_using_a_change(
    wire, token, company_app
):
    result = modify(wire, token, action="get")
    assert result["errcode"] == 0
    for name in LISTS:
        assert result[name] == [] and result[f"invalid_{name}"] == []
    assert changes_used(company_app) == 0


def test_add_keeps_valid_entries_and_reports_the_invalid_ones(wire, token, company_app):
    """DEV-3: each list takes its own scheme; IPs, localhost, paths, queries and user
    information are filtered out."""
    result = modify(
        wire,
        token,
        action="add",
        requestdomain=[
            "https://API.Example.com",
            "http://plain.example.com",
            "https://10.0.0.1",
            "https://localhost",
            "https://a.example.com/path",
            "https://u:p@b.example.com",
            "https://c.example.com?q=1",
            "https://d.example.com:8443",
        ],
        wsrequestdomain=["wss://ws.example.com", "https://ws.example.com"],
        udpdomain=["udp://udp.example.com:9000"],
        tcpdomain=["tcp://tcp.example.com"],
    )
    assert result["errcode"] == 0
    assert result["requestdomain"] == ["https://api.example.com", "https://d.example.com:8443"]
    assert result["invalid_requestdomain"] == [
        "http://plain.example.com",
        "https://10.0.0.1",
        "https://localhost",
        "https://a.example.com/path",
        "https://u:p@b.example.com",
        "https://c.example.com?q=1",
    ]
    assert result["wsrequestdomain"] == ["wss://ws.example.com"]
    assert result["invalid_wsrequestdomain"] == ["https://ws.example.com"]
    assert result["udpdomain"] == ["udp://udp.example.com:9000"]
    assert result["tcpdomain"] == ["tcp://tcp.example.com"]
    assert stored(company_app)["requestdomain"] == result["requestdomain"]
    assert changes_used(company_app) == 1


def test_delete_removes_and_set_replaces_only_the_lists_given(wire, token, company_app):
    modify(
        wire,
        token,
        action="add",
        requestdomain=["https://a.example.com", "https://b.example.com"],
        uploaddomain=["https://up.example.com"],
    )
    deleted = modify(wire, token, action="delete", requestdomain=["https://a.example.com"])
    assert deleted["requestdomain"] == ["https://b.example.com"]
    replaced = modify(wire, token, action="set", requestdomain=["https://c.example.com"])
    assert replaced["requestdomain"] == ["https://c.example.com"]
    assert replaced["uploaddomain"] == ["https://up.example.com"]
    assert changes_used(company_app) == 3


def test_nothing_left_to_change_after_filtering_answers_85017_and_changes_nothing(
    wire, token, company_app
):
    modify(wire, token, action="add", requestdomain=["https://a.example.com"])
    before = (stored(company_app), changes_used(company_app), credential_state())
    for body in (
        {"action": "add", "requestdomain": ["https://a.example.com"]},
        {"action": "add", "requestdomain": ["http://only-invalid.example.com"]},
        {"action": "delete", "requestdomain": ["https://missing.example.com"]},
        {"action": "set", "requestdomain": ["https://a.example.com"]},
    ):
        assert modify(wire, token, **body)["errcode"] == 85017
    assert (stored(company_app), changes_used(company_app), credential_state()) == before


def test_a_list_over_the_cap_answers_85016_and_changes_nothing(wire, token, company_app, override):
    override("dev.domains_per_type_max", 2)
    modify(
        wire, token, action="add", requestdomain=["https://a.example.com", "https://b.example.com"]
    )
    before = (stored(company_app), changes_used(company_app))
    assert (
        modify(wire, token, action="add", requestdomain=["https://c.example.com"])["errcode"]
        == 85016
    )
    assert (stored(company_app), changes_used(company_app)) == before


@pytest.mark.parametrize("action", ["", "replace", "GET"])
def test_an_unknown_action_answers_85022(wire, token, company_app, action):
    before = (stored(company_app), changes_used(company_app))
    assert (
        modify(wire, token, action=action, requestdomain=["https://a.example.com"])["errcode"]
        == 85022
    )
    assert (stored(company_app), changes_used(company_app)) == before


def test_the_monthly_quota_is_shared_with_the_console_and_web_view_domains(
    wire, token, company_app, override
):
    """DEV-3: 50 modifications a month, whatever makes them."""
    override("dev.domain_modifications_per_month", 2)
    modify(wire, token, action="add", requestdomain=["https://a.example.com"])
    devsettings.webview_domains_modify(
        actor=Actor.system("tests"),
        miniprogram=company_app.miniprogram,
        action="add",
        domains=["https://web.example.com"],
    )
    before = (stored(company_app), changes_used(company_app))
    assert (
        modify(wire, token, action="add", requestdomain=["https://b.example.com"])["errcode"]
        == 45104
    )
    assert (stored(company_app), changes_used(company_app)) == before
    webview = wire.post(
        "/wxa/setwebviewdomain",
        {"action": "add", "webviewdomain": ["https://w2.example.com"]},
        access_token=token,
    )
    assert webview["errcode"] == 45104


def test_set_with_only_refused_entries_for_a_list_answers_85017_and_keeps_the_list(
    wire, token, company_app
):
    """DEV-3: a typo in "set" must not erase the configured list."""
    modify(
        wire, token, action="add", requestdomain=["https://a.example.com", "https://b.example.com"]
    )
    before = (stored(company_app), changes_used(company_app), credential_state())
    answer = modify(wire, token, action="set", requestdomain=["http://typo.example.com"])
    assert answer["errcode"] == 85017
    assert (stored(company_app), changes_used(company_app), credential_state()) == before


def test_set_with_an_empty_list_still_clears_it(wire, token, company_app):
    """DEV-3: clearing a list on purpose is a set with no entries."""
    modify(wire, token, action="add", requestdomain=["https://a.example.com"])
    assert modify(wire, token, action="set", requestdomain=[])["errcode"] == 0
    assert stored(company_app)["requestdomain"] == []


@pytest.mark.parametrize(
    "entry", ["https://example\n.com", "https://exa\rmple.com", "https://example.com:44\n3"]
)
def test_a_line_break_inside_a_domain_is_refused(wire, token, company_app, entry):
    """DEV-3: a domain is one line of host characters (spaces around it are trimmed)."""
    before = (stored(company_app), changes_used(company_app))
    answer = modify(wire, token, action="add", requestdomain=[entry])
    assert answer["errcode"] == 85017
    assert (stored(company_app), changes_used(company_app)) == before
