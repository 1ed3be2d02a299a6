"""Reads of functional pages (FP-4, FP-6, FP-7, FP-9): which version of the owner mini
program a navigator reaches, its development preview, the plugin's payment permission
(`plugins.payment.selectors.plugin_has_payment`) and the owner's `functional-pages/` code."""

from __future__ import annotations

import zipfile
from datetime import timedelta

from miniport.accounts.models import SubjectType
from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.plugins.functional.engine import FOLDER
from miniport.plugins.functional.errors import FunctionalError
from miniport.plugins.models import FunctionalPreview
from miniport.releases import selectors as release_selectors
from miniport.releases.models import DevVersion
from miniport.releases.packages import storage


def is_personal(miniprogram: MiniProgram) -> bool:
    return miniprogram.subject.subject_type == SubjectType.PERSONAL


def has_functional_pages(dev_version: DevVersion | None) -> bool:
    """Whether the version's app.json enables `functionalPages` (FP-6)."""
    if dev_version is None:
        return False
    return bool((dev_version.package.manifest or {}).get("functional_pages", False))


def preview_of(identity, owner: MiniProgram) -> FunctionalPreview | None:
    """The identity's development preview of the owner (FP-7), expired or not."""
    return (
        FunctionalPreview.objects.select_related("dev_version__package")
        .filter(identity=identity, owner=owner)
        .first()
    )


def preview_expires_at(preview: FunctionalPreview):
    return preview.opened_at + timedelta(seconds=policy.value("functional.develop_valid_seconds"))


def preview_expired(preview: FunctionalPreview) -> bool:
    return clock.now() >= preview_expires_at(preview)


def released_version(owner: MiniProgram, identity) -> DevVersion | None:
    """The owner's version this identity runs in production (the online version, or the
    gray one it falls in), or None before the first release or while visits are closed."""
    try:
        plan = release_selectors.release_plan(owner)
        return plan.manifest_for(identity).dev_version
    except PlatformError:
        return None


def any_upload_with_functional_pages(owner: MiniProgram) -> bool:
    """Whether some upload of the owner enables functional pages (FP-8: it works in
    development, not yet in production)."""
    return DevVersion.objects.filter(
        miniprogram=owner, package__manifest__functional_pages=True
    ).exists()


def functional_sources(dev_version: DevVersion) -> dict[str, str]:
    """The `functional-pages/**.js` files of the version's package, path → text. Only the
    files its manifest lists are opened; their sizes together are at most
    `functional.script_max_bytes` (FUNCTION_TOO_LARGE)."""
    limit = policy.value("functional.script_max_bytes")
    listed = [
        (str(item["path"]), int(item["size"]))
        for item in (dev_version.package.manifest or {}).get("files") or []
        if str(item["path"]).startswith(FOLDER) and str(item["path"]).endswith(".js")
    ]
    if sum(size for _path, size in listed) > limit:
        raise PlatformError(FunctionalError.FUNCTION_TOO_LARGE, limit=limit)
    sources: dict[str, str] = {}
    if not listed:
        return sources
    with (
        storage.open_package(dev_version.package.storage_name) as stored,
        zipfile.ZipFile(stored) as archive,
    ):
        budget = limit
        for path, _size in listed:
            with archive.open(path) as member:
                data = member.read(budget + 1)
            budget -= len(data)
            if budget < 0:
                raise PlatformError(FunctionalError.FUNCTION_TOO_LARGE, limit=limit)
            sources[path] = data.decode("utf-8", "replace")
    return sources
