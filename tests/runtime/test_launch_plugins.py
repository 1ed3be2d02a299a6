"""PLG-11 at launch: /runtime/v1/launch names the plugins the launched version declares
and may load (application approved, declared version released), each with its alias,
provider, version, sha256, size and a download URL; others are left out."""

from __future__ import annotations

import json

import pytest

from miniport.plugins.models import PluginApplication, PluginApplicationStatus
from miniport.runtime import launch_api
from tests.plugins import makers
from tests.plugins.makers import approved_application, release_plugin_version
from tests.releases.version_support import app_fixture, approve, submit, upload  # noqa: F401
from tests.releases.zips import app_files, make_zip
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)


@pytest.fixture(autouse=True)
def _fresh_launch_memory():
    launch_api.forget_remembered()
    yield
    launch_api.forget_remembered()


def declaring(plugins: dict[str, tuple[str, str]]) -> bytes:
    """A package whose app.json declares `alias -> (provider, version)`."""
    declared = {alias: {"provider": p, "version": v} for alias, (p, v) in plugins.items()}
    return make_zip(app_files(plugins=declared))


def release_declaring(app, plugins, version="1.0.0"):
    from miniport.releases import services

    approve(submit(app, upload(app, version, data=declaring(plugins))))
    return services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)


def test_plg11_launch_lists_an_approved_released_plugin(client, app, released_plugin):
    plugin = released_plugin.plugin
    approved_application(plugin, app.miniprogram)
    release_declaring(app, {"myPlugin": (plugin.appid, "1.0.0")})
    body = launch(client, app.outsider, app.appid)
    assert body["errcode"] == 0
    (entry,) = body["plugins"]
    package = plugin.releases.get().version.package
    assert entry["name"] == "myPlugin" and entry["provider"] == plugin.appid
    assert entry["version"] == "1.0.0"
    assert (entry["sha256"], entry["size"]) == (package.sha256, package.size)
    assert entry["download_url"].startswith("http://testserver/runtime/v1/package?token=")
    downloaded = client.get(entry["download_url"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200


def test_plg11_a_plugin_whose_application_is_no_longer_approved_is_left_out(
    client, app, released_plugin
):
    plugin = released_plugin.plugin
    application = approved_application(plugin, app.miniprogram)
    release_declaring(app, {"myPlugin": (plugin.appid, "1.0.0")})
    assert len(launch(client, app.outsider, app.appid)["plugins"]) == 1
    PluginApplication.objects.filter(pk=application.pk).update(
        status=PluginApplicationStatus.UNBOUND
    )
    assert launch(client, app.outsider, app.appid)["plugins"] == []


def test_plg11_only_the_declared_released_version_is_loaded(client, app, released_plugin):
    plugin = released_plugin.plugin
    release_plugin_version(plugin, "2.0.0")
    approved_application(plugin, app.miniprogram)
    release_declaring(app, {"myPlugin": (plugin.appid, "2.0.0")})
    (entry,) = launch(client, app.outsider, app.appid)["plugins"]
    assert entry["version"] == "2.0.0"
    assert entry["sha256"] == plugin.releases.get(user_version="2.0.0").version.package.sha256


def test_plg11_a_version_without_plugins_launches_with_an_empty_list(client, app):
    release_declaring(app, {})
    assert launch(client, app.outsider, app.appid)["plugins"] == []


def test_plg11_develop_env_lists_the_plugins_of_the_upload(client, app, released_plugin):
    plugin = released_plugin.plugin
    approved_application(plugin, app.miniprogram)
    upload(app, "0.1.0", data=declaring({"p": (plugin.appid, "1.0.0")}))
    body = launch(client, app.developer, app.appid, env="develop")
    assert [p["provider"] for p in body["plugins"]] == [plugin.appid]
    assert json.dumps(body)  # plain JSON
