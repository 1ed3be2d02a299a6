"""PLG-11 in the console: Settings › Third-party services › Plugin management lists the
added plugins with their status, searches released plugins, applies with a reason and
unbinds; the rights of plugins.view / plugins.manage; refusals on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import clock
from miniport.plugins.models import AddMethod, PluginApplication, PluginApplicationStatus
from miniport.plugins.usage import services
from tests.console.plugin_support import browser
from tests.plugins import makers
from tests.plugins.makers import release_plugin_version

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)
S = PluginApplicationStatus


@pytest.fixture
def user(make_owner):
    """A mini program that uses plugins, with its members (admin, developer, operator)."""
    return make_owner("personal")


def test_plg11_the_page_lists_nothing_at_first_and_searches_by_name(user, released_plugin):
    client = browser(user.admin, user.appid)
    page = client.get("/settings/plugins/")
    assert page.status_code == 200 and "No plugin added yet." in page.content.decode()
    found = client.get(
        "/settings/plugins/", {"q": released_plugin.plugin.name[:4]}
    ).content.decode()
    assert released_plugin.plugin.appid in found and 'data-testid="plugin-apply"' in found


def test_plg11_an_appid_only_plugin_is_found_by_its_appid_alone(user, make_plugin):
    plugin = make_plugin(add_method=AddMethod.APPID, name="只按AppID").plugin
    release_plugin_version(plugin)
    client = browser(user.admin, user.appid)
    assert plugin.appid not in client.get("/settings/plugins/", {"q": "只按"}).content.decode()
    assert (
        plugin.appid in client.get("/settings/plugins/", {"appid": plugin.appid}).content.decode()
    )


def test_plg11_applying_with_a_reason_shows_it_applying_with_its_age(user, released_plugin):
    client = browser(user.admin, user.appid)
    response = client.post(
        "/settings/plugins/apply/", {"plugin_appid": released_plugin.plugin.appid, "reason": "需要"}
    )
    assert response.status_code == 302
    application = PluginApplication.objects.get()
    assert (application.status, application.reason) == (S.APPLYING, "需要")
    html = client.get("/settings/plugins/").content.decode()
    assert 'data-status="applying"' in html and "for 0" in html


def test_plg11_applying_without_reason_names_the_field_and_changes_nothing(user, released_plugin):
    client = browser(user.admin, user.appid)
    response = client.post(
        "/settings/plugins/apply/", {"plugin_appid": released_plugin.plugin.appid}
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not PluginApplication.objects.exists()


def test_plg11_applying_twice_shows_the_coded_refusal(user, released_plugin):
    client = browser(user.admin, user.appid)
    body = {"plugin_appid": released_plugin.plugin.appid, "reason": "需要"}
    client.post("/settings/plugins/apply/", body)
    again = client.post("/settings/plugins/apply/", body)
    assert again.status_code == 400
    assert "already added or applied for" in again.content.decode()
    assert PluginApplication.objects.count() == 1


def test_plg9_refused_and_timed_out_applications_show_their_status(
    user, released_plugin, make_plugin
):
    other = make_plugin().plugin
    release_plugin_version(other)
    for plugin in (released_plugin.plugin, other):
        services.plugin_apply(
            actor=user.admin_actor, miniprogram=user.miniprogram, plugin=plugin, reason="x"
        )
    services.plugin_application_refuse(
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=user.appid,
        reason="类目不符",
    )
    PluginApplication.objects.filter(plugin=other).update(
        created_at=clock.now() - timedelta(hours=25)
    )
    html = browser(user.admin, user.appid).get("/settings/plugins/").content.decode()
    assert 'data-status="refused"' in html and "类目不符" in html
    assert 'data-status="expired"' in html


def test_plg11_unbinding_an_approved_plugin(user, released_plugin):
    services.plugin_policy_update(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, approval_policy="auto"
    )
    services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=released_plugin.plugin
    )
    client = browser(user.admin, user.appid)
    assert 'data-status="approved"' in client.get("/settings/plugins/").content.decode()
    response = client.post(
        "/settings/plugins/unbind/", {"plugin_appid": released_plugin.plugin.appid}
    )
    assert response.status_code == 302
    assert PluginApplication.objects.get().status == S.UNBOUND


def test_plg11_a_developer_reads_the_page_but_may_not_apply(user, released_plugin):
    client = browser(user.developer, user.appid)
    assert client.get("/settings/plugins/").status_code == 200
    response = client.post(
        "/settings/plugins/apply/", {"plugin_appid": released_plugin.plugin.appid, "reason": "x"}
    )
    assert response.status_code == 403 and not PluginApplication.objects.exists()


def test_plg11_the_operator_may_apply(user, released_plugin):
    client = browser(user.operator, user.appid)
    response = client.post(
        "/settings/plugins/apply/", {"plugin_appid": released_plugin.plugin.appid, "reason": "x"}
    )
    assert response.status_code == 302 and PluginApplication.objects.count() == 1
