"""The submission guard of declared plugins (PLG-11): a mini program version whose
app.json declares a plugin is refused at submission for review unless the plugin exists
(80067), its application is approved (80082) and the declared version is released
(80066). Registered with `releases.prechecks.submission_guard_register`, so releases
runs it without importing plugins."""

from __future__ import annotations

from typing import Any

from miniport.core.errors import PlatformError
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.models import PluginRelease
from miniport.plugins.usage import selectors
from miniport.plugins.usage.errors import UsageError


def declared_plugins_guard(miniprogram: Any, manifest: Any) -> None:
    for declaration in getattr(manifest, "plugins", ()) or ():
        plugin = plugin_by_appid(declaration.provider)
        if plugin is None:
            raise PlatformError(
                UsageError.DECLARED_PLUGIN_NOT_FOUND, field="plugins", plugin=declaration.provider
            )
        if not selectors.approved(plugin, miniprogram):
            raise PlatformError(
                UsageError.DECLARED_PLUGIN_NO_PERMISSION, field="plugins", plugin=plugin.appid
            )
        if not PluginRelease.objects.filter(
            plugin=plugin, user_version=declaration.version
        ).exists():
            raise PlatformError(
                UsageError.DECLARED_PLUGIN_VERSION_INVALID,
                field="plugins",
                plugin=plugin.appid,
                version=declaration.version,
            )


def register_guard() -> None:
    from miniport.releases import prechecks

    prechecks.submission_guard_register("plugins.declared", declared_plugins_guard)
