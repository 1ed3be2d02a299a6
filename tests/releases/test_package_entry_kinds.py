"""VER-1: only plain, unencrypted, stored or deflated files and directories; no symbolic
links, devices or archives inside the package, whatever their extension (DESIGN security)."""

from __future__ import annotations

import gzip
import io
import stat
import tarfile
import zipfile

import pytest

from miniport.releases.errors import ReleaseError

from .package_support import assert_refused
from .zips import Raw, make_zip, raw_package, with_files


def test_a_symlink_entry_is_refused():
    """VER-1: a link to /etc/passwd would be read by whoever unpacks the package."""
    link = Raw(
        "pages/index/data.js", b"/etc/passwd", method=0, external_attr=(stat.S_IFLNK | 0o777) << 16
    )
    assert_refused(raw_package(link), ReleaseError.ENTRY_SYMLINK, "pages/index/data.js")


@pytest.mark.parametrize("kind", [stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK])
def test_device_fifo_and_socket_entries_are_refused(kind):
    special = Raw("dev.js", b"", method=0, external_attr=(kind | 0o644) << 16)
    assert_refused(raw_package(special), ReleaseError.ENTRY_SPECIAL, "dev.js")


def test_an_encrypted_entry_is_refused():
    """VER-1: an encrypted entry cannot be checked, so it is not accepted."""
    secret = Raw("secret.js", b"x", flags=0x801)
    assert_refused(raw_package(secret), ReleaseError.ENTRY_ENCRYPTED, "secret.js")


def test_an_entry_encrypted_only_in_its_local_header_is_refused():
    """The local header is what a naive extractor reads."""
    body = raw_package(Raw("secret.js", b"xyz"))
    at = body.rindex(b"PK\x03\x04")
    patched = body[: at + 6] + (0x801).to_bytes(2, "little") + body[at + 8 :]
    assert_refused(patched, ReleaseError.ENTRY_ENCRYPTED, "secret.js")


def test_an_entry_compressed_with_another_method_is_refused():
    bzipped = Raw("lib/a.js", b"x", method=zipfile.ZIP_BZIP2, payload=b"BZh9")
    assert_refused(raw_package(bzipped), ReleaseError.ENTRY_METHOD_UNSUPPORTED, "lib/a.js")


def _inner_zip() -> bytes:
    return make_zip({"evil.js": b"1"})


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("evil.js")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"1"))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["assets/more.zip", "assets/more.tar", "assets/more.TGZ", "a.7z", "b.rar"]
)
def test_a_nested_archive_is_refused_by_its_extension(name):
    """VER-1: archives inside the package."""
    assert_refused(with_files({name: b"anything"}), ReleaseError.ENTRY_NESTED_ARCHIVE, name)


@pytest.mark.parametrize(
    ("disguise", "content", "kind"),
    [
        ("assets/logo.png", _inner_zip(), "zip"),
        ("utils/data.js", gzip.compress(b"x" * 100, mtime=0), "gzip"),
        ("assets/font.ttf", _tar(), "tar"),
        ("assets/a.bin", b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        ("assets/b.dat", b"Rar!\x1a\x07\x01\x00", "rar"),
        ("assets/c.dat", b"BZh91AY&SY" + bytes(20), "bzip2"),
        ("assets/d.dat", b"\xfd7zXZ\x00\x00", "xz"),
    ],
)
def test_a_nested_archive_disguised_with_another_extension_is_refused_by_its_magic_bytes(
    disguise, content, kind
):
    """VER-1: the magic bytes of a zip, gzip, tar, 7z, rar, bzip2 or xz stream, whatever the
    name says."""
    error = assert_refused(
        with_files({disguise: content}), ReleaseError.ENTRY_NESTED_ARCHIVE, disguise
    )
    assert kind in error.message("en")


def test_a_stored_nested_zip_is_refused_too():
    data = with_files({"assets/logo.png": _inner_zip()}, method=zipfile.ZIP_STORED)
    assert_refused(data, ReleaseError.ENTRY_NESTED_ARCHIVE, "assets/logo.png")


def test_text_that_merely_starts_like_a_magic_number_is_accepted():
    """`BZh` alone, or `PK` in prose, is not an archive."""
    from .package_support import validate

    validate(with_files({"notes.txt": b"BZh is how bzip2 starts; PK too", "b.txt": b"PK\x03"}))
