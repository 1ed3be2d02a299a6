"""PLG-11: the search finds released plugins by name (contains), AppID (exact) and
category, paged; a plugin added by AppID only is found by its exact AppID alone."""

from __future__ import annotations

import pytest

from miniport.plugins.models import AddMethod
from miniport.plugins.usage import selectors
from tests.plugins.makers import release_plugin_version

pytestmark = pytest.mark.django_db


def _released(make_plugin, **fields):
    plugin = make_plugin(**fields).plugin
    release_plugin_version(plugin)
    return plugin


def test_plg11_search_by_name_contains(make_plugin):
    map_plugin = _released(make_plugin, name="地图导航插件")
    _released(make_plugin, name="支付助手")
    found = selectors.plugin_search(query="导航")
    assert [p.pk for p in found.plugins] == [map_plugin.pk] and found.total == 1


def test_plg11_search_by_exact_appid(make_plugin):
    plugin = _released(make_plugin)
    assert selectors.plugin_search(appid=plugin.appid).plugins == [plugin]
    assert selectors.plugin_search(appid=plugin.appid[:-1]).plugins == []


def test_plg11_search_by_category(make_plugin):
    plugin = _released(make_plugin)
    first, second = plugin.category_first_id, plugin.category_second_id
    assert (
        plugin
        in selectors.plugin_search(category_first_id=first, category_second_id=second).plugins
    )
    assert selectors.plugin_search(category_first_id=first + 999).plugins == []


def test_plg11_only_plugins_with_a_released_version_are_found(make_plugin):
    unreleased = make_plugin(name="未发布插件").plugin
    assert selectors.plugin_search(query="未发布").plugins == []
    assert selectors.plugin_search(appid=unreleased.appid).plugins == []


def test_plg11_an_appid_only_plugin_is_hidden_from_name_search_but_found_by_appid(make_plugin):
    hidden = _released(make_plugin, name="隐藏插件", add_method=AddMethod.APPID)
    assert selectors.plugin_search(query="隐藏").plugins == []
    assert selectors.plugin_search().total == 0
    assert selectors.plugin_search(appid=hidden.appid).plugins == [hidden]


def test_plg11_search_is_paged(make_plugin):
    for n in range(5):
        _released(make_plugin, name=f"分页插件{n}")
    first = selectors.plugin_search(query="分页", per_page=2)
    last = selectors.plugin_search(query="分页", per_page=2, page=3)
    assert first.total == 5 and first.pages == 3 and first.has_next
    assert len(first.plugins) == 2 and len(last.plugins) == 1 and not last.has_next


def test_plg11_a_page_past_the_last_shows_the_last(make_plugin):
    for n in range(3):
        _released(make_plugin, name=f"翻页插件{n}")
    found = selectors.plugin_search(query="翻页", per_page=2, page=10**25)
    assert found.page == 2 and len(found.plugins) == 1
