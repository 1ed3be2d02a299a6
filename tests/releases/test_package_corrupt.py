"""VER-1: a damaged archive or something that is not a zip at all is refused with a clear
code, never with an unhandled exception (DESIGN security)."""

from __future__ import annotations

import io
import zipfile

import pytest

from miniport.releases.errors import ReleaseError
from miniport.releases.packages import validate_package

from .package_support import assert_refused, refusal
from .zips import Raw, default_limits, package, raw_package, raw_zip


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"\x89PNG\r\n\x1a\n" + bytes(100), b"PK\x03\x04" + bytes(10)],
    ids=["empty", "text", "png", "local-header-only"],
)
def test_something_that_is_not_a_zip_is_refused(data):
    error = refusal(data)
    assert error.code is ReleaseError.PACKAGE_NOT_A_ZIP


def test_a_zip_without_entries_is_refused():
    assert_refused(raw_zip([]), ReleaseError.PACKAGE_EMPTY, "")


def test_a_corrupt_crc_is_refused_naming_the_entry():
    data = raw_package(Raw("pages/index/util.js", b"module.exports = 1", crc=0x12345678))
    error = assert_refused(data, ReleaseError.PACKAGE_CORRUPT, "pages/index/util.js")
    assert "CRC" in error.message("en")


def test_a_flipped_byte_in_the_compressed_data_is_refused():
    data = bytearray(raw_package(Raw("lib/a.js", b"function a() { return 1 }\n" * 50)))
    at = data.rindex(b"lib/a.js", 0, data.index(b"PK\x01\x02")) + len("lib/a.js") + 5
    data[at] ^= 0xFF
    error = refusal(bytes(data))
    assert error.code in (ReleaseError.PACKAGE_CORRUPT, ReleaseError.ENTRY_SIZE_MISMATCH)
    assert "lib/a.js" in error.message("en")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9, 0.99])
def test_a_truncated_archive_is_refused(cut):
    data = package()
    error = refusal(data[: int(len(data) * cut)])
    assert error.code in (ReleaseError.PACKAGE_NOT_A_ZIP, ReleaseError.PACKAGE_CORRUPT)


def test_an_entry_whose_data_runs_past_the_end_of_the_archive_is_refused():
    data = raw_package(Raw("lib/a.js", b"abc", method=0, compress_size=10_000, file_size=3))
    error = refusal(data)
    assert error.code is ReleaseError.PACKAGE_CORRUPT
    assert "lib/a.js" in error.message("en")


def test_local_and_central_headers_that_disagree_on_the_name_are_refused():
    """An extractor reading local headers would write another file than the one checked."""
    data = raw_package(Raw("lib/a.js", b"1", local_name=b"../a.js"))
    error = assert_refused(data, ReleaseError.PACKAGE_CORRUPT, "lib/a.js")
    assert "name" in error.message("en")


def test_local_and_central_headers_that_disagree_on_the_method_are_refused():
    data = raw_package(Raw("lib/a.js", b"1", local_method=zipfile.ZIP_STORED))
    assert_refused(data, ReleaseError.PACKAGE_CORRUPT, "lib/a.js")


def test_a_name_that_is_not_valid_utf8_is_refused():
    data = raw_package(Raw(b"lib/\xff\xfe.js", b"1"))
    assert refusal(data).code is ReleaseError.PACKAGE_NOT_A_ZIP


def test_an_end_record_claiming_more_entries_than_allowed_is_refused_before_parsing():
    data = raw_zip([Raw("a.js", b"1")], central_entries=60_000)
    error = refusal(data)
    assert error.code is ReleaseError.TOO_MANY_ENTRIES
    assert "60000" in error.message("en")


def test_data_prepended_to_the_archive_is_tolerated():
    """A self-extracting stub before the zip moves every offset; zipfile accounts for it."""
    from .zips import app_files

    honest = [Raw(name, content) for name, content in app_files().items()]
    data = raw_zip(honest)
    stub = b"#!/bin/sh\nexit 0\n"
    validate_package(io.BytesIO(stub + data), limits=default_limits())
