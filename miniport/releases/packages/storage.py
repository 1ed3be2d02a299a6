"""Where code packages' bytes live (issue 8, section 1; VER-1, B-10): Django's storage API,
a local folder under var/ by default, any S3-compatible store (MinIO, Ceph, AWS) through
django-storages when configured (settings: `MINIPORT_S3_BUCKET` and friends).

The storage is `STORAGES["packages"]` when the settings define that alias, otherwise
`default_storage`; nothing here knows which backend it is, so any Django storage works.

A package is stored once, under a name made of its content: `packages/<sha[:2]>/<sha>.zip`.
- `store(sha256, fileobj)` streams the bytes to the storage in chunks (no whole-file read
  into memory), after checking, in one streaming pass, that they really hash to `sha256`:
  a content-addressed name must never hold other bytes. An object already stored under
  that name is not rewritten (same hash, same bytes); when two writers race and the
  storage picks a fresh name for the second copy, that copy is deleted and the one name
  answered.
- `open_package(name)` opens the stored bytes for reading (the caller closes them).
- `signed_url(name, expires=...)` is a time-limited URL straight to the store when the
  storage signs its URLs (S3's presigned URLs), else None: the download helper
  (`miniport.web.downloads`) redirects there or streams the bytes itself.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.core.files.storage.handler import InvalidStorageError

CHUNK_BYTES = 64 * 1024
PACKAGES_ALIAS = "packages"
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


def package_storage() -> Storage:
    """The storage that holds code packages: the "packages" alias when configured."""
    try:
        return storages[PACKAGES_ALIAS]
    except InvalidStorageError:
        return default_storage


def storage_name(sha256: str) -> str:
    """The name under which the package with this sha256 is stored."""
    sha = (sha256 or "").lower()
    if not _SHA256.match(sha):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"packages/{sha[:2]}/{sha}.zip"


def _digest_of(fileobj: IO[bytes]) -> str:
    """The sha256 of the whole file, read in chunks from its start."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    while chunk := fileobj.read(CHUNK_BYTES):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def store(sha256: str, fileobj: IO[bytes]) -> str:
    """Store the package's bytes once; answer its storage name.

    `fileobj` is a seekable binary file object (an upload, a spooled temporary file);
    it is read from its start. Bytes that do not hash to `sha256` are refused with
    ValueError (a programming error of the caller: it hashed something else)."""
    name = storage_name(sha256)
    storage = package_storage()
    if storage.exists(name):
        return name
    actual = _digest_of(fileobj)
    if actual != name.rsplit("/", 1)[-1].removesuffix(".zip"):
        raise ValueError(f"the bytes hash to {actual}, not {sha256}")
    # File.chunks() reads CHUNK_BYTES at a time; every storage saves from it.
    saved = storage.save(name, File(fileobj, name=name))
    if saved != name:
        # Another writer stored the same hash meanwhile and the storage picked a new
        # name for ours: keep theirs, drop the copy.
        storage.delete(saved)
    return name


def open_package(name: str) -> IO[bytes]:
    """The stored package's bytes, opened for reading (the caller closes it)."""
    return package_storage().open(name, "rb")


def exists(name: str) -> bool:
    return package_storage().exists(name)


def size(name: str) -> int:
    """The stored archive's size in bytes."""
    return package_storage().size(name)


def signed_url(name: str, *, expires: int) -> str | None:
    """A URL that lets anyone holding it read this package for `expires` seconds, when
    the storage signs its URLs (django-storages' S3Storage with `querystring_auth`, the
    default); None for storages whose URLs are not signed (the local folder, whose URL
    is not served at all)."""
    storage = package_storage()
    if not getattr(storage, "querystring_auth", False):
        return None
    try:
        return storage.url(name, expire=expires)  # type: ignore[call-arg]
    except TypeError:  # a storage with the flag but no per-call expiry
        return None


def delete(name: str) -> None:
    """Remove a stored package (only for a package no row refers to)."""
    storage = package_storage()
    if storage.exists(name):
        storage.delete(name)
