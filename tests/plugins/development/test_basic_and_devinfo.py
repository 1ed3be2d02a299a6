"""PLG-5: the basic information (name, avatar, introduction, add method, customer service
contact) is complete before review, and is edited with the same rules as at enabling;
PLG-4: the development information (https server domains, the Token)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from miniport.core import policy
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.miniprograms.errors import MiniProgramError
from miniport.plugins.development import services as dev
from miniport.plugins.development.errors import PluginDevError
from miniport.plugins.development.services import plugin_is_complete
from miniport.plugins.models import Plugin
from tests.plugins.development.support import approve, png_bytes, refused, snapshot
from tests.releases.version_support import TOOLS

pytestmark = pytest.mark.django_db


def edit(owner, **fields):
    plugin = owner.plugin
    values = {
        "actor": owner.admin_actor,
        "plugin": plugin,
        "name": plugin.name,
        "introduction": plugin.introduction,
        "service_contact": plugin.service_contact,
        "add_method": plugin.add_method,
        "category_first_id": plugin.category_first_id,
        "category_second_id": plugin.category_second_id,
    }
    values.update(fields)
    return dev.plugin_basic_update(**values)


# --- PLG-5 completeness ----------------------------------------------------------------


def test_plg5_a_plugin_without_an_avatar_is_not_complete(make_plugin):
    assert plugin_is_complete(make_plugin().plugin) == ["avatar"]


def test_plg5_every_missing_field_is_named(make_plugin):
    owner = make_plugin(introduction="", service_contact=" ", add_method="")
    assert plugin_is_complete(owner.plugin) == [
        "avatar",
        "introduction",
        "add_method",
        "service_contact",
    ]


def test_plg5_with_an_avatar_the_basic_information_is_complete(make_plugin):
    owner = make_plugin()
    plugin = edit(owner, avatar=png_bytes())
    assert plugin_is_complete(plugin) == []


# --- PLG-5 editing ---------------------------------------------------------------------


def test_plg5_the_avatar_is_re_encoded_square_without_metadata(make_plugin):
    owner = make_plugin()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 20, 30)).save(buffer, "JPEG", comment=b"secret")
    plugin = edit(owner, avatar=buffer.getvalue())
    stored = default_storage.open(plugin.avatar.name).read()
    assert b"secret" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (policy.value("avatar.output_side_pixels"),) * 2
    assert plugin.avatar.name.startswith("plugin-avatars/")
    entry = AuditEntry.objects.get(action="plugin.basic_update")
    assert entry.after["avatar"] == plugin.avatar.name and entry.before["avatar"] == ""


def test_plg5_a_file_that_is_not_an_image_is_refused(make_plugin):
    owner = make_plugin()
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        edit(owner, avatar=b"GIF89a not really")
    assert caught.value.code is MiniProgramError.IMAGE_INVALID
    assert caught.value.field == "avatar"
    assert caught.value.message("en").startswith("invalid image: ")
    assert snapshot() == before


def test_plg5_the_basic_information_changes_with_an_audit_row(make_plugin):
    owner = make_plugin()
    plugin = edit(
        owner,
        name="新的插件名",
        introduction="新的插件简介",
        service_contact="400-000",
        add_method="appid",
    )
    plugin.refresh_from_db()
    assert (plugin.name, plugin.introduction, plugin.service_contact, plugin.add_method) == (
        "新的插件名",
        "新的插件简介",
        "400-000",
        "appid",
    )
    entry = AuditEntry.objects.get(action="plugin.basic_update")
    assert entry.before["name"] != entry.after["name"] == "新的插件名"


def test_plg5_the_plugin_keeps_its_own_name_and_may_not_take_anothers(make_plugin):
    owner = make_plugin()
    other = make_plugin().plugin.name
    assert edit(owner).name == owner.plugin.name
    refused(lambda: edit(owner, name=other), PluginDevError.NAME_TAKEN, name=other)


def test_plg5_blank_basic_information_is_refused(make_plugin):
    owner = make_plugin()
    for field in ("introduction", "service_contact"):
        error = refused(lambda f=field: edit(owner, **{f: ""}), CoreError.FIELD_REQUIRED)
        assert error.field == field


def test_plg2_the_category_changes_only_to_another_open_approved_one(make_plugin):
    owner = make_plugin()
    weather = approve(owner.miniprogram, "工具", "天气")
    food = approve(owner.miniprogram, "商家自营", "食品")
    plugin = edit(owner, category_first_id=weather.first_id, category_second_id=weather.second_id)
    assert (plugin.category_first_name, plugin.category_second_name) == ("工具", "天气")
    owner.plugin = plugin
    refused(
        lambda: edit(owner, category_first_id=food.first_id, category_second_id=food.second_id),
        PluginDevError.CATEGORY_NOT_OPEN,
        category=f"{food.first_id}:{food.second_id}",
    )
    assert Plugin.objects.get().category_second_id == weather.second_id != TOOLS[1]


# --- PLG-4 development information -------------------------------------------------------


def devinfo(owner, domains, token="abc123"):
    return dev.plugin_devinfo_update(
        actor=owner.developer_actor, plugin=owner.plugin, server_domains=domains, token=token
    )


def test_plg4_server_domains_and_token_are_saved_in_canonical_form(make_plugin):
    owner = make_plugin()
    plugin = devinfo(
        owner,
        ["https://API.Example.com/", "", "https://api.example.com", "https://cdn.example.com:8443"],
        "Tok3n",
    )
    assert plugin.server_domains == ["https://api.example.com", "https://cdn.example.com:8443"]
    assert plugin.token == "Tok3n"
    entry = AuditEntry.objects.get(action="plugin.devinfo_update")
    assert entry.after == {"server_domains": plugin.server_domains, "token_set": True}
    assert "Tok3n" not in str(entry.after)


@pytest.mark.parametrize(
    "domain",
    [
        "http://api.example.com",
        "https://127.0.0.1",
        "https://localhost",
        "https://api.example.com/path",
        "https://user@api.example.com",
        "wss://api.example.com",
        "https://nodot",
    ],
)
def test_plg4_a_server_domain_must_be_https_and_a_host_name(make_plugin, domain):
    owner = make_plugin()
    error = refused(lambda: devinfo(owner, [domain]), PluginDevError.DOMAIN_INVALID, domain=domain)
    assert error.field == "server_domains"


def test_plg4_server_domains_are_limited_by_policy(make_plugin):
    owner = make_plugin()
    high = policy.value("plugin.server_domains_max")
    domains = [f"https://a{i}.example.com" for i in range(high + 1)]
    refused(lambda: devinfo(owner, domains), PluginDevError.TOO_MANY_DOMAINS, max=high)


@pytest.mark.parametrize("token", ["ab", "a" * 33, "has space", "符号abc", "abc-123"])
def test_plg4_the_token_is_3_to_32_letters_or_digits(make_plugin, token):
    owner = make_plugin()
    low, high = policy.value("plugin.token_min_length"), policy.value("plugin.token_max_length")
    refused(lambda: devinfo(owner, [], token), PluginDevError.TOKEN_INVALID, min=low, max=high)


def test_plg4_a_blank_token_clears_it(make_plugin):
    owner = make_plugin(token="abc123")
    assert devinfo(owner, [], "").token == ""
