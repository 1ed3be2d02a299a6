"""Where code packages' bytes live: Django's storage API (`default_storage`), a local
folder under var/ by default, any S3-compatible store when configured.

A package is stored once by its sha256: `packages/<sha[:2]>/<sha>.zip`. Storing bytes
whose name already exists keeps the stored file (same hash, same bytes).
"""

from __future__ import annotations

from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage


def storage_name(sha256: str) -> str:
    """The name under which the package with this sha256 is stored."""
    sha = sha256.lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"packages/{sha[:2]}/{sha}.zip"


def store(sha256: str, fileobj: IO[bytes]) -> str:
    """Store the package's bytes once; answer its storage name."""
    name = storage_name(sha256)
    if default_storage.exists(name):
        return name
    fileobj.seek(0)
    saved = default_storage.save(name, File(fileobj, name=name))
    if saved != name:
        # Another writer stored the same hash meanwhile and the storage picked a new
        # name for ours: keep theirs, drop the copy.
        default_storage.delete(saved)
    return name


def open_package(name: str) -> IO[bytes]:
    """The stored package's bytes, opened for reading (the caller closes it)."""
    return default_storage.open(name, "rb")


def delete(name: str) -> None:
    """Remove a stored package (only for a package no row refers to)."""
    if default_storage.exists(name):
        default_storage.delete(name)
