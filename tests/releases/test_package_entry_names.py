"""VER-1 / B-10: an uploaded code package whose entry names could escape the folder it is
unpacked into, hide characters, or collide on a case-insensitive or Unicode-normalising file
system is refused before anything is stored, naming the entry (DESIGN security)."""

from __future__ import annotations

import re

import pytest

from miniport.releases.errors import ReleaseError

from .package_support import assert_refused
from .zips import Raw, make_zip, raw_package, with_files

ZIP_SLIPS = [
    ("../x", ReleaseError.ENTRY_NAME_PARENT),
    ("/abs", ReleaseError.ENTRY_NAME_ABSOLUTE),
    ("a/../../x", ReleaseError.ENTRY_NAME_PARENT),
    ("C:\\x", ReleaseError.ENTRY_NAME_DRIVE),
    ("c:/x", ReleaseError.ENTRY_NAME_DRIVE),
    ("a\\..\\x", ReleaseError.ENTRY_NAME_BACKSLASH),
    ("a/..", ReleaseError.ENTRY_NAME_PARENT),
    ("pages/index/..\\..\\..\\x.js", ReleaseError.ENTRY_NAME_BACKSLASH),
    ("\uff0e\uff0e/x", ReleaseError.ENTRY_NAME_PARENT),  # fullwidth dots become ".." (NFKC)
    ("a\uff0f..\uff0fx", ReleaseError.ENTRY_NAME_PARENT),  # fullwidth solidus becomes "/"
    ("\uff0fetc/passwd", ReleaseError.ENTRY_NAME_ABSOLUTE),
]


@pytest.mark.parametrize(("name", "code"), ZIP_SLIPS, ids=[name for name, _ in ZIP_SLIPS])
def test_every_form_of_zip_slip_is_refused_naming_the_entry(name, code):
    """VER-1: each form a hostile archive uses to write outside its folder."""
    assert_refused(raw_package(Raw(name, b"x")), code, name)


def test_a_name_with_a_nul_byte_is_refused_although_zipfile_would_cut_it_short():
    """VER-1: `zipfile` truncates a name at NUL; the name as stored is what counts."""
    error = assert_refused(
        raw_package(Raw(b"pages/evil.js\x00.png", b"x")),
        ReleaseError.ENTRY_NAME_CONTROL,
        "pages/evil.js?.png",
    )
    assert "\x00" not in error.message("en")


@pytest.mark.parametrize(
    "name", ["a\nb.js", "tab\there.js", "bell\x07.js", "del\x7f.js", "c1\x85.js"]
)
def test_control_characters_in_a_name_are_refused(name):
    """VER-1: names that hide characters from the reviewer's file tree."""
    shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", name)  # the message shows them as "?"
    error = assert_refused(raw_package(Raw(name, b"x")), ReleaseError.ENTRY_NAME_CONTROL, shown)
    assert name not in error.message("en")


@pytest.mark.parametrize(
    "name", ["a//b.js", "./a.js", "a/./b.js", "a /b.js", "dots./b.js", " a.js"]
)
def test_empty_dot_and_padded_segments_are_refused(name):
    """VER-1: segments a file system drops or rewrites would make two names one file."""
    assert_refused(raw_package(Raw(name, b"x")), ReleaseError.ENTRY_NAME_INVALID, name)


def test_a_colon_inside_a_name_is_refused_like_a_drive_letter():
    """VER-1: an NTFS alternate data stream (`a.js:hidden`) is a colon after the drive position."""
    assert_refused(
        raw_package(Raw("a.js:hidden", b"x")), ReleaseError.ENTRY_NAME_DRIVE, "a.js:hidden"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("utils/Helper.js", "utils/helper.js"),
        ("UTILS/a.js", "utils/a.js"),
        ("caf\u00e9.js", "cafe\u0301.js"),  # NFC and NFD of one name
        ("\uff41.js", "a.js"),  # fullwidth a (NFKC)
        ("Stra\u00dfe.js", "strasse.js"),  # case folding
    ],
)
def test_names_equal_after_case_and_unicode_normalisation_are_refused(first, second):
    """VER-1: two entries that would land on one file of a case-insensitive or normalising
    file system."""
    error = assert_refused(
        with_files({first: b"1", second: b"2"}), ReleaseError.ENTRY_NAME_DUPLICATE, second
    )
    assert first in error.message("en")


def test_an_exact_duplicate_entry_is_refused():
    """VER-1: the same name twice; which copy wins depends on the extractor."""
    data = raw_package(Raw("lib/a.js", b"1"), Raw("lib/a.js", b"2"))
    assert_refused(data, ReleaseError.ENTRY_NAME_DUPLICATE, "lib/a.js")


def test_a_file_and_a_directory_of_one_name_are_refused():
    """VER-1: `lib` as a file and `lib/a.js` under it cannot both be unpacked."""
    assert_refused(
        with_files({"lib": b"1", "lib/a.js": b"2"}), ReleaseError.ENTRY_PATH_CLASH, "lib"
    )
    assert_refused(
        with_files({"lib/a.js": b"2", "LIB": b"1"}), ReleaseError.ENTRY_PATH_CLASH, "LIB"
    )


def test_a_directory_entry_beside_a_file_of_its_name_is_refused():
    data = raw_package(Raw("lib", b"1"), Raw("lib/", b"", method=0, external_attr=0o40755 << 16))
    assert_refused(data, ReleaseError.ENTRY_PATH_CLASH, "lib/")


def test_explicit_directory_entries_are_accepted():
    """Archives made by `zip -r` list each directory too."""
    from .package_support import validate
    from .zips import app_files

    files = {"pages/": b"", "pages/index/": b"", **app_files()}
    manifest = validate(make_zip(files))
    assert "pages/" not in [file.path for file in manifest.files]
    assert manifest.entry_count == len(files)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("d/" * 33 + "x.js", "more than 32 folders"),
        ("pages/" + "a" * 600 + ".js", "longer than 512 characters"),
        ("pages/" + "名" * 90 + ".js", "longer than 255 bytes"),
    ],
    ids=["deep", "long", "long-segment"],
)
def test_a_path_too_deep_or_too_long_is_refused(name, reason):
    """VER-1: a file 33 folders deep (the file tree of the console and the desk draws
    each folder), a path of 600 characters or a name no file system holds is refused
    before anything is stored; the policy rows package.max_path_depth and
    package.max_path_chars set the first two."""
    error = assert_refused(raw_package(Raw(name, b"x")), ReleaseError.ENTRY_NAME_INVALID, name[:80])
    assert reason in error.message("en")


def test_a_file_thirty_two_folders_deep_is_accepted():
    """VER-1: the depth limit itself is allowed."""
    from .package_support import validate

    deep = "d/" * 32 + "x.js"
    assert deep in [f.path for f in validate(with_files({deep: b"x"})).files]
