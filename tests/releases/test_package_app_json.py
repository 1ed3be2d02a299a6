"""VER-1 / FP-6: `app.json` at the root is a valid JSON object; every listed page has its
files; subpackage roots exist and do not overlap; `functionalPages` and `plugins` are
well-formed. Each refusal names the file or page at fault."""

from __future__ import annotations

import json

import pytest

from miniport.releases.errors import ReleaseError

from .package_support import assert_refused, validate
from .zips import APPID, app_files, make_zip, page_files


def _with_config(config: dict, *, files: dict[str, bytes] | None = None) -> bytes:
    everything = dict(files if files is not None else app_files())
    everything["app.json"] = json.dumps(config).encode()
    return make_zip(everything)


PAGES = ["pages/index/index", "pages/logs/logs"]


def test_a_package_without_app_json_is_refused():
    files = app_files()
    del files["app.json"]
    assert_refused(make_zip(files), ReleaseError.APP_JSON_MISSING, "app.json")


def test_app_json_in_a_folder_is_not_at_the_root():
    files = app_files()
    files["project/app.json"] = files.pop("app.json")
    assert_refused(make_zip(files), ReleaseError.APP_JSON_MISSING, "app.json")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"pages": ["pages/index/index",]}', "line 1"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'["pages"]', "object"),
        (b"", "line 1"),
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"pages": ["pages/index/index"], "x": ' + b"9" * 5000 + b"}", "digits"),
        (b'{"pages": ["pages/index/index"], "x": NaN}', "NaN is not a JSON number"),
        (b'{"pages": ["pages/index/index"], "x": -Infinity}', "not a JSON number"),
    ],
    ids=["trailing-comma", "not-utf8", "array", "empty", "deep", "huge-int", "nan", "infinity"],
)
def test_app_json_that_is_not_a_utf8_json_object_is_refused(content, reason):
    files = app_files()
    files["app.json"] = content
    error = assert_refused(make_zip(files), ReleaseError.APP_JSON_INVALID, "app.json")
    assert reason in error.message("en")


def test_a_utf8_byte_order_mark_is_accepted():
    files = app_files()
    files["app.json"] = b"\xef\xbb\xbf" + files["app.json"]
    validate(make_zip(files))


@pytest.mark.parametrize("pages", [None, [], "pages/index/index", {}])
def test_pages_must_be_a_non_empty_list(pages):
    """85047 pages are empty."""
    config = {} if pages is None else {"pages": pages}
    error = assert_refused(_with_config(config), ReleaseError.PAGES_EMPTY, "app.json")
    assert error.errcode == 85047


@pytest.mark.parametrize(
    "page",
    [3, "", "/pages/index/index", "pages/index/", "pages/../x", "pages\\x", "pages/index/index.js"],
)
def test_a_malformed_page_path_is_refused(page):
    assert_refused(_with_config({"pages": [*PAGES, page]}), ReleaseError.PAGE_INVALID, "app.json")


def test_a_page_listed_twice_is_refused():
    error = assert_refused(
        _with_config({"pages": [*PAGES, PAGES[0]]}), ReleaseError.PAGE_INVALID, PAGES[0]
    )
    assert "twice" in error.message("en")


@pytest.mark.parametrize("missing", [".js", ".wxml"])
def test_a_page_without_its_script_or_template_is_refused(missing):
    """A page needs its .js and .wxml; its .json and .wxss are optional."""
    files = app_files()
    del files[f"pages/logs/logs{missing}"]
    error = assert_refused(
        make_zip(files), ReleaseError.PAGE_FILES_MISSING, f"pages/logs/logs{missing}"
    )
    assert "page pages/logs/logs" in error.message("en")


def test_a_page_without_its_json_and_stylesheet_is_accepted():
    files = app_files()
    del files["pages/logs/logs.json"], files["pages/logs/logs.wxss"]
    validate(make_zip(files))


def test_a_page_whose_file_differs_in_case_is_missing():
    files = app_files()
    files["pages/logs/Logs.js"] = files.pop("pages/logs/logs.js")
    assert_refused(make_zip(files), ReleaseError.PAGE_FILES_MISSING, "pages/logs/logs.js")


def _subpackaged(
    *subpackages: dict, extra: dict[str, bytes] | None = None, key: str = "subPackages"
) -> bytes:
    files = app_files()
    for sub in subpackages:
        for page in sub.get("pages") or []:
            if isinstance(page, str) and isinstance(sub.get("root"), str):
                files.update(page_files(f"{sub['root'].rstrip('/')}/{page}"))
    files.update(extra or {})
    return _with_config({"pages": PAGES, key: list(subpackages)}, files=files)


def test_subpackages_with_existing_separate_roots_are_accepted_under_either_key():
    for key in ("subPackages", "subpackages"):
        manifest = validate(
            _subpackaged(
                {"root": "packageA", "pages": ["pages/cat/cat"]},
                {
                    "root": "packageB/",
                    "name": "pack2",
                    "pages": ["pages/dog/dog"],
                    "independent": True,
                },
                key=key,
            )
        )
        assert [(s.root, s.name, s.independent) for s in manifest.subpackages] == [
            ("packageA", None, False),
            ("packageB", "pack2", True),
        ]
        assert manifest.subpackages[0].pages == ("packageA/pages/cat/cat",)


def test_a_subpackage_root_that_does_not_exist_is_refused():
    config = {"pages": PAGES, "subPackages": [{"root": "packageX", "pages": ["pages/a/a"]}]}
    assert_refused(_with_config(config), ReleaseError.SUBPACKAGE_ROOT_MISSING, "packageX")


def test_a_subpackage_page_without_its_files_is_refused():
    files = {**app_files(), **page_files("packageA/pages/cat/cat")}
    del files["packageA/pages/cat/cat.wxml"]
    config = {"pages": PAGES, "subPackages": [{"root": "packageA", "pages": ["pages/cat/cat"]}]}
    assert_refused(
        _with_config(config, files=files),
        ReleaseError.PAGE_FILES_MISSING,
        "packageA/pages/cat/cat.wxml",
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("packageA", "packageA/inner"),
        ("packageA/inner", "packageA"),
        ("packageA", "packageA/"),
        ("pkg", "PKG"),
    ],
)
def test_overlapping_subpackage_roots_are_refused(first, second):
    data = _subpackaged(
        {"root": first, "pages": ["pages/a/a"]}, {"root": second, "pages": ["pages/b/b"]}
    )
    error = assert_refused(data, ReleaseError.SUBPACKAGE_ROOTS_OVERLAP, second.rstrip("/"))
    assert first.rstrip("/") in error.message("en")


def test_roots_that_only_share_a_prefix_of_characters_do_not_overlap():
    validate(
        _subpackaged(
            {"root": "pkg", "pages": ["pages/a/a"]}, {"root": "pkg2", "pages": ["pages/b/b"]}
        )
    )


def test_a_subpackage_root_holding_a_main_package_page_is_refused():
    data = _subpackaged({"root": "pages/logs", "pages": ["extra/x"]})
    assert_refused(data, ReleaseError.SUBPACKAGE_ROOTS_OVERLAP, "pages/logs")


@pytest.mark.parametrize(
    ("subpackages", "reason"),
    [
        ({"root": "a"}, "not a list"),
        ([{"pages": ["p"]}], "root"),
        ([{"root": "../up", "pages": ["p"]}], "root"),
        ([{"root": "/abs", "pages": ["p"]}], "root"),
        ([{"root": "", "pages": ["p"]}], "root"),
        (["packageA"], "not an object"),
        ([{"root": "packageA", "pages": ["pages/a/a"], "independent": "yes"}], "independent"),
        ([{"root": "packageA", "pages": ["pages/a/a"], "name": 3}], "name"),
    ],
)
def test_a_malformed_subpackages_section_is_refused(subpackages, reason):
    files = {**app_files(), **page_files("packageA/pages/a/a")}
    error = assert_refused(
        _with_config({"pages": PAGES, "subPackages": subpackages}, files=files),
        ReleaseError.SUBPACKAGES_INVALID,
        "app.json",
    )
    assert reason in error.message("en")


def test_a_subpackage_without_pages_is_refused():
    files = {**app_files(), **page_files("packageA/pages/a/a")}
    config = {"pages": PAGES, "subPackages": [{"root": "packageA", "pages": []}]}
    assert_refused(_with_config(config, files=files), ReleaseError.PAGES_EMPTY, "packageA")


def test_both_spellings_of_subpackages_at_once_are_refused():
    config = {"pages": PAGES, "subPackages": [], "subpackages": []}
    assert_refused(_with_config(config), ReleaseError.SUBPACKAGES_INVALID, "app.json")


@pytest.mark.parametrize("value", [True, False, {"independent": True}, {}])
def test_functional_pages_true_false_or_an_object_are_accepted(value):
    """FP-6: `"functionalPages": true` (or WeChat's object form) in app.json."""
    manifest = validate(_with_config({"pages": PAGES, "functionalPages": value}))
    assert manifest.functional_pages is (value is not False)


@pytest.mark.parametrize("value", ["true", 1, [], {"independent": "yes"}, {"other": True}, None])
def test_malformed_functional_pages_are_refused(value):
    """FP-6: anything else is refused naming app.json."""
    assert_refused(
        _with_config({"pages": PAGES, "functionalPages": value}),
        ReleaseError.FUNCTIONAL_PAGES_INVALID,
        "app.json",
    )


def test_well_formed_plugins_are_listed_in_the_manifest():
    files = {**app_files(), **page_files("packageA/pages/a/a")}
    other = "wx" + "f" * 16
    config = {
        "pages": PAGES,
        "plugins": {"myPlugin": {"version": "1.0.0", "provider": APPID}},
        "subPackages": [
            {
                "root": "packageA",
                "pages": ["pages/a/a"],
                "plugins": {
                    "maps": {"version": "dev-abc", "provider": other, "export": "index.js"}
                },
            }
        ],
    }
    manifest = validate(_with_config(config, files=files))
    assert [(p.name, p.version, p.provider, p.subpackage) for p in manifest.plugins] == [
        ("myPlugin", "1.0.0", APPID, None),
        ("maps", "dev-abc", other, "packageA"),
    ]


@pytest.mark.parametrize(
    ("plugins", "reason"),
    [
        (["myPlugin"], "not an object"),
        ({"myPlugin": "1.0.0"}, "not an object"),
        ({"myPlugin": {"provider": APPID}}, "version"),
        ({"myPlugin": {"version": "", "provider": APPID}}, "version"),
        ({"myPlugin": {"version": "1.0\u00000", "provider": APPID}}, "control characters"),
        ({"myPlugin": {"version": "1.0.0"}}, "provider"),
        ({"myPlugin": {"version": "1.0.0", "provider": "not-an-appid"}}, "provider"),
        ({"myPlugin": {"version": "1.0.0", "provider": APPID, "export": 3}}, "export"),
        ({"": {"version": "1.0.0", "provider": APPID}}, "name"),
        (
            {"a": {"version": "1", "provider": APPID}, "b": {"version": "2", "provider": APPID}},
            "declared",
        ),
    ],
)
def test_malformed_plugins_are_refused(plugins, reason):
    error = assert_refused(
        _with_config({"pages": PAGES, "plugins": plugins}), ReleaseError.PLUGINS_INVALID, "app.json"
    )
    assert reason in error.message("en")


def test_a_tab_bar_page_must_be_a_page_of_the_main_package():
    """85046 on commit: a tabBar pagePath missing from pages."""
    ok = {"pages": PAGES, "tabBar": {"list": [{"pagePath": p, "text": p} for p in PAGES]}}
    validate(_with_config(ok))
    bad = {"pages": PAGES, "tabBar": {"list": [{"pagePath": "pages/nope/nope", "text": "x"}]}}
    assert_refused(_with_config(bad), ReleaseError.PAGE_INVALID, "pages/nope/nope")


def test_the_entry_page_must_be_a_listed_page():
    validate(_with_config({"pages": PAGES, "entryPagePath": PAGES[1]}))
    assert_refused(
        _with_config({"pages": PAGES, "entryPagePath": "pages/x/x"}),
        ReleaseError.PAGE_INVALID,
        "pages/x/x",
    )
