"""Reads of plugin development (PLG-1..PLG-5): a plugin by its AppID or by its owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from miniport.plugins.models import Plugin

if TYPE_CHECKING:
    from miniport.miniprograms.models import MiniProgram


def plugin_by_appid(appid: str) -> Plugin | None:
    """The plugin with this AppID, or None (never a mini program's AppID)."""
    appid = (appid or "").strip()
    if not appid or "\x00" in appid:  # PostgreSQL refuses NUL in text: no AppID holds one
        return None
    return Plugin.objects.select_related("owner__subject").filter(appid=appid).first()


def plugin_of(miniprogram: MiniProgram) -> Plugin | None:
    """The plugin this mini program enabled (one at most, PLG-1), or None."""
    return Plugin.objects.filter(owner=miniprogram).first()
