"""VER-1: the main package and each subpackage at most 2 MB, all packages together at most
20 MB, measured as the uncompressed bytes of the files in each package root; at most a
policy row's number of entries. One byte over each limit is refused naming the package and
the limit; every limit is a policy row an operator may change (B-8)."""

from __future__ import annotations

import zipfile

import pytest

from miniport.core.actors import Actor
from miniport.core.services import policy_set_override
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import validate_package

from .package_support import assert_refused, validate
from .zips import MIB, app_files, make_zip, noise, page_files

LIMIT = 2 * MIB
SUBPACKAGES = (("packageA", ("pages/a/a",)), ("packageB", ("pages/b/b",)))


def _filled(main_extra: int = 0, sub_extra: int = 0, subpackages=SUBPACKAGES) -> bytes:
    return make_zip(_filled_files(main_extra, sub_extra, subpackages), zipfile.ZIP_STORED)


def _filled_files(main_extra: int, sub_extra: int, subpackages, declared=None) -> dict[str, bytes]:
    """Main package and every subpackage filled to exactly the limit, plus the extras;
    `declared` lists the subpackages of app.json (default: the filled ones)."""
    files = app_files(subpackages=declared or subpackages)
    main = sum(len(data) for name, data in files.items() if not name.startswith("package"))
    files["assets/fill.bin"] = noise(LIMIT - main + main_extra, seed=1)
    for index, (root, _pages) in enumerate(subpackages):
        used = sum(len(data) for name, data in files.items() if name.startswith(root + "/"))
        files[f"{root}/fill.bin"] = noise(LIMIT - used + (sub_extra if index == 1 else 0), seed=2)
    return files


def _limits_for_fill(**changes: int):
    """The filler file of a full package is itself as large as a package."""
    from .zips import default_limits

    return default_limits(max_entry_bytes=LIMIT + 1, **changes)


def test_a_main_package_and_subpackages_of_exactly_two_megabytes_are_accepted():
    manifest = validate(_filled(), _limits_for_fill())
    assert manifest.main_size == LIMIT
    assert [sub.size for sub in manifest.subpackages] == [LIMIT, LIMIT]
    assert manifest.total_size == 3 * LIMIT


def test_a_main_package_one_byte_over_two_megabytes_is_refused():
    """VER-1 (85044): the main package, named, with its size and the limit."""
    error = assert_refused(
        _filled(main_extra=1), ReleaseError.PACKAGE_TOO_LARGE, "__APP__", _limits_for_fill()
    )
    assert str(LIMIT + 1) in error.message("en") and str(LIMIT) in error.message("en")
    assert error.errcode == 85044


def test_a_subpackage_one_byte_over_two_megabytes_is_refused():
    """VER-1 (85044): the subpackage named by its root."""
    error = assert_refused(
        _filled(sub_extra=1), ReleaseError.SUBPACKAGE_TOO_LARGE, "packageB", _limits_for_fill()
    )
    assert str(LIMIT + 1) in error.message("en")
    assert error.errcode == 85044


def test_all_packages_one_byte_over_twenty_megabytes_are_refused():
    """VER-1 (85044): ten full packages are exactly 20 MiB; one more byte in an eleventh
    package is over the total although every package is within its own limit."""
    subs = tuple((f"package{n}", (f"pages/p{n}/p{n}",)) for n in range(9))
    full = _filled(subpackages=subs)
    manifest = validate(full, _limits_for_fill())
    assert manifest.total_size == 20 * MIB
    eleventh = ("packageZ", ("pages/z/z",))
    eleventh_pages = sum(len(data) for data in page_files("packageZ/pages/z/z").values())
    files = _filled_files(-eleventh_pages, 0, subs, declared=(*subs, eleventh))
    files["packageZ/fill.bin"] = b"1"
    assert sum(len(data) for data in files.values()) == 20 * MIB + 1
    over = make_zip(files, zipfile.ZIP_STORED)
    error = assert_refused(over, ReleaseError.TOTAL_TOO_LARGE, "__FULL__", _limits_for_fill())
    assert str(20 * MIB) in error.message("en")


def test_a_file_one_byte_over_the_entry_limit_is_refused():
    """VER-1: no single file is larger than a package may be."""
    files = app_files()
    files["assets/big.bin"] = noise(LIMIT + 1)
    error = assert_refused(
        make_zip(files, zipfile.ZIP_STORED), ReleaseError.ENTRY_TOO_LARGE, "assets/big.bin"
    )
    assert str(LIMIT) in error.message("en")


def _with_entries(count: int) -> bytes:
    files = app_files()
    for n in range(count - len(files)):
        files[f"lib/m{n}.js"] = b""
    return make_zip(files, zipfile.ZIP_STORED)


def test_an_archive_at_the_entry_count_limit_is_accepted():
    assert validate(_with_entries(5000)).entry_count == 5000


def test_an_archive_one_entry_over_the_count_limit_is_refused():
    """VER-1: the count is read from the end record before the entries are parsed."""
    error = assert_refused(_with_entries(5001), ReleaseError.TOO_MANY_ENTRIES, "5000")
    assert "5001" in error.message("en")


@pytest.mark.django_db
def test_an_operator_override_changes_the_package_limits():
    """B-8: the limits are read from the policy table at each validation."""
    import io

    data = make_zip({**app_files(), "assets/a.bin": noise(3000)})
    validate_package(io.BytesIO(data))
    policy_set_override(actor=Actor.system("tests"), key="package.max_main_bytes", value=3000)
    with pytest.raises(Exception) as caught:
        validate_package(io.BytesIO(data))
    assert caught.value.code is ReleaseError.PACKAGE_TOO_LARGE
    assert "3000" in caught.value.message("en")

    policy_set_override(actor=Actor.system("tests"), key="package.max_entries", value=5)
    with pytest.raises(Exception) as caught:
        validate_package(io.BytesIO(data))
    assert caught.value.code is ReleaseError.TOO_MANY_ENTRIES


@pytest.mark.django_db
def test_an_operator_may_raise_a_limit_as_well():
    """B-8: an entry over the default entry limit passes once the operator allows it."""
    import io

    files = {**app_files(), "assets/big.bin": noise(LIMIT + 1)}
    data = make_zip(files, zipfile.ZIP_STORED)
    actor = Actor.system("tests")
    policy_set_override(actor=actor, key="package.max_entry_bytes", value=4 * MIB)
    policy_set_override(actor=actor, key="package.max_main_bytes", value=4 * MIB)
    manifest = validate_package(io.BytesIO(data))
    assert manifest.main_size > LIMIT
