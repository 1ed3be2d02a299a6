"""PLG-11 at submission: a version that declares a plugin is refused unless the plugin
exists (80067), its application is approved (80082) and the declared version is
released (80066), through the guard registry of releases.prechecks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.usage.errors import UsageError
from miniport.plugins.usage.guard import declared_plugins_guard
from miniport.releases import prechecks
from miniport.releases.packages.manifest import PluginDeclaration
from tests.plugins.makers import approved_application

pytestmark = pytest.mark.django_db


def _manifest(provider, version="1.0.0"):
    return SimpleNamespace(plugins=(PluginDeclaration("myPlugin", version, provider, None),))


def _refusal(miniprogram, manifest):
    with pytest.raises(PlatformError) as caught:
        declared_plugins_guard(miniprogram, manifest)
    return caught.value


def test_plg11_the_guard_is_registered_with_releases():
    assert prechecks.SUBMISSION_GUARDS["plugins.declared"] is declared_plugins_guard


def test_plg11_a_declared_plugin_that_does_not_exist_is_80067(provision):
    mp = provision("personal").miniprogram
    error = _refusal(mp, _manifest("wx0000000000000000"))
    assert error.code == UsageError.DECLARED_PLUGIN_NOT_FOUND and error.code.errcode == 80067


def test_plg11_a_declared_plugin_without_approved_application_is_80082(released_plugin, provision):
    mp = provision("personal").miniprogram
    error = _refusal(mp, _manifest(released_plugin.plugin.appid))
    assert error.code.errcode == 80082


def test_plg11_a_declared_version_not_released_is_80066(released_plugin, provision):
    mp = provision("personal").miniprogram
    approved_application(released_plugin.plugin, mp)
    error = _refusal(mp, _manifest(released_plugin.plugin.appid, "9.9.9"))
    assert error.code.errcode == 80066


def test_plg11_an_approved_released_plugin_passes(released_plugin, provision):
    mp = provision("personal").miniprogram
    approved_application(released_plugin.plugin, mp)
    declared_plugins_guard(mp, _manifest(released_plugin.plugin.appid))
