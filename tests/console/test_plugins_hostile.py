"""PLG-11 in the console met by a stranger: odd input on the plugin management page is
answered on the page (never a 500, also on PostgreSQL), and changes nothing."""

from __future__ import annotations

import pytest

from miniport.plugins.models import PluginApplication
from tests.console.plugin_support import browser
from tests.plugins import makers

pytestmark = pytest.mark.django_db
make_owner = makers.make_owner


@pytest.fixture
def user(make_owner):
    return make_owner("personal")


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "", "x" * 5000, "𝕏"])
def test_plg11_unbinding_an_odd_plugin_appid_is_refused_on_the_page(user, value):
    client = browser(user.admin, user.appid)
    response = client.post("/settings/plugins/unbind/", {"plugin_appid": value})
    assert response.status_code in (302, 400)
    assert not PluginApplication.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "q=a%00b",
        "category=%00",
        "category=1-%00",
        "q=" + "x" * 3000,
        "q=a&page=99999999999999999999999",
        "q=a&category=" + "9" * 30 + "-1",
    ],
)
def test_plg11_odd_searches_get_the_page(user, query):
    client = browser(user.admin, user.appid)
    assert client.get(f"/settings/plugins/?{query}").status_code in (200, 400, 414)
