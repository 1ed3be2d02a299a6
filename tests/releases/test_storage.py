"""VER-1, B-10: code packages are stored once by their sha256, streamed through Django's
storage API (the local folder here; tests/releases/test_storage_s3.py proves the
S3-compatible path)."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from miniport.releases.packages import storage


def _bytes(n: int = 300_000, seed: bytes = b"pkg") -> bytes:
    block = hashlib.sha256(seed).digest()
    return (block * (n // len(block) + 1))[:n]


def test_a_package_is_stored_under_a_name_made_of_its_sha256():
    """VER-1: the storage name is content-addressed."""
    data = _bytes()
    sha = hashlib.sha256(data).hexdigest()
    name = storage.store(sha, io.BytesIO(data))
    assert name == f"packages/{sha[:2]}/{sha}.zip"
    with storage.open_package(name) as stored:
        assert stored.read() == data
    assert storage.size(name) == len(data)


def test_the_same_bytes_stored_twice_are_kept_once_and_not_rewritten():
    """VER-1: stored once by sha256; an existing object is not rewritten."""
    data = _bytes(seed=b"twice")
    sha = hashlib.sha256(data).hexdigest()
    name = storage.store(sha, io.BytesIO(data))
    path = default_storage.path(name)
    first_written = os.stat(path).st_mtime_ns
    os.utime(path, ns=(first_written - 10**9, first_written - 10**9))
    again = storage.store(sha, io.BytesIO(data))
    assert again == name
    assert os.stat(path).st_mtime_ns == first_written - 10**9  # untouched
    folder = os.path.dirname(path)
    assert os.listdir(folder) == [os.path.basename(path)]


def test_bytes_that_do_not_hash_to_the_given_sha256_are_not_stored():
    """VER-1: a content-addressed name never holds other bytes."""
    data = _bytes(seed=b"liar")
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(ValueError):
        storage.store(wrong, io.BytesIO(data))
    assert not storage.exists(storage.storage_name(wrong))


def test_a_name_that_is_not_a_sha256_is_refused():
    """VER-1: only 64 hex digits name a package."""
    for bad in ("", "abc", "../" + "a" * 61, "g" * 64):
        with pytest.raises(ValueError):
            storage.storage_name(bad)


def test_storing_streams_the_file_in_chunks_instead_of_reading_it_whole():
    """VER-1: no whole-file read into memory: every read asks for a bounded chunk."""
    data = _bytes(1_000_000, seed=b"chunks")
    sha = hashlib.sha256(data).hexdigest()
    sizes: list[int] = []

    class Recording(io.BytesIO):
        def read(self, size=-1):
            sizes.append(size)
            return super().read(size)

    storage.store(sha, Recording(data))
    assert sizes and all(0 < size <= 64 * 1024 for size in sizes)


def test_a_race_that_leaves_a_second_copy_keeps_only_the_first(monkeypatch):
    """VER-1: when another writer stored the same hash between the check and the save,
    the storage's renamed copy is deleted and the one name answered."""
    data = _bytes(seed=b"race")
    sha = hashlib.sha256(data).hexdigest()
    name = storage.storage_name(sha)
    default_storage.save(name, io.BytesIO(data))  # the other writer, just after our check
    original = FileSystemStorage.exists
    asked: list[str] = []

    def exists_once_missing(self, candidate):
        if candidate == name and not asked:
            asked.append(candidate)
            return False  # our check ran before the other writer finished
        return original(self, candidate)

    monkeypatch.setattr(FileSystemStorage, "exists", exists_once_missing)
    assert storage.store(sha, io.BytesIO(data)) == name
    folder = os.path.dirname(default_storage.path(name))
    assert os.listdir(folder) == [f"{sha}.zip"]


def test_a_packages_storage_alias_takes_precedence_over_the_default(settings, tmp_path):
    """VER-1: operators may keep packages apart (STORAGES["packages"])."""
    settings.STORAGES = {
        **settings.STORAGES,
        "packages": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "apart")},
        },
    }
    data = _bytes(seed=b"apart")
    sha = hashlib.sha256(data).hexdigest()
    name = storage.store(sha, io.BytesIO(data))
    assert (tmp_path / "apart" / name).read_bytes() == data
    assert not default_storage.exists(name)


def test_the_local_folder_offers_no_signed_url():
    """VER-1: local files are streamed by the platform, never linked."""
    data = _bytes(seed=b"local")
    name = storage.store(hashlib.sha256(data).hexdigest(), io.BytesIO(data))
    assert storage.signed_url(name, expires=60) is None
