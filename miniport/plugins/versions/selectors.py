"""Reads of plugin versions (PLG-7, PLG-8): uploads, the open submission, releases, the
categories a submission may name and who may use the development version."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet

from miniport.core.errors import PlatformError
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
from miniport.plugins.versions.errors import PluginVersionError

PLUGIN_KIND = "plugin"

# A plugin's version number: x.y.z, three numbers (WeChat's developer tool's rule).
_VERSION_NUMBER = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)\Z")


def version_key(text: str) -> tuple[int, int, int] | None:
    """The version number "x.y.z" as numbers to compare, None when it is not x.y.z."""
    found = _VERSION_NUMBER.match(text or "")
    if found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def latest_released_number(plugin: Plugin) -> str | None:
    """The highest released version number of the plugin (x.y.z ones; a number of
    another form, released before the rule, never blocks a new one)."""
    numbers = [
        (key, number)
        for number in PluginRelease.objects.filter(plugin=plugin).values_list(
            "user_version", flat=True
        )
        if (key := version_key(number)) is not None
    ]
    return max(numbers)[1] if numbers else None


def version_number_refusal(
    plugin: Plugin, text: str
) -> tuple[PluginVersionError, dict[str, str]] | None:
    """Why `text` cannot be the number of a new plugin version, as (error code, message
    parameters): not x.y.z, or not higher than the latest released version (PLG-7)."""
    key = version_key(text)
    if key is None:
        return PluginVersionError.VERSION_NUMBER_INVALID, {"version": text[:64]}
    latest = latest_released_number(plugin)
    if latest is not None and key <= (version_key(latest) or key):
        return PluginVersionError.VERSION_NOT_HIGHER, {"version": text, "latest": latest}
    return None


def release_refusal(plugin: Plugin, submission: PluginSubmission) -> PlatformError | None:
    """Why an approved submission cannot be released now (a `PlatformError`), or None:
    its version number was released already, is not x.y.z or is not higher than the
    latest release. The versions page offers Release only when this is None."""
    number = submission.version.user_version
    if (
        PluginRelease.objects.filter(plugin=plugin, user_version=number).exists()
        or PluginRelease.objects.filter(version_id=submission.version_id).exists()
    ):
        return PlatformError(PluginVersionError.ALREADY_RELEASED, version=number)
    refusal = version_number_refusal(plugin, number)
    if refusal is not None:
        code, params = refusal
        return PlatformError(code, **params)
    return None


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
