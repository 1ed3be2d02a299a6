"""What a submitted version changes against the online one (B-4): shown to the developer
at submission and to the reviewer on the desk.

`diff_manifests(old, new)` is a pure function over two package manifests (as validated, or
their stored JSON form); `old` is None for a mini program's first release. The answer is
plain JSON (lists sorted, no tuples):

    {
      "first_release": bool,
      "pages":   {"added": [...], "removed": [...]},
      "domains": {"added": [...], "removed": [...]},
      "plugins": {"added": [plugin...], "removed": [plugin...],
                  "changed": [{"provider", "name", "subpackage", "before", "after"}...]},
      "size":    [{"package", "before", "after", "delta"}...],
      "changed": bool,
    }

A plugin is the same plugin when its provider (the plugin's AppID) and the package that
declares it are the same; its alias may change with its version. `size` has one row per
package of either version: the main package (`__APP__`), each subpackage root, and the
whole (`__FULL__`), last; a package that exists on one side only has `None` on the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .packages.manifest import ALL_PACKAGES, MAIN_PACKAGE, PackageManifest

Manifest = PackageManifest | Mapping[str, Any]


def _added_removed(before: set[str], after: set[str]) -> dict[str, list[str]]:
    return {"added": sorted(after - before), "removed": sorted(before - after)}


def _plugin_json(plugin) -> dict[str, Any]:
    return {
        "name": plugin.name,
        "provider": plugin.provider,
        "version": plugin.version,
        "subpackage": plugin.subpackage,
    }


def _plugins(old: PackageManifest | None, new: PackageManifest) -> dict[str, list[Any]]:
    def keyed(manifest: PackageManifest | None) -> dict[tuple[str, str], Any]:
        if manifest is None:
            return {}
        return {(p.provider, p.subpackage or ""): p for p in manifest.plugins}

    before, after = keyed(old), keyed(new)
    changed = []
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        if was.version != now.version:
            changed.append(
                {
                    "provider": now.provider,
                    "name": now.name,
                    "subpackage": now.subpackage,
                    "before": was.version,
                    "after": now.version,
                }
            )
    return {
        "added": [_plugin_json(after[key]) for key in sorted(after.keys() - before.keys())],
        "removed": [_plugin_json(before[key]) for key in sorted(before.keys() - after.keys())],
        "changed": changed,
    }


def _package_sizes(manifest: PackageManifest | None) -> dict[str, int]:
    if manifest is None:
        return {}
    sizes = {MAIN_PACKAGE: manifest.main_size}
    sizes.update({sub.root: sub.size for sub in manifest.subpackages})
    return sizes


def _sizes(old: PackageManifest | None, new: PackageManifest) -> list[dict[str, Any]]:
    before, after = _package_sizes(old), _package_sizes(new)
    roots = sorted((before.keys() | after.keys()) - {MAIN_PACKAGE})
    rows = []
    for package in (MAIN_PACKAGE, *roots):
        was, now = before.get(package), after.get(package)
        rows.append(
            {
                "package": package,
                "before": was,
                "after": now,
                "delta": (now or 0) - (was or 0),
            }
        )
    total_before = old.total_size if old is not None else None
    rows.append(
        {
            "package": ALL_PACKAGES,
            "before": total_before,
            "after": new.total_size,
            "delta": new.total_size - (total_before or 0),
        }
    )
    return rows


def diff_manifests(old: Manifest | None, new: Manifest) -> dict[str, Any]:
    """The changes from `old` (the online version's manifest, None before the first
    release) to `new` (the submitted version's)."""
    after = PackageManifest.coerce(new)
    before = PackageManifest.coerce(old) if old is not None else None
    pages = _added_removed(set(before.all_pages) if before else set(), set(after.all_pages))
    domains = _added_removed(set(before.domains) if before else set(), set(after.domains))
    plugins = _plugins(before, after)
    sizes = _sizes(before, after)
    changed = (
        before is None
        or before.sha256 != after.sha256
        or any(pages.values())
        or any(domains.values())
        or any(plugins.values())
        or any(row["delta"] for row in sizes)
    )
    return {
        "first_release": before is None,
        "pages": pages,
        "domains": domains,
        "plugins": plugins,
        "size": sizes,
        "changed": bool(changed),
    }
