"""Validate a code package before anything is stored (issue 8, section 1; DESIGN security).

`validate_package(source)` takes an uploaded zip (a binary file object) or a folder (zipped
first, deterministically, by `zip_folder`) and answers a `PackageManifest`, or refuses with a
`PlatformError(ReleaseError.X, entry=...)` naming the entry and the rule. The archive is read
as a stream, never extracted: the central directory first (count, names, kinds, declared
sizes), then each entry's data inflated chunk by chunk and counted (see `reader`), then
`app.json` and the size of each package. It writes nothing, reads the policy rows once, and
answers the same manifest for the same bytes.

Refusals, in the order they are checked:
- not a zip, or a damaged one (truncated, bad CRC, headers that disagree): PACKAGE_NOT_A_ZIP,
  PACKAGE_CORRUPT; no entries: PACKAGE_EMPTY; too many: TOO_MANY_ENTRIES;
- names (`names.check_name`): ENTRY_NAME_*; duplicates after case and Unicode
  normalisation: ENTRY_NAME_DUPLICATE; a file that is also a directory: ENTRY_PATH_CLASH;
- kinds: ENTRY_SYMLINK, ENTRY_SPECIAL, ENTRY_ENCRYPTED, ENTRY_METHOD_UNSUPPORTED,
  ENTRY_NESTED_ARCHIVE (by extension here, by magic bytes while inflating);
- declared sizes: ENTRY_TOO_LARGE, ENTRY_RATIO_TOO_HIGH, TOTAL_TOO_LARGE;
- real sizes while inflating: the same three, and ENTRY_SIZE_MISMATCH when an entry inflates
  past (or short of) its declared size;
- app.json (`appjson`): APP_JSON_MISSING, APP_JSON_INVALID, PAGES_EMPTY, PAGE_INVALID,
  PAGE_FILES_MISSING, SUBPACKAGES_INVALID, SUBPACKAGE_ROOT_MISSING, SUBPACKAGE_ROOTS_OVERLAP,
  FUNCTIONAL_PAGES_INVALID, PLUGINS_INVALID;
- FP-10 (`requires`, while inflating code files): FUNCTIONAL_PAGES_REQUIRE_OUTSIDE,
  FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE;
- package sizes: PACKAGE_TOO_LARGE (main), SUBPACKAGE_TOO_LARGE, TOTAL_TOO_LARGE.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from miniport.core.errors import PlatformError, Words

from ..errors import ReleaseError
from .apis import ApiScanner
from .appjson import AppConfig, check_config, parse_config
from .domains import DomainScanner, is_code_file
from .manifest import (
    ALL_PACKAGES,
    APP_JSON,
    MAIN_PACKAGE,
    PLUGIN_JSON,
    PackageFile,
    PackageLimits,
    PackageManifest,
    SubPackage,
)
from .names import (
    MAGIC_PREFIX_BYTES,
    NameIndex,
    archive_kind,
    check_extent,
    check_kind,
    check_name,
)
from .pluginjson import check_plugin_config, parse_plugin_config
from .reader import Budget, corrupt, data_start, inflate
from .requires import RequireScanner

Source = BinaryIO | IO[bytes] | str | os.PathLike[str]

# A folder is zipped in memory up to this size, then in a temporary file.
_SPOOL_BYTES = 32 * 1024 * 1024
# Every exception `zipfile` is known to raise on a hostile central directory.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    UnicodeDecodeError,
    NotImplementedError,
    KeyError,
    IndexError,
    OverflowError,
)


def validate_package(
    source: Source, *, limits: PackageLimits | None = None, kind: str = "app"
) -> PackageManifest:
    """The manifest of a valid package; a coded refusal otherwise. See the module docstring.
    `kind="plugin"`: a plugin project, plugin.json (`pluginjson`) instead of app.json."""
    limits = limits or PackageLimits.from_policy()
    with _opened(source, limits) as fp:
        fp.seek(0, io.SEEK_END)
        archive_size = fp.tell()
        fp.seek(0)
        sha256 = hashlib.file_digest(fp, "sha256").hexdigest()  # type: ignore[arg-type]
        return _validate(fp, sha256, archive_size, limits, kind)


def zip_folder(path: str | os.PathLike[str], limits: PackageLimits | None = None) -> BinaryIO:
    """A deterministic zip of the folder's contents (names relative to it, sorted, fixed
    times), in memory or a temporary file. Symbolic links are kept as links, so that
    validation refuses them by name; a folder larger than the total limit is refused before
    it is read."""
    limits = limits or PackageLimits.from_policy()
    root = Path(path)
    entries = sorted(_walk(root, root))
    total = sum(size for _name, _full, size, _link in entries)
    if total > limits.max_total_bytes:
        raise PlatformError(
            ReleaseError.TOTAL_TOO_LARGE, entry=str(root), size=total, limit=limits.max_total_bytes
        )
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, full, _size, link in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            if link is not None:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, link.encode())
                continue
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def _walk(root: Path, folder: Path) -> Iterator[tuple[str, Path, int, str | None]]:
    with os.scandir(folder) as listing:
        for item in listing:
            full = Path(item.path)
            name = full.relative_to(root).as_posix()
            if item.is_symlink():
                yield name, full, 0, os.readlink(full)
            elif item.is_dir():
                yield from _walk(root, full)
            elif item.is_file():
                yield name, full, item.stat().st_size, None


@contextlib.contextmanager
def _opened(source: Source, limits: PackageLimits) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            with zip_folder(path, limits) as zipped:
                yield zipped
        else:
            with open(path, "rb") as opened:
                yield opened
        return
    if getattr(source, "seekable", lambda: False)():
        yield source  # type: ignore[misc]
        return
    # A stream that cannot seek (a pipe): spool it, since a zip is read from its end.
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        shutil.copyfileobj(source, spool, 1024 * 1024)
        yield spool  # type: ignore[misc]


def _entries_declared(fp: BinaryIO) -> int | None:
    """The entry count the end record declares, read before `zipfile` builds an object for
    each of them (an archive of a million empty entries is refused without parsing them)."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:
        return None
    try:
        record = end_record(fp)
    except _ZIP_ERRORS:
        return None
    return int(record[4]) if record else None  # _ECD_ENTRIES_TOTAL


def open_zip(fp: BinaryIO, limits: PackageLimits, *, entry: str = ALL_PACKAGES) -> zipfile.ZipFile:
    """The archive's `ZipFile`, its declared entry count checked before it is parsed; a
    damaged or hostile central directory is PACKAGE_NOT_A_ZIP, never an exception of
    `zipfile`. `entry` names the archive in the refusal (the doc folder uses it too)."""
    declared = _entries_declared(fp)
    if declared is not None and declared > limits.max_entries:
        raise PlatformError(
            ReleaseError.TOO_MANY_ENTRIES,
            entry=entry,
            count=declared,
            limit=limits.max_entries,
        )
    fp.seek(0)
    try:
        return zipfile.ZipFile(fp)
    except zipfile.BadZipFile as error:
        # zipfile's own words about the archive ("File is not a zip file", "Truncated
        # central directory"), which name no Python internals.
        raise PlatformError(
            ReleaseError.PACKAGE_NOT_A_ZIP,
            reason=Words("无法读取 zip 目录", str(error)[:200] or "unreadable zip directory"),
        ) from None
    except _ZIP_ERRORS:
        # Any other exception of zipfile is about its own parsing (struct sizes, keys,
        # offsets): its text and type would be Python's words, not the archive's fault.
        raise PlatformError(
            ReleaseError.PACKAGE_NOT_A_ZIP,
            reason=Words("zip 目录已损坏", "the zip directory is damaged"),
        ) from None


def _validate(
    fp: BinaryIO, sha256: str, archive_size: int, limits: PackageLimits, package_kind: str = "app"
) -> PackageManifest:
    is_plugin = package_kind == "plugin"
    config_name = PLUGIN_JSON if is_plugin else APP_JSON
    archive = open_zip(fp, limits)
    infos = archive.infolist()
    if not infos:
        raise PlatformError(ReleaseError.PACKAGE_EMPTY, entry=ALL_PACKAGES)
    if len(infos) > limits.max_entries:
        raise PlatformError(
            ReleaseError.TOO_MANY_ENTRIES,
            entry=ALL_PACKAGES,
            count=len(infos),
            limit=limits.max_entries,
        )

    # The central directory: names, kinds and declared sizes, before any data is read.
    index = NameIndex()
    declared_total = 0
    for info in infos:
        name = check_name(info.orig_filename)
        check_extent(name, max_depth=limits.max_path_depth, max_chars=limits.max_path_chars)
        check_kind(info, name)
        index.add(name, info.is_dir())
        if info.is_dir():
            continue
        if info.file_size > limits.max_entry_bytes:
            raise PlatformError(
                ReleaseError.ENTRY_TOO_LARGE, entry=name, limit=limits.max_entry_bytes
            )
        if info.file_size > limits.ratio_grace_bytes and info.file_size > (
            limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise PlatformError(
                ReleaseError.ENTRY_RATIO_TOO_HIGH, entry=name, limit=limits.max_compression_ratio
            )
        declared_total += info.file_size
    if declared_total > limits.max_total_bytes:
        raise PlatformError(
            ReleaseError.TOTAL_TOO_LARGE,
            entry=ALL_PACKAGES,
            size=declared_total,
            limit=limits.max_total_bytes,
        )

    # The data, in archive order, each entry inflated and counted as it streams.
    budget = Budget(limits.max_total_bytes)
    sizes: dict[str, int] = {}
    domains: set[str] = set()
    privacy_apis: set[str] = set()
    app_json: bytes | None = None
    previous_end = 0
    for info in sorted(infos, key=lambda item: item.header_offset):
        name = info.orig_filename
        start, end = data_start(fp, info, name)
        if info.header_offset < previous_end:
            raise corrupt(name, "overlaps the previous entry")
        if end > archive.start_dir:
            raise corrupt(name, "its data runs into the central directory")
        previous_end = end
        if info.is_dir():
            continue
        code = is_code_file(name)
        sink = _Sink(
            capture=name == config_name,
            scanner=DomainScanner(domains) if code else None,
            apis=ApiScanner(privacy_apis) if code else None,
        )
        sink.requires = RequireScanner(name) if code and not is_plugin else None  # FP-10
        sizes[name] = inflate(
            fp,
            info,
            name,
            start,
            max_entry=limits.max_entry_bytes,
            max_ratio=limits.max_compression_ratio,
            ratio_grace=limits.ratio_grace_bytes,
            budget=budget,
            sink=sink,
        )
        kind = archive_kind(sink.head)
        if kind is not None:
            raise PlatformError(ReleaseError.ENTRY_NESTED_ARCHIVE, entry=name, kind=kind)
        if sink.scanner is not None:
            sink.scanner.close()
        if sink.apis is not None:
            sink.apis.close()
        if sink.requires is not None:
            sink.requires.close()
        if sink.parts is not None:
            app_json = b"".join(sink.parts)

    if app_json is None:
        raise PlatformError(ReleaseError.APP_JSON_MISSING, entry=config_name)
    plugin = None
    if is_plugin:
        plugin = check_plugin_config(parse_plugin_config(app_json), sizes)
        config = AppConfig(pages=(), subpackages=(), plugins=(), functional_pages=False)
    else:
        config = check_config(parse_config(app_json), sizes)
    subpackages, main_size = _package_sizes(config, sizes, limits)
    return PackageManifest(
        sha256=sha256,
        archive_size=archive_size,
        total_size=sum(sizes.values()),
        main_size=main_size,
        entry_count=len(infos),
        files=tuple(PackageFile(path, size) for path, size in sorted(sizes.items())),
        pages=config.pages,
        subpackages=subpackages,
        plugins=config.plugins,
        functional_pages=config.functional_pages,
        domains=tuple(sorted(domains)),
        privacy_apis=tuple(sorted(privacy_apis)),
        plugin=plugin,
    )


class _Sink:
    """Receives an entry's chunks: keeps its first bytes (magic), app.json whole, and feeds
    code files to the domain and privacy API scanners."""

    __slots__ = ("apis", "head", "parts", "requires", "scanner")

    def __init__(
        self, *, capture: bool, scanner: DomainScanner | None, apis: ApiScanner | None = None
    ) -> None:
        self.head = b""
        self.parts: list[bytes] | None = [] if capture else None
        self.scanner = scanner
        self.apis = apis
        self.requires: RequireScanner | None = None

    def __call__(self, chunk: bytes) -> None:
        if len(self.head) < MAGIC_PREFIX_BYTES:
            self.head += chunk[: MAGIC_PREFIX_BYTES - len(self.head)]
        if self.parts is not None:
            self.parts.append(chunk)
        if self.scanner is not None:
            self.scanner.feed(chunk)
        if self.apis is not None:
            self.apis.feed(chunk)
        if self.requires is not None:
            self.requires.feed(chunk)


def _package_sizes(
    config: AppConfig, sizes: dict[str, int], limits: PackageLimits
) -> tuple[tuple[SubPackage, ...], int]:
    """Each file counts toward the subpackage whose root holds it, else the main package."""
    roots = {sub.root + "/": 0 for sub in config.subpackages}
    main = 0
    for path, size in sizes.items():
        for prefix in roots:
            if path.startswith(prefix):
                roots[prefix] += size
                break
        else:
            main += size
    if main > limits.max_main_bytes:
        raise PlatformError(
            ReleaseError.PACKAGE_TOO_LARGE,
            entry=MAIN_PACKAGE,
            size=main,
            limit=limits.max_main_bytes,
        )
    subpackages = []
    for sub in config.subpackages:
        size = roots[sub.root + "/"]
        if size > limits.max_subpackage_bytes:
            raise PlatformError(
                ReleaseError.SUBPACKAGE_TOO_LARGE,
                entry=sub.root,
                size=size,
                limit=limits.max_subpackage_bytes,
            )
        subpackages.append(SubPackage(sub.root, sub.name, sub.pages, sub.independent, size))
    total = sum(sizes.values())
    if total > limits.max_total_bytes:
        raise PlatformError(
            ReleaseError.TOTAL_TOO_LARGE,
            entry=ALL_PACKAGES,
            size=total,
            limit=limits.max_total_bytes,
        )
    return tuple(subpackages), main
