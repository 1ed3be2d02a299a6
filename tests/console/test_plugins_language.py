"""PLG-9, PLG-11, B-9 / B-11: the plugin usage pages speak one language (Chinese pages
no English outside codes and user data, English pages no Chinese): the using mini
program's Plugin management with search results and every status, and the plugin's
Users and Settings tabs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import clock
from miniport.plugins.models import PluginApplication
from miniport.plugins.usage import services
from tests.console.plugin_support import browser
from tests.i18n.test_one_language_per_page import offending
from tests.plugins import makers
from tests.plugins.makers import release_plugin_version

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)
LANGUAGES = ("zh-hans", "en")


def _user_values(*owners) -> set[str]:
    values: set[str] = set()
    for owner in owners:
        mp = owner.miniprogram
        values |= {mp.name, mp.subject.name, mp.admin_identity.real_name, mp.appid}
        if owner.plugin is not None:
            plugin = owner.plugin
            values |= {
                plugin.name,
                plugin.appid,
                plugin.introduction,
                plugin.category_first_name,
                plugin.category_second_name,
            }
    for application in PluginApplication.objects.all():
        values |= {application.reason, application.refuse_reason}
    return {value for value in values if value}


@pytest.mark.parametrize("language", LANGUAGES)
def test_plg11_plugin_usage_pages_speak_one_language(make_owner, make_plugin, language):
    owner = make_plugin()
    release_plugin_version(owner.plugin)
    other = make_plugin()
    release_plugin_version(other.plugin)
    third = make_plugin()
    release_plugin_version(third.plugin)
    user = make_owner("personal")
    for plugin in (owner.plugin, other.plugin, third.plugin):
        services.plugin_apply(
            actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="需要使用"
        )
    services.plugin_application_refuse(
        actor=other.admin_actor, plugin=other.plugin, appid=user.appid, reason="类目不符"
    )
    PluginApplication.objects.filter(plugin=third.plugin).update(
        created_at=clock.now() - timedelta(hours=30)
    )
    problems: list[str] = []
    values = _user_values(owner, other, third, user)

    def read(client, path, **query):
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.status_code)
        problems.extend(
            f"{path}: {p}" for p in offending(response.content.decode(), language, values)
        )

    using = browser(user.admin, user.appid, language)
    read(using, "/settings/plugins/")
    read(using, "/settings/plugins/", q="测试")
    read(using, "/settings/plugins/", q="不存在")
    refused = using.post("/settings/plugins/apply/", {"plugin_appid": owner.plugin.appid})
    problems.extend(offending(refused.content.decode(), language, values))

    owning = browser(owner.admin, owner.appid, language)
    read(owning, "/plugin/users/")
    read(owning, "/plugin/settings/")
    bad = owning.post("/plugin/settings/save/", {"approval_policy": "allowlist", "allowlist": ""})
    problems.extend(offending(bad.content.decode(), language, values))
    assert problems == []
