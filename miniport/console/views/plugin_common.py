"""What every page of the plugin's console shares (PLG-3): the plugin of the signed-in
mini program and the tabs. A mini program without a plugin has only the enabling page;
every other plugin page answers 404 for it, like an object of another mini program."""

from __future__ import annotations

from typing import Any

from miniport.console import plugin_tabs
from miniport.console.access import owned_or_404
from miniport.plugins.models import Plugin


def plugin_or_404(request) -> Plugin:
    """The plugin of the console's mini program (set by `console_view`)."""
    return owned_or_404(request, Plugin, owner_field="owner")


def plugin_context(request, plugin: Plugin | None, tab: str, **extra: Any) -> dict[str, Any]:
    """The context of a plugin page: the plugin, its tabs (the active one `tab`) and
    the page's own values."""
    tabs = plugin_tabs.shown(request.console.roles, tab) if plugin is not None else []
    return {"plugin": plugin, "plugin_tabs": tabs, **extra}
