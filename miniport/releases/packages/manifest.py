"""What validation learns about a code package, and the limits it is held to.

Plain frozen dataclasses: no Django models, so the manifest can be stored as JSON, compared
for the diff against the online version and used by the pre-checks of a review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from miniport.core import policy

# The rows read below, registered even where the app's ready() has not run (the CLI, a script).
from ..policy import MIB as _MIB  # noqa: F401

# Where package-level refusals point when no single entry is at fault: the names WeChat's
# developer tools give the main package and the whole of the code.
MAIN_PACKAGE = "__APP__"
ALL_PACKAGES = "__FULL__"
APP_JSON = "app.json"
# A plugin project's configuration, read instead of app.json (`validate_package(kind="plugin")`).
PLUGIN_JSON = "plugin.json"


@dataclass(frozen=True)
class PackageLimits:
    """The policy rows of `releases/policy.py`, read once per validation."""

    max_main_bytes: int
    max_subpackage_bytes: int
    max_total_bytes: int
    max_entry_bytes: int
    max_entries: int
    max_path_depth: int
    max_path_chars: int
    max_compression_ratio: int
    ratio_grace_bytes: int

    @classmethod
    def from_policy(cls) -> PackageLimits:
        return cls(
            max_main_bytes=policy.value("package.max_main_bytes"),
            max_subpackage_bytes=policy.value("package.max_subpackage_bytes"),
            max_total_bytes=policy.value("package.max_total_bytes"),
            max_entry_bytes=policy.value("package.max_entry_bytes"),
            max_entries=policy.value("package.max_entries"),
            max_path_depth=policy.value("package.max_path_depth"),
            max_path_chars=policy.value("package.max_path_chars"),
            max_compression_ratio=policy.value("package.max_compression_ratio"),
            ratio_grace_bytes=policy.value("package.ratio_grace_bytes"),
        )


@dataclass(frozen=True)
class PackageFile:
    path: str
    size: int


@dataclass(frozen=True)
class SubPackage:
    root: str
    name: str | None
    pages: tuple[str, ...]  # full paths, root included: "pkg/pages/a/a"
    independent: bool
    size: int  # uncompressed bytes of the files under the root


@dataclass(frozen=True)
class PluginDeclaration:
    name: str
    version: str
    provider: str
    subpackage: str | None  # the root of the subpackage that declares it, None for app.json's


@dataclass(frozen=True)
class PluginProject:
    """What a plugin package's plugin.json declares (PLG-7): (name, path) pairs, sorted."""

    public_components: tuple[tuple[str, str], ...]
    pages: tuple[tuple[str, str], ...]
    main: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PluginProject:
        return cls(
            public_components=tuple(
                (str(name), str(path)) for name, path in data.get("public_components", ())
            ),
            pages=tuple((str(name), str(path)) for name, path in data.get("pages", ())),
            main=data.get("main"),
        )


@dataclass(frozen=True)
class PackageManifest:
    sha256: str  # of the archive bytes, as uploaded (or as zipped from a folder)
    archive_size: int  # bytes of the archive
    total_size: int  # uncompressed bytes of every file
    main_size: int  # uncompressed bytes of the files outside every subpackage root
    entry_count: int  # entries of the archive, directories included
    files: tuple[PackageFile, ...]  # sorted by path
    pages: tuple[str, ...]  # app.json's pages, in order (the first is the home page)
    subpackages: tuple[SubPackage, ...]
    plugins: tuple[PluginDeclaration, ...]
    functional_pages: bool
    domains: tuple[str, ...]  # "https://host[:port]" found in the code, sorted
    # Privacy-sensitive `wx.*` APIs the code calls (`apis.PRIVACY_APIS`), sorted. Manifests
    # stored before this scan existed read back with none.
    privacy_apis: tuple[str, ...] = ()
    # A plugin package (validated with kind="plugin"): its plugin.json; None for an app.
    plugin: PluginProject | None = None

    @property
    def all_pages(self) -> tuple[str, ...]:
        """Every page of the package, the main package's first."""
        return self.pages + tuple(page for sub in self.subpackages for page in sub.pages)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for storage next to the version and for the pre-checks."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PackageManifest:
        """The manifest again from its `as_dict()` form (as stored, lists for tuples).
        Keys added later are optional, so manifests stored earlier still read."""
        return cls(
            sha256=str(data["sha256"]),
            archive_size=int(data["archive_size"]),
            total_size=int(data["total_size"]),
            main_size=int(data["main_size"]),
            entry_count=int(data["entry_count"]),
            files=tuple(PackageFile(str(f["path"]), int(f["size"])) for f in data["files"]),
            pages=tuple(str(page) for page in data["pages"]),
            subpackages=tuple(
                SubPackage(
                    root=str(sub["root"]),
                    name=sub.get("name"),
                    pages=tuple(str(page) for page in sub["pages"]),
                    independent=bool(sub.get("independent", False)),
                    size=int(sub["size"]),
                )
                for sub in data["subpackages"]
            ),
            plugins=tuple(
                PluginDeclaration(
                    name=str(plugin["name"]),
                    version=str(plugin["version"]),
                    provider=str(plugin["provider"]),
                    subpackage=plugin.get("subpackage"),
                )
                for plugin in data.get("plugins", ())
            ),
            functional_pages=bool(data.get("functional_pages", False)),
            domains=tuple(str(domain) for domain in data.get("domains", ())),
            privacy_apis=tuple(str(api) for api in data.get("privacy_apis", ())),
            plugin=PluginProject.from_dict(data["plugin"]) if data.get("plugin") else None,
        )

    @classmethod
    def coerce(cls, value: PackageManifest | Mapping[str, Any]) -> PackageManifest:
        """A manifest, whether given as one or in its stored JSON form."""
        return value if isinstance(value, PackageManifest) else cls.from_dict(value)
