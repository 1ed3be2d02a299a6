"""Entry names and kinds: what an archive entry may be called and what it may be.

A name is refused when an extractor could be led outside its folder (absolute paths, `..`,
backslashes, drive letters), when it hides characters (NUL, control characters), or when two
entries would land on one file of a case-insensitive or Unicode-normalising file system.
The checks run on the name as stored and again after NFKC, because compatibility forms
(a fullwidth solidus or full stop) become `/` and `.` there."""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile

from miniport.core.errors import PlatformError

from ..errors import ReleaseError

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ARCHIVE_EXTENSIONS = (
    ".zip",
    ".tar",
    ".gz",
    ".tgz",
    ".7z",
    ".rar",
    ".bz2",
    ".tbz2",
    ".xz",
    ".txz",
    ".zst",
    ".jar",
    ".apk",
)
# (kind, offset, magic bytes); checked on the first bytes of every file as it inflates.
_MAGIC: tuple[tuple[str, int, bytes], ...] = (
    ("zip", 0, b"PK\x03\x04"),
    ("zip", 0, b"PK\x05\x06"),
    ("zip", 0, b"PK\x07\x08"),
    ("gzip", 0, b"\x1f\x8b\x08"),
    ("7z", 0, b"7z\xbc\xaf\x27\x1c"),
    ("rar", 0, b"Rar!\x1a\x07"),
    ("xz", 0, b"\xfd7zXZ\x00"),
    ("zstd", 0, b"\x28\xb5\x2f\xfd"),
    ("tar", 257, b"ustar"),
)
_BZIP2 = re.compile(rb"^BZh[1-9]1AY&SY")
# How many leading bytes of a file the magic check needs.
MAGIC_PREFIX_BYTES = 262


def _refuse(code: ReleaseError, entry: str, **params: str) -> PlatformError:
    return PlatformError(code, entry=entry, **params)


def _check_form(name: str, shown: str) -> None:
    """The structural rules, on one form of the name (`shown` is what the message names)."""
    if _CONTROL.search(name):
        raise _refuse(ReleaseError.ENTRY_NAME_CONTROL, shown)
    if _DRIVE.match(name):
        raise _refuse(ReleaseError.ENTRY_NAME_DRIVE, shown)
    if "\\" in name:
        raise _refuse(ReleaseError.ENTRY_NAME_BACKSLASH, shown)
    if name.startswith("/"):
        raise _refuse(ReleaseError.ENTRY_NAME_ABSOLUTE, shown)
    if ":" in name:
        raise _refuse(ReleaseError.ENTRY_NAME_DRIVE, shown)
    body = name[:-1] if name.endswith("/") else name
    segments = body.split("/")
    if ".." in segments:
        raise _refuse(ReleaseError.ENTRY_NAME_PARENT, shown)
    if any(segment in ("", ".") for segment in segments):
        raise _refuse(ReleaseError.ENTRY_NAME_INVALID, shown, reason="empty or '.' segment")
    if any(segment != segment.strip() or segment.endswith(".") for segment in segments):
        # Windows drops trailing dots and spaces: "a." and "a " would become "a".
        raise _refuse(
            ReleaseError.ENTRY_NAME_INVALID, shown, reason="leading or trailing space or dot"
        )


def check_name(raw_name: str) -> str:
    """Refuse an unsafe name; answer the name as stored (directories keep their `/`)."""
    shown = _CONTROL.sub("?", raw_name) or "(empty)"
    if not raw_name or raw_name == "/":
        raise _refuse(ReleaseError.ENTRY_NAME_INVALID, shown, reason="empty name")
    _check_form(raw_name, shown)
    normalised = unicodedata.normalize("NFKC", raw_name)
    if normalised != raw_name:
        _check_form(normalised, shown)
    return raw_name


# A file system's limit on one name (a folder's or a file's), in UTF-8 bytes.
SEGMENT_BYTES = 255


def check_extent(name: str, *, max_depth: int, max_chars: int) -> None:
    """Refuse a path deeper or longer than a package's limits (policy rows), or with a
    segment no file system can name; the console and the review desk draw the tree."""
    body = name[:-1] if name.endswith("/") else name
    segments = body.split("/")
    if len(segments) - 1 > max_depth:
        raise _refuse(
            ReleaseError.ENTRY_NAME_INVALID, name[:80], reason=f"more than {max_depth} folders"
        )
    if len(body) > max_chars:
        raise _refuse(
            ReleaseError.ENTRY_NAME_INVALID, name[:80], reason=f"longer than {max_chars} characters"
        )
    if any(len(segment.encode("utf-8")) > SEGMENT_BYTES for segment in segments):
        raise _refuse(
            ReleaseError.ENTRY_NAME_INVALID,
            name[:80],
            reason=f"a name longer than {SEGMENT_BYTES} bytes",
        )


def fold(name: str) -> str:
    """The key two names share when a file system would treat them as one file."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def check_kind(info: zipfile.ZipInfo, name: str) -> None:
    """Only plain files and directories, unencrypted, stored or deflated."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise _refuse(ReleaseError.ENTRY_SYMLINK, name)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise _refuse(ReleaseError.ENTRY_SPECIAL, name)
    if info.flag_bits & 0x1:
        raise _refuse(ReleaseError.ENTRY_ENCRYPTED, name)
    if info.is_dir():
        if info.file_size:
            raise _refuse(ReleaseError.ENTRY_PATH_CLASH, name)
        return
    if kind == stat.S_IFDIR:
        raise _refuse(ReleaseError.ENTRY_PATH_CLASH, name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(ReleaseError.ENTRY_METHOD_UNSUPPORTED, name)
    if name.lower().endswith(_ARCHIVE_EXTENSIONS):
        raise _refuse(ReleaseError.ENTRY_NESTED_ARCHIVE, name, kind=name.rsplit(".", 1)[-1])


def archive_kind(head: bytes) -> str | None:
    """The kind of archive whose magic bytes open `head`, if any."""
    for kind, offset, magic in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if _BZIP2.match(head):
        return "bzip2"
    return None


class NameIndex:
    """Every name seen so far, folded: refuses duplicates and file/directory clashes."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}
        self._dirs: dict[str, str] = {}

    def add(self, name: str, is_dir: bool) -> None:
        key = fold(name.rstrip("/"))
        shown = name
        if is_dir:
            if key in self._files:
                raise _refuse(ReleaseError.ENTRY_PATH_CLASH, shown)
            if key in self._dirs and self._dirs[key].endswith("/"):
                other = self._dirs[key]
                raise _refuse(ReleaseError.ENTRY_NAME_DUPLICATE, shown, other=other)
            self._dirs[key] = name
        else:
            if key in self._files:
                raise _refuse(ReleaseError.ENTRY_NAME_DUPLICATE, shown, other=self._files[key])
            if key in self._dirs:
                raise _refuse(ReleaseError.ENTRY_PATH_CLASH, shown)
            self._files[key] = name
        # Every parent is a directory: none of them may be a file.
        parts = key.split("/")
        raw_parts = name.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in self._files:
                raise _refuse(ReleaseError.ENTRY_PATH_CLASH, self._files[parent])
            # An implicit directory keeps the name without a trailing slash, so an explicit
            # entry of the same directory is not taken for a duplicate.
            self._dirs.setdefault(parent, "/".join(raw_parts[:depth]))
