"""Issue 10 item 7: the menu places development settings as WeChat does, under
Development → Development management, and the old addresses keep working."""

from __future__ import annotations

import re

import pytest

from miniport.console import menu
from tests.console.conftest import en_client, two_step_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(provision):
    app = provision("personal")
    client = en_client()
    two_step_login(client, app)
    client.post("/login/scan/complete/")
    return client


def sections(html: str) -> str:
    return html.split('data-testid="console-menu"')[1].split("</nav>")[0]


def test_development_management_leads_to_the_development_settings(console):
    """Issue 10 item 7: 开发 → 开发管理 → 开发设置; no second entry under Settings."""
    nav = sections(console.get("/").content.decode())
    development = nav.split("<h4>Development</h4>")[1].split("<h4>")[0]
    assert re.search(r'<a href="/settings/dev/" data-menu="dev_management"', development)
    assert 'data-menu="dev_tools"' in development and 'href="/help/cli/"' in development
    settings_part = nav.split("<h4>Settings</h4>")[1]
    assert "/settings/dev/" not in settings_part
    assert 'data-menu="dev_settings"' not in nav


@pytest.mark.parametrize(
    "path",
    ["/settings/dev/", "/settings/dev/ip-whitelist/", "/settings/dev/upload-keys/"],
)
def test_development_pages_keep_their_addresses_and_light_up_their_entry(console, path):
    """The old URLs keep working; their pages highlight Development management."""
    response = console.get(path)
    assert response.status_code == 200
    nav = sections(response.content.decode())
    assert re.search(r'data-menu="dev_management" class="active" aria-current="page"', nav)
    assert len(re.findall(r'class="active"', nav)) == 1


def test_the_basic_settings_sub_pages_light_up_basic_settings(console):
    nav = sections(console.get("/settings/basic/categories/").content.decode())
    assert re.search(r'data-menu="basic_settings" class="active"', nav)


def test_the_development_tools_entry_is_the_cli_help_page(db):
    url = menu.entry_url("dev_tools")
    assert url == "/help/cli/"
    assert en_client().get(url).status_code == 200


def test_an_entry_matches_its_own_view_and_the_ones_it_names():
    entry = menu.Entry("x", "X", "console:dev_settings", also=("console:upload_key*",))
    assert menu._active(entry, "console:dev_settings")
    assert menu._active(entry, "console:upload_keys")
    assert not menu._active(entry, "console:versions")
    assert not menu._active(menu.Entry("y", "Y"), "console:versions")
