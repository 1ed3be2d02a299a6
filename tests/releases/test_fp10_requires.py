"""FP-10 at upload: files in functional-pages/ may not require files outside it, nor the
reverse. The refusal names the requiring file and the target; requires that stay on their
side are accepted, and a call cut by a chunk boundary is still found."""

from __future__ import annotations

import zipfile

import pytest

from miniport.releases.errors import ReleaseError
from miniport.releases.packages.requires import crossing, resolve

from .package_support import assert_refused, validate
from .zips import with_files

INSIDE = "functional-pages/request-payment.js"


def test_fp10_a_functional_page_requiring_a_file_outside_is_refused():
    data = with_files({INSIDE: b"var u = require('../utils/pay.js');\n", "utils/pay.js": b"1"})
    error = assert_refused(data, ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE, INSIDE)
    assert "../utils/pay.js" in error.message("en")


def test_fp10_a_file_outside_requiring_a_functional_page_is_refused():
    data = with_files(
        {
            INSIDE: b"exports.x = 1;\n",
            "utils/a.js": b'const p = require("../functional-pages/request-payment")\n',
        }
    )
    error = assert_refused(data, ReleaseError.FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE, "utils/a.js")
    assert "functional-pages/request-payment" in error.message("zh-hans")


def test_fp10_an_absolute_path_and_a_bare_name_count_too():
    """A bare name resolves from the requiring file's folder, as the mini program does."""
    absolute = with_files({"app.js": b"require('/functional-pages/fields.js')\n", INSIDE: b"1"})
    assert_refused(absolute, ReleaseError.FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE, "app.js")
    bare = with_files({"app.js": b"require(`functional-pages/fields`)\n", INSIDE: b"1"})
    assert_refused(bare, ReleaseError.FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE, "app.js")
    up = with_files({INSIDE: b"require('lib/../../app.js')\n"})
    assert_refused(up, ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE, INSIDE)


def test_fp10_requires_on_their_own_side_are_accepted():
    data = with_files(
        {
            INSIDE: b"var f = require('./fields'); var g = require('./lib/util.js');\n",
            "functional-pages/fields.js": b"exports.a = 1;\n",
            "functional-pages/lib/util.js": b"module.exports = require('../fields');\n",
            "utils/a.js": b"var b = require('./b'); var c = myrequire('../functional-pages/x');\n",
            "utils/b.js": b"exports.b = 2;\n",
        }
    )
    manifest = validate(data)
    assert any(f.path == INSIDE for f in manifest.files)


def test_fp10_a_call_cut_between_two_chunks_is_found():
    padding = b"// " + b"x" * (64 * 1024 - 10) + b"\n"
    data = with_files(
        {INSIDE: padding + b"require('../outside.js')\n" + padding},
        method=zipfile.ZIP_STORED,
    )
    assert_refused(data, ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE, INSIDE)


@pytest.mark.parametrize(
    ("requiring", "target", "code"),
    [
        (INSIDE, "./a", None),
        (INSIDE, "../a", ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE),
        (INSIDE, "../../../a", ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE),
        (INSIDE, "/functional-pages/a", None),
        (
            "pages/index/index.js",
            "../../functional-pages/a",
            ReleaseError.FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE,
        ),
        ("pages/index/index.js", "../../utils/a", None),
        ("functional-pages.js", "./functional-pages-x/a", None),
    ],
)
def test_fp10_how_targets_resolve(requiring, target, code):
    assert crossing(requiring, target) is code


def test_resolve_leaving_the_root_is_none():
    assert resolve("a.js", "../x") is None
    assert resolve("functional-pages/a.js", "./b") == "functional-pages/b"
