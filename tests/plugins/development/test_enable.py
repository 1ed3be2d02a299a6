"""PLG-1, PLG-3: enabling the plugin from the owner mini program: organizations only,
one plugin per mini program, its own AppID, a unique name within the length rules, an
audit row and an event; every refusal stores nothing."""

from __future__ import annotations

import pytest

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.plugins.development import selectors
from miniport.plugins.development import services as dev
from miniport.plugins.development.errors import PluginDevError
from miniport.plugins.models import Plugin
from tests.plugins.development.support import category_mp, refused
from tests.releases.version_support import TOOLS

pytestmark = pytest.mark.django_db


def enable(owner, **fields):
    values = {
        "actor": owner.admin_actor,
        "miniprogram": owner.miniprogram,
        "name": "快递查询插件",
        "introduction": "查询快递进度的插件",
        "service_contact": "help@example.com",
        "add_method": "search",
        "category_first_id": TOOLS[0],
        "category_second_id": TOOLS[1],
    }
    values.update(fields)
    return dev.plugin_enable(**values)


def test_plg3_the_administrator_enables_the_plugin_with_its_own_appid(make_owner):
    owner = make_owner()
    plugin = enable(owner)
    assert plugin.owner == owner.miniprogram
    assert plugin.appid.startswith("wx") and plugin.appid != owner.appid
    assert (plugin.category_first_name, plugin.category_second_name) == ("工具", "信息查询")
    assert plugin.enabled_by == owner.admin.wechat_id
    entry = AuditEntry.objects.get(action="plugin.enable")
    assert entry.appid == owner.appid and entry.after["plugin_appid"] == plugin.appid
    event = OutboxEvent.objects.get(kind="plugin.enabled")
    assert event.payload["plugin_appid"] == plugin.appid
    assert selectors.plugin_of(owner.miniprogram) == plugin
    assert selectors.plugin_by_appid(plugin.appid) == plugin
    assert selectors.plugin_by_appid(owner.appid) is None


def test_plg1_a_personal_subject_may_not_enable_a_plugin(provision):
    mp = category_mp(provision, ("工具", "信息查询"), subject_type="personal")

    class Personal:
        miniprogram = mp
        admin_actor = Actor.for_identity(mp.admin_identity)

    refused(lambda: enable(Personal), PluginDevError.PERSONAL_SUBJECT)
    assert PluginDevError.PERSONAL_SUBJECT.message("en") == (
        "a mini program of a personal subject cannot enable plugins"
    )


@pytest.mark.parametrize("subject_type", ["enterprise", "media", "government", "other"])
def test_plg1_organizations_may_enable_a_plugin(provision, subject_type):
    mp = category_mp(provision, ("工具", "信息查询"), subject_type=subject_type)

    class Org:
        miniprogram = mp
        admin_actor = Actor.for_identity(mp.admin_identity)

    assert enable(Org).owner == mp


def test_plg1_a_mini_program_has_one_plugin_at_most(make_owner):
    owner = make_owner()
    enable(owner)
    refused(lambda: enable(owner, name="另一个插件"), PluginDevError.ALREADY_ENABLED)


def test_plg3_the_appid_is_drawn_again_while_a_mini_program_or_a_plugin_holds_it(
    make_owner, make_plugin, monkeypatch
):
    other = make_plugin()
    owner = make_owner()
    drawn = iter([owner.appid, other.plugin.appid, "wx00000000fresh001"])
    monkeypatch.setattr("miniport.core.ids.new_appid", lambda: next(drawn))
    assert enable(owner).appid == "wx00000000fresh001"


def test_plg3_an_appid_that_always_collides_is_refused_after_the_policy_attempts(
    make_owner, monkeypatch
):
    owner = make_owner()
    calls = []

    def taken():
        calls.append(1)
        return owner.appid

    monkeypatch.setattr("miniport.core.ids.new_appid", taken)
    refused(lambda: enable(owner), PluginDevError.APPID_EXHAUSTED)
    assert len(calls) == policy.value("plugin.appid_attempts")


def test_plg3_plugin_names_are_unique_among_plugins(make_owner, make_plugin):
    taken = make_plugin().plugin.name
    owner = make_owner()
    refused(lambda: enable(owner, name=taken), PluginDevError.NAME_TAKEN, name=taken)


def test_plg3_a_plugin_may_not_take_another_mini_programs_name(make_owner):
    other = make_owner()
    owner = make_owner()
    name = other.miniprogram.name
    refused(lambda: enable(owner, name=name), PluginDevError.NAME_IS_MINIPROGRAM, name=name)


def test_plg3_a_plugin_may_carry_its_own_mini_programs_name(make_owner):
    owner = make_owner()
    assert enable(owner, name=owner.miniprogram.name).name == owner.miniprogram.name


@pytest.mark.parametrize("length", ["short", "long"])
def test_plg3_the_name_length_is_a_policy_rule(make_owner, length):
    owner = make_owner()
    low, high = policy.value("plugin.name_min_length"), policy.value("plugin.name_max_length")
    name = "名" * (low - 1 if length == "short" else high + 1)
    refused(lambda: enable(owner, name=name), PluginDevError.NAME_LENGTH, min=low, max=high)
    assert enable(owner, name="名" * high).name == "名" * high


def test_plg3_a_blank_name_is_required(make_owner):
    owner = make_owner()
    error = refused(lambda: enable(owner, name="   "), CoreError.FIELD_REQUIRED)
    assert error.field == "name"


def test_plg3_the_introduction_length_is_a_policy_rule(make_owner):
    owner = make_owner()
    low = policy.value("plugin.introduction_min_length")
    high = policy.value("plugin.introduction_max_length")
    refused(
        lambda: enable(owner, introduction="介" * (high + 1)),
        PluginDevError.INTRODUCTION_LENGTH,
        min=low,
        max=high,
    )


def test_plg3_the_add_method_must_be_one_of_the_choices(make_owner):
    owner = make_owner()
    refused(lambda: enable(owner, add_method="magic"), PluginDevError.ADD_METHOD_INVALID)


def test_plg3_the_customer_service_contact_is_bounded(make_owner):
    owner = make_owner()
    high = policy.value("plugin.service_contact_max_length")
    refused(
        lambda: enable(owner, service_contact="x" * (high + 1)),
        PluginDevError.CONTACT_TOO_LONG,
        max=high,
    )
    assert not Plugin.objects.exists()


@pytest.mark.parametrize("mark", ["\u200b", "\u00ad", "\ufeff", "\u202e"])
def test_plg3_a_plugin_name_with_an_invisible_character_is_refused(make_owner, mark):
    """As a mini program's name (INF-2): a mark that prints nothing would let two names
    look the same."""
    owner = make_owner()
    before = Plugin.objects.count()
    with pytest.raises(PlatformError) as caught:
        enable(owner, name=f"插件{mark}名称")
    assert caught.value.code is PluginDevError.NAME_INVALID
    assert "invisible" in caught.value.message("en")
    assert Plugin.objects.count() == before


def test_plg3_plugin_names_differing_only_in_case_are_one_name(make_owner, make_plugin):
    make_plugin(name="Weather Tools")
    owner = make_owner()
    refused(
        lambda: enable(owner, name="WEATHER tools"), PluginDevError.NAME_TAKEN, name="WEATHER tools"
    )
