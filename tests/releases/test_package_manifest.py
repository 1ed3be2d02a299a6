"""VER-1 / B-4: a valid package is accepted with a manifest for the pre-checks of a review:
the archive's sha256 and size, every file with its size, the pages, the subpackages with
their sizes, the plugins, and the server domains its code names."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import validate_package, zip_folder

from .package_support import validate
from .zips import APPID, app_files, default_limits, make_zip, page_files


def test_a_valid_package_is_accepted_with_its_manifest():
    """VER-1: the manifest of a package with a subpackage and a plugin."""
    files = app_files(
        subpackages=(("packageA", ("pages/cat/cat",)),),
        plugins={"myPlugin": {"version": "1.2.0", "provider": APPID}},
    )
    data = make_zip(files)
    manifest = validate(data)
    assert manifest.sha256 == hashlib.sha256(data).hexdigest()
    assert manifest.archive_size == len(data)
    assert manifest.entry_count == len(files)
    assert [(f.path, f.size) for f in manifest.files] == sorted(
        (n, len(d)) for n, d in files.items()
    )
    assert manifest.pages == ("pages/index/index", "pages/logs/logs")
    sub_size = sum(len(d) for n, d in files.items() if n.startswith("packageA/"))
    assert [(s.root, s.pages, s.size) for s in manifest.subpackages] == [
        ("packageA", ("packageA/pages/cat/cat",), sub_size)
    ]
    assert manifest.total_size == sum(len(d) for d in files.values())
    assert manifest.main_size == manifest.total_size - sub_size
    assert manifest.all_pages == ("pages/index/index", "pages/logs/logs", "packageA/pages/cat/cat")
    assert manifest.plugins[0].provider == APPID
    assert manifest.functional_pages is False
    assert manifest.as_dict()["subpackages"][0]["root"] == "packageA"


def test_the_manifest_lists_the_domains_the_code_names():
    """B-4: domains found in the code, for the pre-check against the configured server
    domains; only code files are read, and each origin once."""
    script = (
        "wx.request({url: 'https://API.example.com/v1/items?x=1'})\n"
        'const ws = wx.connectSocket({url: "wss://chat.example.com:8443/live"})\n'
        "// http://legacy.example.org and again https://api.example.com/other\n"
        "const notAUrl = 'xhttps://evil.example.net'; const local = 'https://localhost/'\n"
    )
    files = app_files()
    files["pages/index/index.js"] = script.encode()
    files["pages/index/index.wxml"] = b'<image src="https://cdn.example.com/a.png"/>'
    manifest = validate(make_zip(files))
    assert manifest.domains == (
        "http://legacy.example.org",
        "https://api.example.com",
        "wss://chat.example.com:8443",
    )


def test_a_url_cut_by_a_chunk_boundary_is_found_whole():
    """The scan runs on the inflated chunks; a URL across two of them is not lost or cut."""
    from miniport.releases.packages import reader

    filler = b"x" * (reader.INFLATE_CHUNK - 20)
    script = filler + b" fetch('https://boundary.example.com/path')\n" + filler
    files = app_files()
    files["lib/big.js"] = script
    manifest = validate(make_zip(files, zipfile.ZIP_STORED))
    assert manifest.domains == ("https://boundary.example.com",)


def test_validation_is_deterministic():
    data = make_zip(app_files())
    assert validate(data) == validate(data)


def test_validation_reads_a_stream_that_cannot_seek():
    """An upload arriving as a pipe is spooled first (a zip is read from its end)."""

    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = make_zip(app_files())
    manifest = validate_package(Pipe(data), limits=default_limits())
    assert manifest.sha256 == hashlib.sha256(data).hexdigest()


def test_a_django_uploaded_file_is_validated_as_it_is():
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = make_zip(app_files())
    upload = SimpleUploadedFile("code.zip", data, content_type="application/zip")
    assert validate_package(upload, limits=default_limits()).archive_size == len(data)


def _project(folder) -> None:
    for name, data in app_files(subpackages=(("packageA", ("pages/cat/cat",)),)).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_folder_is_zipped_deterministically_and_validated(tmp_path):
    """B-10: the command line uploads a folder; the same folder zips to the same bytes."""
    _project(tmp_path)
    first = zip_folder(tmp_path, default_limits()).read()
    os.utime(tmp_path / "app.js", (1, 1))
    assert zip_folder(tmp_path, default_limits()).read() == first
    manifest = validate_package(tmp_path, limits=default_limits())
    assert manifest.sha256 == hashlib.sha256(first).hexdigest()
    assert manifest.subpackages[0].root == "packageA"
    assert validate_package(str(tmp_path), limits=default_limits()) == manifest


def test_a_zip_file_path_is_validated(tmp_path):
    data = make_zip(app_files())
    (tmp_path / "code.zip").write_bytes(data)
    assert validate_package(tmp_path / "code.zip", limits=default_limits()).archive_size == len(
        data
    )


def test_a_symlink_in_a_folder_is_refused_by_name(tmp_path):
    _project(tmp_path)
    (tmp_path / "pages" / "secret.js").symlink_to("/etc/passwd")
    with pytest.raises(PlatformError) as caught:
        validate_package(tmp_path, limits=default_limits())
    assert caught.value.code is ReleaseError.ENTRY_SYMLINK
    assert "pages/secret.js" in caught.value.message("en")


def test_a_folder_over_the_total_limit_is_refused_before_it_is_read(tmp_path):
    _project(tmp_path)
    (tmp_path / "huge.bin").write_bytes(b"\0" * 2000)
    with pytest.raises(PlatformError) as caught:
        zip_folder(tmp_path, default_limits(max_total_bytes=1000))
    assert caught.value.code is ReleaseError.TOTAL_TOO_LARGE


def test_page_files_of_a_subpackage_count_toward_it():
    files = app_files(subpackages=(("packageA", ("pages/cat/cat",)),))
    files.update(page_files("packageA/pages/dog/dog"))
    manifest = validate(make_zip(files))
    expected = sum(len(d) for n, d in files.items() if n.startswith("packageA/"))
    assert manifest.subpackages[0].size == expected


def test_an_archive_written_as_a_stream_with_data_descriptors_is_accepted():
    """Streaming writers put sizes and CRC after the data (flag bit 3), zeros in the local
    header; the central directory holds the truth."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            self.buffer += data
            return len(data)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in app_files().items():
            archive.writestr(name, data)
    data = bytes(sink.buffer)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(info.flag_bits & 0x08 for info in archive.infolist())
    assert validate(data).pages == ("pages/index/index", "pages/logs/logs")
