"""Reads of plugin versions (PLG-7, PLG-8): uploads, the open submission, releases, the
categories a submission may name and who may use the development version."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from miniport.miniprograms import permissions
from miniport.miniprograms import selectors as mp_selectors
from miniport.plugins.development.services import plugin_categories_available
from miniport.plugins.models import (
    PLUGIN_SUBMISSION_OPEN_STATES,
    Plugin,
    PluginRelease,
    PluginSubmission,
    PluginVersion,
)

PLUGIN_KIND = "plugin"


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


def categories_available(plugin: Plugin) -> list[tuple[str, str]]:
    """The service categories (first, second level names) a submission may name: those
    `plugin_categories_available` opens to the plugin (PLG-2), else the plugin's own."""
    found = [
        (choice.first_name, choice.second_name) for choice in plugin_categories_available(plugin)
    ]
    own = (plugin.category_first_name, plugin.category_second_name)
    if not found and all(own):
        found.append(own)
    return found


def may_develop(identity, plugin: Plugin) -> bool:
    """The owner's administrator and project members with the developer role (PLG-7)."""
    roles = mp_selectors.roles_of(identity, plugin.owner)
    return permissions.allowed(roles, "plugin.develop")
