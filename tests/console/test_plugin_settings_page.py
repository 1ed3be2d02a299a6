"""PLG-11 in Settings › Third-party services › Plugin management: a removed plugin's row
is gone (an earlier refusal is not its status), a refused application keeps the search
(its query and results) and names the reason field in the platform's words, plugins
already added or applied for show their state instead of Apply, removal asks first, and
service categories are said in the page's language with one separator."""

from __future__ import annotations

import re

import pytest

from miniport.core.models import AuditEntry
from miniport.plugins.models import PluginApplication, PluginApplicationStatus
from miniport.plugins.usage import selectors, services
from tests.console.plugin_support import browser
from tests.plugins import makers

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)
S = PluginApplicationStatus
PAGE, APPLY, UNBIND = "/settings/plugins/", "/settings/plugins/apply/", "/settings/plugins/unbind/"


@pytest.fixture
def user(make_owner):
    return make_owner("personal")


def _row(html: str, appid: str) -> str:
    """The plugin's row among the search results."""
    results = html.partition('data-testid="plugin-results"')[2]
    found = re.search(rf'<tr data-appid="{appid}">(.*?)</tr>', results, re.S)
    return found.group(1) if found else ""


def _used(html: str) -> str:
    found = re.search(r'data-testid="plugins-used">(.*?)</table>', html, re.S)
    return found.group(1) if found else ""


def test_plg11_a_removed_plugin_does_not_show_its_earlier_refusal(user, released_plugin):
    plugin = released_plugin.plugin
    first = services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="试用"
    )
    services.plugin_application_refuse(
        actor=released_plugin.admin_actor, plugin=plugin, application=first, reason="类目不符"
    )
    second = services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="再试"
    )
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=plugin, application=second
    )
    client = browser(user.admin, user.appid, "zh-hans")
    assert client.post(UNBIND, {"plugin_appid": plugin.appid}).status_code == 302
    used = _used(client.get(PAGE).content.decode())
    assert plugin.appid not in used and "类目不符" not in used
    assert selectors.used_plugins(user.miniprogram) == []


def test_plg11_an_application_without_a_reason_keeps_the_search_and_names_the_field(
    user, released_plugin
):
    plugin = released_plugin.plugin
    client = browser(user.admin, user.appid, "zh-hans")
    query = plugin.name[:4]
    response = client.post(
        APPLY, {"plugin_appid": plugin.appid, "reason": "", "search_q": query, "search_page": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'value="{query}"' in html  # the search box keeps its query
    row = _row(html, plugin.appid)
    assert 'data-field="reason"' in row and "此项为必填项" in row  # next to the reason field
    assert "这个字段是必须的" not in html
    assert not PluginApplication.objects.exists()


def test_plg11_a_plugin_already_added_shows_its_state_instead_of_apply(user, released_plugin):
    plugin = released_plugin.plugin
    services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="需要"
    )
    client = browser(user.admin, user.appid)
    row = _row(client.get(PAGE, {"q": plugin.name[:4]}).content.decode(), plugin.appid)
    assert 'data-testid="plugin-added"' in row and 'data-status="applying"' in row
    assert 'data-testid="plugin-apply"' not in row


def test_plg11_applying_again_is_refused_in_the_row_and_keeps_the_search(user, released_plugin):
    plugin = released_plugin.plugin
    services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="需要"
    )
    before = list(PluginApplication.objects.values_list("pk", "status"))
    response = browser(user.admin, user.appid, "zh-hans").post(
        APPLY, {"plugin_appid": plugin.appid, "reason": "再要", "search_q": plugin.name[:4]}
    )
    assert response.status_code == 400
    assert "已添加或正在申请该插件" in _row(response.content.decode(), plugin.appid)
    assert list(PluginApplication.objects.values_list("pk", "status")) == before


def test_plg11_removing_a_plugin_asks_first(user, released_plugin):
    plugin = released_plugin.plugin
    services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="需要"
    )
    client = browser(user.admin, user.appid)
    html = client.get(PAGE).content.decode()
    assert f'href="{UNBIND}?plugin_appid={plugin.appid}"' in html
    audits = AuditEntry.objects.count()
    confirm = client.get(UNBIND, {"plugin_appid": plugin.appid})
    assert confirm.status_code == 200
    assert 'data-testid="plugin-unbind-confirm"' in confirm.content.decode()
    assert PluginApplication.objects.get().status == S.APPLYING  # nothing done yet
    assert AuditEntry.objects.count() == audits
    assert client.post(UNBIND, {"plugin_appid": plugin.appid}).status_code == 302
    assert PluginApplication.objects.get().status == S.UNBOUND


def test_plg11_the_removal_page_of_a_plugin_not_added_says_why(user, released_plugin):
    response = browser(user.admin, user.appid).get(
        UNBIND, {"plugin_appid": released_plugin.plugin.appid}
    )
    assert response.status_code == 409
    assert "has not added this plugin" in response.content.decode()


def test_plg11_categories_are_said_in_the_page_language(user, released_plugin):
    english = browser(user.admin, user.appid).get(PAGE).content.decode()
    assert "Tools › Information lookup" in english and "信息查询" not in english
    chinese = browser(user.admin, user.appid, "zh-hans").get(PAGE).content.decode()
    assert "工具 › 信息查询" in chinese
