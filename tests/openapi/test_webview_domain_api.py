"""POST /wxa/setwebviewdomain (DEV-3, wechat-api 6.2): business domains; 89019 when
nothing changes, 89022 when deleting a domain that is not there, 89029 over the cap,
89231 for personal mini programs."""

from __future__ import annotations

import pytest

from miniport.miniprograms.services import devsettings


def call(wire, token, **body):
    return wire.post("/wxa/setwebviewdomain", body, access_token=token)


def stored(app) -> list:
    return devsettings.settings_for(app.miniprogram).webview_domains


@pytest.fixture
def token(wire, company_app):
    return wire.token(company_app)


def test_add_get_delete_and_set(wire, token, company_app):
    added = call(
        wire,
        token,
        action="add",
        webviewdomain=["https://Web.Example.com", "https://b.example.com"],
    )
    assert added["errcode"] == 0
    assert added["webviewdomain"] == ["https://web.example.com", "https://b.example.com"]
    assert call(wire, token, action="get")["webviewdomain"] == added["webviewdomain"]
    deleted = call(wire, token, action="delete", webviewdomain=["https://b.example.com"])
    assert deleted["webviewdomain"] == ["https://web.example.com"]
    replaced = call(wire, token, action="set", webviewdomain=["https://c.example.com"])
    assert replaced["webviewdomain"] == stored(company_app) == ["https://c.example.com"]


def test_no_change_answers_89019_and_changes_nothing(wire, token, company_app):
    call(wire, token, action="add", webviewdomain=["https://web.example.com"])
    for body in (
        {"action": "add", "webviewdomain": ["https://web.example.com"]},
        {"action": "set", "webviewdomain": ["https://web.example.com"]},
    ):
        assert call(wire, token, **body)["errcode"] == 89019
    assert stored(company_app) == ["https://web.example.com"]


def test_deleting_a_domain_that_is_not_there_answers_89022(wire, token, company_app):
    call(wire, token, action="add", webviewdomain=["https://web.example.com"])
    result = call(
        wire,
        token,
        action="delete",
        webviewdomain=["https://web.example.com", "https://x.example.com"],
    )
    assert result["errcode"] == 89022
    assert stored(company_app) == ["https://web.example.com"]


def test_over_the_cap_answers_89029(wire, token, company_app, override):
    override("dev.webview_domains_max", 1)
    call(wire, token, action="add", webviewdomain=["https://web.example.com"])
    assert (
        call(wire, token, action="add", webviewdomain=["https://x.example.com"])["errcode"] == 89029
    )
    assert stored(company_app) == ["https://web.example.com"]


@pytest.mark.parametrize(
    "domain", ["https://web.example.com:8443", "http://web.example.com", "https://127.0.0.1"]
)
def test_invalid_business_domains_are_refused(wire, token, company_app, domain):
    assert call(wire, token, action="add", webviewdomain=[domain])["errcode"] == 85301
    assert stored(company_app) == []


def test_personal_mini_programs_cannot_use_business_domains(wire, app):
    token = wire.token(app)
    assert (
        call(wire, token, action="add", webviewdomain=["https://web.example.com"])["errcode"]
        == 89231
    )
    assert stored(app) == []
    assert call(wire, token, action="get")["webviewdomain"] == []


def test_an_unknown_action_answers_85022(wire, token, company_app):
    assert (
        call(wire, token, action="replace", webviewdomain=["https://web.example.com"])["errcode"]
        == 85022
    )
    assert stored(company_app) == []
