"""PLG-1..PLG-5 in the console: the enabling form on "Mini program plugin" for a mini
program without a plugin (the administrator enables; a personal subject is told why it
cannot), the Basic information tab with the PLG-5 checklist and its edit form, the
Development information tab (server domains, Token); who may do what; one language."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from miniport.miniprograms import catalog as platform_catalog
from miniport.plugins.development.errors import PluginDevError
from miniport.plugins.models import Plugin
from miniport.web.sentences import sentence
from tests.console.plugin_support import console_of
from tests.i18n.test_one_language_per_page import offending
from tests.miniprograms.conftest import console_login
from tests.plugins import makers
from tests.plugins.development.support import category_mp, png_bytes, snapshot
from tests.releases.version_support import TOOLS, add_member

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
CATEGORY = f"{TOOLS[0]}:{TOOLS[1]}"


def enable_form(**fields) -> dict:
    values = {
        "name": "快递查询插件",
        "introduction": "查询快递进度的插件",
        "service_contact": "help@example.com",
        "add_method": "search",
        "category": CATEGORY,
    }
    values.update(fields)
    return values


def error_of(html: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def test_plg3_the_administrator_enables_the_plugin_from_the_console(make_owner):
    owner = make_owner()
    client = console_of(owner)
    html = client.get(reverse("console:plugin")).content.decode()
    assert 'data-testid="plugin-enable"' in html and "信息查询" not in html  # English page
    assert "Tools › Information lookup" in html
    response = client.post(reverse("console:plugin_enable"), enable_form())
    assert response.status_code == 302 and response.url == reverse("console:plugin")
    plugin = Plugin.objects.get()
    html = client.get(reverse("console:plugin")).content.decode()
    assert plugin.appid in html and 'data-testid="plugin-basic"' in html
    assert 'data-testid="plugin-tabs"' in html


def test_plg3_a_refused_name_is_named_on_its_field_and_nothing_is_stored(make_owner, make_plugin):
    taken = make_plugin().plugin.name
    owner = make_owner()
    client = console_of(owner)
    before = snapshot()
    response = client.post(reverse("console:plugin_enable"), enable_form(name=taken))
    assert response.status_code == 400
    assert sentence(PluginDevError.NAME_TAKEN.message("en", name=taken)) in error_of(
        response.content.decode(), "name"
    )
    assert snapshot() == before


def test_plg1_a_personal_subject_is_told_it_cannot_enable(provision, make_identity):
    mp = category_mp(provision, ("工具", "信息查询"), subject_type="personal")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert console_login(client, mp.admin_identity, mp.appid).status_code == 302
    html = client.get(reverse("console:plugin")).content.decode()
    assert 'data-testid="plugin-personal"' in html and 'data-testid="enable"' not in html
    before = snapshot()
    response = client.post(reverse("console:plugin_enable"), enable_form())
    assert response.status_code == 400
    assert sentence(PluginDevError.PERSONAL_SUBJECT.message("en")) in response.content.decode()
    assert snapshot() == before


def test_plg5_the_basic_information_shows_the_checklist_and_saves_an_avatar(make_plugin):
    owner = make_plugin()
    client = console_of(owner, "operator")
    html = client.get(reverse("console:plugin")).content.decode()
    assert 'data-testid="plugin-incomplete"' in html
    assert 'data-field="avatar" data-done="0"' in html
    assert 'data-field="name" data-done="1"' in html
    form = enable_form(name=owner.plugin.name)
    form["avatar"] = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("console:plugin_basic_edit"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get(reverse("console:plugin")).content.decode()
    assert 'data-testid="plugin-complete"' in html and 'data-testid="plugin-avatar"' in html
    avatar = client.get(reverse("console:plugin_avatar"))
    assert avatar.status_code == 200 and avatar["Content-Type"] == "image/png"


def test_plg5_a_refused_edit_names_the_field_and_changes_nothing(make_plugin):
    owner = make_plugin()
    client = console_of(owner)
    before = snapshot()
    response = client.post(
        reverse("console:plugin_basic_edit"), enable_form(name="名", category=CATEGORY)
    )
    assert response.status_code == 400
    assert sentence(PluginDevError.NAME_LENGTH.message("en", min=2, max=30)) in error_of(
        response.content.decode(), "name"
    )
    assert snapshot() == before


def test_plg4_a_developer_sets_server_domains_and_the_token(make_plugin):
    owner = make_plugin()
    client = console_of(owner, "developer")
    response = client.post(
        reverse("console:plugin_dev_edit"),
        {"server_domains": "https://api.example.com\nhttps://cdn.example.com", "token": "abc123"},
    )
    assert response.status_code == 302
    plugin = Plugin.objects.get()
    assert plugin.server_domains == ["https://api.example.com", "https://cdn.example.com"]
    html = client.get(reverse("console:plugin_dev")).content.decode()
    assert "https://cdn.example.com" in html


def test_plg4_an_invalid_domain_is_named_and_nothing_changes(make_plugin):
    owner = make_plugin()
    client = console_of(owner, "developer")
    before = snapshot()
    response = client.post(
        reverse("console:plugin_dev_edit"),
        {"server_domains": "http://api.example.com", "token": ""},
    )
    assert response.status_code == 400
    message = sentence(PluginDevError.DOMAIN_INVALID.message("en", domain="http://api.example.com"))
    assert message in error_of(response.content.decode(), "server_domains")
    assert snapshot() == before


# --- who may do what --------------------------------------------------------------------

ROLES = ("admin", "operator", "developer", "analyst", "outsider")
# What each persona gets: the pages (GET) and the changes (POST).
EXPECTED = {
    # page or change: {persona: status}
    "plugin": {"admin": 200, "operator": 200, "developer": 200, "analyst": 404, "outsider": 404},
    "plugin_dev": {
        "admin": 200,
        "operator": 200,
        "developer": 200,
        "analyst": 404,
        "outsider": 404,
    },
    "plugin_basic_edit": {
        "admin": 400,
        "operator": 400,
        "developer": 403,
        "analyst": 404,
        "outsider": 404,
    },
    "plugin_dev_edit": {
        "admin": 400,
        "operator": 403,
        "developer": 400,
        "analyst": 404,
        "outsider": 404,
    },
    "plugin_avatar": {
        "admin": 404,
        "operator": 404,
        "developer": 404,
        "analyst": 404,
        "outsider": 404,
    },
}


@pytest.fixture
def personas(make_plugin, make_identity, provision):
    """The plugin's owner with a data analyst, and an outsider who administers another
    mini program (his console is his own: this plugin does not exist there)."""
    owner = make_plugin()
    analyst = make_identity()
    add_member(owner.miniprogram, analyst, kind="project", roles=("data_analyst",))
    other = provision("enterprise").miniprogram
    clients = {who: console_of(owner, who) for who in ("admin", "operator", "developer")}
    clients["analyst"] = Client(HTTP_ACCEPT_LANGUAGE="en")
    console_login(clients["analyst"], analyst, owner.appid)
    clients["outsider"] = Client(HTTP_ACCEPT_LANGUAGE="en")
    console_login(clients["outsider"], other.admin_identity, other.appid)
    return owner, clients


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_plg3_who_may_open_and_change_the_plugin_pages(personas, name):
    owner, clients = personas
    outcome = {}
    for who in ROLES:
        url = reverse(f"console:{name}")
        if name.endswith("_edit"):
            response = clients[who].post(url, {"name": "", "server_domains": "http://x"})
        else:
            response = clients[who].get(url)
        outcome[who] = response.status_code
    if name == "plugin":
        # The outsider sees his own mini program's enabling page, never this plugin.
        assert (
            owner.plugin.appid
            not in clients["outsider"].get(reverse("console:plugin")).content.decode()
        )
        outcome["outsider"] = 404 if outcome["outsider"] == 200 else outcome["outsider"]
    assert outcome == EXPECTED[name]
    assert Plugin.objects.get().name == owner.plugin.name


def test_plg3_only_the_administrator_may_enable(make_owner):
    owner = make_owner()
    client = console_of(owner, "operator")
    html = client.get(reverse("console:plugin")).content.decode()
    assert 'data-testid="plugin-admin-only"' in html
    assert client.post(reverse("console:plugin_enable"), enable_form()).status_code == 403
    assert not Plugin.objects.exists()


def test_plg4_a_mini_program_without_a_plugin_has_no_development_page(make_owner):
    owner = make_owner()
    assert console_of(owner).get(reverse("console:plugin_dev")).status_code == 404


# --- one language -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg3_the_plugin_profile_pages_speak_one_language(make_owner, make_plugin, language):
    fresh = make_owner()
    owner = make_plugin(server_domains=["https://api.example.com"], token="abc123")
    values = {
        owner.miniprogram.name,
        fresh.miniprogram.name,
        owner.plugin.name,
        owner.plugin.appid,
        owner.plugin.introduction,
        owner.plugin.service_contact,
        owner.admin.wechat_id,
        fresh.admin.wechat_id,
        "https://api.example.com",
        "abc123",
    }
    if language == "zh-hans":
        values |= {"工具", "信息查询"}
    else:
        values |= {
            platform_catalog.name_in("工具", "en"),
            platform_catalog.name_in("信息查询", "en"),
        }
    pages = [
        (console_of(fresh, language=language), "console:plugin"),
        (console_of(owner, language=language), "console:plugin"),
        (console_of(owner, language=language), "console:plugin_dev"),
    ]
    for client, name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert offending(response.content.decode(), language, values) == [], name
