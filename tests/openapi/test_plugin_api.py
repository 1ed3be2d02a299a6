"""/wxa/plugin and /wxa/devplugin (wechat-api section 9; PLG-9, PLG-11, B-9): the
actions, the status numbers 1..4, each errcode of the shared table, and bad input
answered with an errcode (never a 500)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import clock
from miniport.plugins.models import PluginApplication
from tests.openapi.plugin_support import token_for
from tests.plugins import makers
from tests.plugins.makers import release_plugin_version

make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(wire, provision):
    mp = provision("personal").miniprogram
    token = token_for(mp)

    class User:
        miniprogram = mp

        def post(self, body):
            return wire.post("/wxa/plugin", body, access_token=token)

    return User()


@pytest.fixture
def owner(wire, released_plugin):
    token = token_for(released_plugin.miniprogram)

    class OwnerApi:
        plugin = released_plugin.plugin

        def post(self, body):
            return wire.post("/wxa/devplugin", body, access_token=token)

    return OwnerApi()


def _rows():
    return list(PluginApplication.objects.order_by("id").values_list("id", "status"))


def test_plg11_apply_then_list_shows_status_1(user, owner):
    assert user.post({"action": "apply", "plugin_appid": owner.plugin.appid, "reason": "需要"}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    listed = user.post({"action": "list"})
    assert listed["plugin_list"] == [
        {"appid": owner.plugin.appid, "status": 1, "nickname": owner.plugin.name, "headimgurl": ""}
    ]


def test_plg9_dev_apply_list_agree_and_the_user_sees_status_2(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid, "reason": "需要"})
    listed = owner.post({"action": "dev_apply_list", "page": 1, "num": 10})
    (item,) = listed["apply_list"]
    assert item["appid"] == user.miniprogram.appid and item["status"] == 1
    assert item["reason"] == "需要" and isinstance(item["create_time"], int)
    assert {"first", "second"} <= set(item["categories"][0]) if item["categories"] else True
    assert owner.post({"action": "dev_agree", "appid": user.miniprogram.appid})["errcode"] == 0
    assert user.post({"action": "list"})["plugin_list"][0]["status"] == 2


def test_plg9_dev_refuse_without_appid_refuses_the_only_applying_one_status_3(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    assert owner.post({"action": "dev_refuse", "reason": "不合适"})["errcode"] == 0
    assert user.post({"action": "list"})["plugin_list"][0]["status"] == 3
    assert PluginApplication.objects.get().refuse_reason == "不合适"


def test_plg9_timed_out_is_status_4_and_cannot_be_agreed_89240(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    # Made 24 hours and a second ago (the access tokens would not outlive a moved clock).
    PluginApplication.objects.update(created_at=clock.now() - timedelta(hours=24, seconds=1))
    assert owner.post({"action": "dev_apply_list"})["apply_list"][0]["status"] == 4
    before = _rows()
    answer = owner.post({"action": "dev_agree", "appid": user.miniprogram.appid})
    assert answer["errcode"] == 89240 and _rows() == before
    assert owner.post({"action": "dev_delete", "appid": user.miniprogram.appid})["errcode"] == 0
    assert PluginApplication.objects.count() == 0


def test_plg9_dev_delete_of_a_pending_one_is_89243_and_of_an_approved_one_89241(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    before = _rows()
    assert owner.post({"action": "dev_delete", "appid": user.miniprogram.appid})["errcode"] == 89243
    owner.post({"action": "dev_agree", "appid": user.miniprogram.appid})
    assert owner.post({"action": "dev_delete", "appid": user.miniprogram.appid})["errcode"] == 89241
    assert [row[0] for row in _rows()] == [row[0] for row in before]


def test_plg11_unbind_then_the_list_is_empty(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    owner.post({"action": "dev_agree", "appid": user.miniprogram.appid})
    assert user.post({"action": "unbind", "plugin_appid": owner.plugin.appid})["errcode"] == 0
    assert user.post({"action": "list"})["plugin_list"] == []


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"action": "apply", "plugin_appid": "wx0000000000000000"}, 89239),
        ({"action": "apply"}, 40097),
        ({"action": "unbind", "plugin_appid": "wx0000000000000000"}, 89239),
        ({"action": "nonsense"}, 40097),
        ({}, 40097),
        ({"action": ["apply"]}, 47001),
    ],
)
def test_plg11_bad_input_answers_its_errcode(user, body, errcode):
    assert user.post(body)["errcode"] == errcode


def test_plg11_apply_twice_is_89237_and_own_plugin_89236(user, owner, wire, released_plugin):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    assert user.post({"action": "apply", "plugin_appid": owner.plugin.appid})["errcode"] == 89237
    own = wire.post(
        "/wxa/plugin",
        {"action": "apply", "plugin_appid": owner.plugin.appid},
        access_token=token_for(released_plugin.miniprogram),
    )
    assert own["errcode"] == 89236


def test_plg11_a_plugin_without_release_is_89236(user, make_plugin):
    plugin = make_plugin().plugin
    assert user.post({"action": "apply", "plugin_appid": plugin.appid})["errcode"] == 89236


def test_plg11_the_month_limit_is_89238(user, owner, override, make_plugin):
    override("plugin.applications_per_month", 1)
    other = make_plugin().plugin
    release_plugin_version(other)
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    assert user.post({"action": "apply", "plugin_appid": other.appid})["errcode"] == 89238


def test_plg11_update_answers_quick_update_unsupported_89257(user, owner):
    user.post({"action": "apply", "plugin_appid": owner.plugin.appid})
    owner.post({"action": "dev_agree", "appid": user.miniprogram.appid})
    body = {"action": "update", "plugin_appid": owner.plugin.appid, "user_version": "1.0.0"}
    assert user.post(body)["errcode"] == 89257


def test_plg9_agreeing_an_appid_not_in_the_list_is_89242(owner):
    assert owner.post({"action": "dev_agree", "appid": "wx0000000000000000"})["errcode"] == 89242


@pytest.mark.parametrize(
    "body",
    [
        {"action": "dev_apply_list", "page": "x"},
        {"action": "dev_apply_list", "page": 0},
        {"action": "dev_apply_list", "num": 100000},
        {"action": "dev_agree"},
        {"action": "dev_unknown"},
    ],
)
def test_plg9_bad_devplugin_input_is_40097(owner, body):
    assert owner.post(body)["errcode"] == 40097


def test_plg9_a_mini_program_without_plugin_gets_89239_from_devplugin(wire, provision):
    mp = provision("enterprise").miniprogram
    answer = wire.post("/wxa/devplugin", {"action": "dev_apply_list"}, access_token=token_for(mp))
    assert answer["errcode"] == 89239


def test_plg9_dev_apply_list_is_paged(owner, wire, provision):
    for _ in range(3):
        mp = provision("personal").miniprogram
        wire.post(
            "/wxa/plugin",
            {"action": "apply", "plugin_appid": owner.plugin.appid},
            access_token=token_for(mp),
        )
    assert len(owner.post({"action": "dev_apply_list", "page": 1, "num": 2})["apply_list"]) == 2
    assert len(owner.post({"action": "dev_apply_list", "page": 2, "num": 2})["apply_list"]) == 1
