"""Reads of plugin versions (PLG-7, PLG-8): uploads, the open submission, releases, the
categories a submission may name and who may use the development version."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from miniport.miniprograms import permissions
from miniport.miniprograms import selectors as mp_selectors
from miniport.plugins.models import (
    PLUGIN_SUBMISSION_OPEN_STATES,
    Plugin,
    PluginRelease,
    PluginSubmission,
    PluginVersion,
)

PLUGIN_KIND = "plugin"


def plugin_by_appid(appid: str) -> Plugin | None:
    """The plugin with this AppID (the development part's selector when it exists)."""
    appid = (appid or "").strip()
    if not appid:
        return None
    try:
        from miniport.plugins.development.selectors import plugin_by_appid as found
    except ImportError:
        return Plugin.objects.select_related("owner").filter(appid=appid).first()
    return found(appid)


def versions_of(plugin: Plugin) -> QuerySet[PluginVersion]:
    return PluginVersion.objects.filter(plugin=plugin).select_related("package")


def latest_version(plugin: Plugin) -> PluginVersion | None:
    """The latest upload: what the development assistant runs (PLG-7)."""
    return versions_of(plugin).order_by("-uploaded_at", "-id").first()


def version_of(plugin: Plugin, pk: Any) -> PluginVersion | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return versions_of(plugin).filter(pk=pk).first()


def submissions_of(plugin: Plugin) -> QuerySet[PluginSubmission]:
    return PluginSubmission.objects.filter(plugin=plugin).select_related("version")


def open_submission(plugin: Plugin) -> PluginSubmission | None:
    return submissions_of(plugin).filter(state__in=PLUGIN_SUBMISSION_OPEN_STATES).first()


def submission_of(plugin: Plugin, pk: Any) -> PluginSubmission | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return submissions_of(plugin).filter(pk=pk).first()


def releases_of(plugin: Plugin) -> QuerySet[PluginRelease]:
    """Every released version: each stays loadable by its version number."""
    return PluginRelease.objects.filter(plugin=plugin).select_related("version__package")


def _pair(item: Any) -> tuple[str, str] | None:
    if isinstance(item, dict):
        first = item.get("first_name") or item.get("first")
        second = item.get("second_name") or item.get("second")
    elif isinstance(item, tuple | list) and len(item) >= 2:
        first, second = item[-2], item[-1]
    else:
        first = getattr(item, "first_name", None) or getattr(item, "category_first_name", None)
        second = getattr(item, "second_name", None) or getattr(item, "category_second_name", None)
    if not first or not second:
        return None
    return str(first), str(second)


def categories_available(plugin: Plugin) -> list[tuple[str, str]]:
    """The service categories (first, second level names) a submission may name: the
    development part's catalog for this plugin, else the plugin's own category."""
    found: list[tuple[str, str]] = []
    try:
        from miniport.plugins.development import selectors as development
    except ImportError:
        development = None  # type: ignore[assignment]
    available = getattr(development, "plugin_categories_available", None)
    if available is None:
        try:
            from miniport.plugins.development import services as dev_services

            available = getattr(dev_services, "plugin_categories_available", None)
        except ImportError:
            available = None
    if available is not None:
        for item in available(plugin):
            pair = _pair(item)
            if pair is not None and pair not in found:
                found.append(pair)
    own = (plugin.category_first_name, plugin.category_second_name)
    if not found and all(own):
        found.append(own)
    return found


def may_develop(identity, plugin: Plugin) -> bool:
    """The owner's administrator and project members with the developer role (PLG-7)."""
    roles = mp_selectors.roles_of(identity, plugin.owner)
    return permissions.allowed(roles, "plugin.develop")
