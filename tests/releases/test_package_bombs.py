"""VER-1: a zip bomb is refused by reading its headers when they are honest, and by counting
bytes as they inflate when they lie, without ever holding the inflated data (DESIGN
security: uploads checked before extraction). The timing targets live in
scripts/bench_packages.py; here the refusal, its code and its memory bound."""

from __future__ import annotations

import tracemalloc
import zipfile

from miniport.releases.errors import ReleaseError

from .package_support import assert_refused, validate
from .zips import (
    MIB,
    Raw,
    app_files,
    default_limits,
    deflated_zeros,
    noise,
    raw_package,
    raw_zip,
    with_files,
)

BOMB = 64 * MIB


def test_a_bomb_with_honest_headers_is_refused_from_its_declared_size():
    """VER-1: 64 MiB of zeros declared as such; nothing is inflated."""
    payload, crc = deflated_zeros(BOMB)
    bomb = Raw("pages/index/big.js", payload=payload, crc=crc, file_size=BOMB)
    tracemalloc.start()
    try:
        error = assert_refused(
            raw_package(bomb), ReleaseError.ENTRY_TOO_LARGE, "pages/index/big.js"
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(2 * MIB) in error.message("en")
    assert peak < 8 * MIB


def test_a_bomb_with_lying_headers_is_refused_as_it_inflates_past_its_declared_size():
    """VER-1: local and central headers both claim 4 KB; the stream holds 64 MiB of zeros.
    The refusal comes at the first chunk past the declared size, holding a few MB at most."""
    payload, crc = deflated_zeros(BOMB)
    bomb = Raw("pages/index/big.js", payload=payload, crc=crc, file_size=4096)
    tracemalloc.start()
    try:
        error = assert_refused(
            raw_package(bomb), ReleaseError.ENTRY_SIZE_MISMATCH, "pages/index/big.js"
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "4096" in error.message("en")
    assert peak < 8 * MIB


def test_a_bomb_that_lies_only_in_its_local_header_is_refused_from_the_central_directory():
    """The central directory is what is checked first; the local header may say anything."""
    payload, crc = deflated_zeros(BOMB)
    bomb = Raw("big.js", payload=payload, crc=crc, file_size=BOMB, local_file_size=10)
    assert_refused(raw_package(bomb), ReleaseError.ENTRY_TOO_LARGE, "big.js")


def test_a_bomb_declaring_the_largest_allowed_size_stops_at_the_entry_limit():
    """VER-1: headers that lie by claiming exactly the entry limit: the bytes counted as they
    inflate pass the limit at the first chunk beyond it, long before the 64 MiB are out."""
    payload, crc = deflated_zeros(BOMB)
    bomb = Raw("big.js", payload=payload, crc=crc, file_size=2 * MIB)
    # Without a ratio limit, so that the count is what stops it.
    limits = default_limits(max_compression_ratio=100_000)
    tracemalloc.start()
    try:
        assert_refused(raw_package(bomb), ReleaseError.ENTRY_TOO_LARGE, "big.js", limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB


def test_an_entry_shorter_than_its_declared_size_is_refused():
    """The other lie: fewer bytes than declared (a truncated or forged entry)."""
    data = raw_package(Raw("lib/a.js", b"1234", file_size=10))
    assert_refused(data, ReleaseError.ENTRY_SIZE_MISMATCH, "lib/a.js")


def test_a_highly_compressed_file_is_refused_by_the_compression_ratio():
    """VER-1: a 1 MiB file of zeros inflates some 1000 times; the limit is 100."""
    limits_error = assert_refused(
        with_files({"assets/zeros.bin": bytes(MIB)}),
        ReleaseError.ENTRY_RATIO_TOO_HIGH,
        "assets/zeros.bin",
    )
    assert "100" in limits_error.message("en")


def test_a_small_compressible_file_is_not_held_to_the_ratio():
    """Below the grace size a high ratio is normal (a blank stylesheet, a sparse JSON file)."""
    validate(with_files({"assets/blank.wxss": b" " * (50 * 1024)}))


def test_incompressible_files_up_to_the_limits_are_accepted_stored_or_deflated():
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        manifest = validate(with_files({"assets/noise.bin": noise(MIB)}, method=method))
        assert ("assets/noise.bin", MIB) in [(f.path, f.size) for f in manifest.files]


def test_entries_sharing_their_data_are_refused_as_overlapping():
    """The non-recursive bomb: many central entries pointing at one compressed stream."""
    honest = [Raw(name, content) for name, content in app_files().items()]
    alone = raw_zip([*honest, Raw("a.js", b"x" * 100)])
    first = alone.rindex(b"PK\x03\x04")  # the local header of a.js
    shared = Raw("b.js", b"x" * 100, header_offset=first, local_name=b"a.js")
    error = assert_refused(
        raw_zip([*honest, Raw("a.js", b"x" * 100), shared]), ReleaseError.PACKAGE_CORRUPT, "b.js"
    )
    assert "disagree on the name" in error.message("en")


def test_entries_whose_data_overlap_are_refused():
    """Two names over one stream, each local header matching its own name: the second
    header sits inside the first entry's data."""
    honest = [Raw(name, content) for name, content in app_files().items()]
    inner = raw_zip([Raw("b.js", b"y" * 50, method=0)])
    inner_header = inner[: inner.index(b"PK\x01\x02")]  # local header + data of b.js
    outer = Raw("a.js", b"// " + inner_header, method=0)
    alone = raw_zip([*honest, outer])
    b_offset = alone.rindex(b"PK\x03\x04")  # inside a.js's data
    bundle = raw_zip([*honest, outer, Raw("b.js", b"y" * 50, method=0, header_offset=b_offset)])
    error = assert_refused(bundle, ReleaseError.PACKAGE_CORRUPT, "b.js")
    assert "overlaps" in error.message("en")
