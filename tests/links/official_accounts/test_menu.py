"""OA-1 / OA-3: the official account's menu (rules as policy rows), served to the host
app by /runtime/v1/official-accounts/menu, and the launch from it: allowed only while
the mini program is associated (linked) with that official account."""

from __future__ import annotations

import json

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import links, services
from miniport.links.official_accounts.errors import OfficialAccountError as E
from tests.links.official_accounts.support import confirm, limit, request
from tests.releases.version_support import app_fixture, released  # noqa: F401
from tests.runtime.conftest import host_app  # noqa: F401  (the host app's credential)
from tests.runtime.launch_support import HOST, launch, session_of

pytestmark = pytest.mark.django_db

URL = "https://example.com/page"


def mp_button(appid, **extra):
    return {
        "type": "miniprogram",
        "name": "小程序",
        "appid": appid,
        "pagepath": "pages/a",
        "url": URL,
        **extra,
    }


def set_menu(oa, buttons):
    return services.official_account_menu_update(
        actor=Actor.for_identity(oa.admin_identity), official_account=oa, buttons=buttons
    )


def menu_of(client, identity, appid):
    response = client.get(
        "/runtime/v1/official-accounts/menu",
        {"appid": appid},
        HTTP_X_HOST_APP=HOST,
        HTTP_X_IDENTITY_SESSION=session_of(identity),
    )
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("buttons", "field"),
    [
        ("not a list", "menu"),
        ([{"type": "view", "name": "", "url": URL}], "button_0_name"),
        ([{"type": "view", "name": "x" * 17, "url": URL}], "button_0_name"),
        ([{"type": "view", "name": "a", "url": "javascript:alert(1)"}], "button_0_url"),
        ([{"type": "click", "name": "a", "url": URL}], "button_0_type"),
        ([{"type": "view", "name": "a", "url": URL}] * 4, "menu"),
        ([mp_button("wx0000000000000000")], "button_0_appid"),
    ],
)
def test_oa1_a_menu_that_breaks_a_rule_is_refused_and_nothing_changes(make_oa, buttons, field):
    oa = make_oa()
    set_menu(oa, [{"type": "view", "name": "主页", "url": URL}])
    with pytest.raises(PlatformError) as caught:
        set_menu(oa, buttons)
    assert caught.value.field == field
    assert caught.value.code in (E.MENU_INVALID, E.MENU_NOT_LINKED)
    oa.refresh_from_db()
    assert oa.menu == [{"type": "view", "name": "主页", "url": URL}]


def test_oa1_the_menu_limits_are_policy_rows(make_oa):
    limit("official_account.menu_buttons", 1)
    with pytest.raises(PlatformError):
        set_menu(make_oa(), [{"type": "view", "name": "a", "url": URL}] * 2)


def test_oa3_a_waiting_mini_program_cannot_be_placed_in_the_menu(make_oa, provision):
    oa = make_oa()
    mp = provision("enterprise").miniprogram
    request(oa, mp.appid)
    with pytest.raises(PlatformError) as caught:
        set_menu(oa, [mp_button(mp.appid)])
    assert caught.value.code is E.MENU_NOT_LINKED


def test_oa3_the_menu_launches_a_linked_mini_program_through_the_runtime(client, app, make_oa):
    released(app, "1.0.0")
    oa = make_oa()
    link = confirm(request(oa, app.appid))
    set_menu(oa, [mp_button(app.appid), {"type": "view", "name": "官网", "url": URL}])
    menu = menu_of(client, app.outsider, oa.appid)
    assert menu["errcode"] == 0 and menu["name"] == oa.name
    button = menu["buttons"][0]
    assert button["appid"] == app.appid and "via=official_account" in button["launch"]
    opened = launch(client, app.outsider, app.appid, via="official_account", via_id=oa.appid)
    assert opened["errcode"] == 0 and opened["version"] == "1.0.0"

    links.unlink(actor=Actor.system("t"), link=link)
    refused = launch(client, app.outsider, app.appid, via="official_account", via_id=oa.appid)
    assert refused["errcode"] == 40097 and refused["error"] == "not_linked"
    # The ended association's button falls back to its web page.
    assert menu_of(client, app.outsider, oa.appid)["buttons"][0] == {
        "type": "view",
        "name": "小程序",
        "url": URL,
    }


def test_oa3_a_launch_naming_another_official_account_is_refused(client, app, make_oa):
    released(app, "1.0.0")
    confirm(request(make_oa(), app.appid))
    other = make_oa()
    refused = launch(client, app.outsider, app.appid, via="official_account", via_id=other.appid)
    assert refused["error"] == "not_linked"


@pytest.mark.parametrize("appid", ["", "wx0000000000000000", "x" * 300])
def test_oa3_the_menu_of_an_unknown_official_account_answers_40013(client, app, appid):
    assert menu_of(client, app.outsider, appid)["errcode"] == 40013


def test_oa3_a_nul_in_the_menu_query_is_invalid_args(client, app):
    assert menu_of(client, app.outsider, "wx\x00")["errcode"] == 40097
