"""The tabs of the plugin's console (PLG-3): one list, like the left menu. A tab the
roles may not open is left out."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.miniprograms import permissions


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url_name: str
    action: str


TABS: tuple[Tab, ...] = (
    Tab("basic", _("Basic information"), "console:plugin", "plugin.view"),
    Tab("development", _("Development information"), "console:plugin_dev", "plugin.view"),
    Tab("docs", _("Documentation"), "console:plugin_docs", "plugin.view"),
    Tab("versions", _("Versions"), "console:plugin_versions", "plugin.view"),
    Tab("users", _("Users"), "console:plugin_users", "plugin.view"),
    Tab("settings", _("Settings"), "console:plugin_settings", "plugin.view"),
    Tab("payment", _("Payment"), "console:plugin_payment", "plugin.view"),
)


@dataclass(frozen=True)
class ShownTab:
    key: str
    label: str | Promise
    url: str
    active: bool


def shown(roles, current: str) -> list[ShownTab]:
    """The tabs the roles may open, `current` (a tab key) marked active."""
    return [
        ShownTab(tab.key, tab.label, reverse(tab.url_name), tab.key == current)
        for tab in TABS
        if permissions.allowed(roles, tab.action)
    ]
