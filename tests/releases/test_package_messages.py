"""VER-1 / FP-6 / PLG-7: a refused app.json, plugin.json or ext_json says what is wrong
in words a developer reads, in both languages: a value of the file is quoted as JSON
(shortened, invisible characters escaped), never as a Python repr, and no refusal carries
an exception's text (Python's integer-digit limit, zipfile's internals)."""

from __future__ import annotations

import io
import json
import struct

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import validate_package
from miniport.releases.packages import validation as package_validation
from miniport.releases.packages.errors import PluginPackageError
from tests.openapi.code_api_support import (
    add_template,
    code_fixture,  # noqa: F401 - the "code" fixture
    commit,
    upload_draft,
)
from tests.openapi.conftest import wire  # noqa: F401 - the "wire" fixture
from tests.plugins.makers import plugin_files
from tests.releases.version_support import snapshot

from .package_support import assert_refused
from .zips import APPID, app_files, default_limits, make_zip, page_files

PAGES = ["pages/index/index", "pages/logs/logs"]


def assert_plain(message: str) -> None:
    """No Python repr (single-quoted dicts, \\x escapes), no exception text, no raw control
    character."""
    for python in ("{'", "['", "\\x", "Traceback", "sys.", "set_int_max_str_digits", "Exceeds"):
        assert python not in message, message
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in message), message


def with_config(config: object, *, files: dict[str, bytes] | None = None) -> bytes:
    everything = dict(files if files is not None else app_files())
    everything["app.json"] = json.dumps(config).encode()
    return make_zip(everything)


def refused_config(config: object, code: ReleaseError, **kw) -> tuple[str, str]:
    """The English and Chinese messages of the refusal, both checked to be plain."""
    error = assert_refused(with_config(config, **kw), code, "app.json")
    english, chinese = error.message("en"), error.message("zh-hans")
    assert_plain(english)
    assert_plain(chinese)
    return english, chinese


# --- page paths ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "kind_en", "kind_zh", "quoted"),
    [
        ({"a": 1}, "an object", "对象", '{"a": 1}'),
        (["pages/index/index"], "a list", "列表", '["pages/index/index"]'),
        (3, "a number", "数字", "3"),
        (None, "null", "null", "null"),
        (True, "true or false", "布尔值", "true"),
    ],
)
def test_a_page_path_that_is_not_a_string_is_said_to_be_one_and_quoted_as_json(
    page, kind_en, kind_zh, quoted
):
    """VER-1: `{"pages": [{"a": 1}]}` says the page path must be a string, quoting the
    value as JSON, not Python's `{'a': 1}`."""
    english, chinese = refused_config({"pages": [page]}, ReleaseError.PAGE_INVALID)
    assert f"invalid page path {quoted}: a path must be a string, not {kind_en}" in english
    assert quoted in chinese and f"路径必须是字符串，不能是{kind_zh}" in chinese


def test_a_long_value_is_quoted_shortened():
    """VER-1: a value is quoted at most 60 characters long, cut with an ellipsis."""
    english, _chinese = refused_config({"pages": [{"k" * 5000: 1}]}, ReleaseError.PAGE_INVALID)
    assert '{"kkkk' in english and "…" in english
    assert len(english) < 200


def test_a_page_path_with_a_control_character_is_quoted_with_it_escaped():
    """VER-1: the control character shows as a JSON escape, never raw."""
    english, chinese = refused_config(
        {"pages": [*PAGES, "pages/a\u0085b"]}, ReleaseError.PAGE_INVALID
    )
    assert '"pages/a\\u0085b"' in english and "control characters are not allowed" in english
    assert "不允许出现控制字符" in chinese


def test_a_page_listed_by_entry_page_path_or_the_tab_bar_is_quoted_as_json():
    """VER-1: entryPagePath and a tabBar pagePath that are not strings are quoted as JSON."""
    english, _ = refused_config(
        {"pages": PAGES, "entryPagePath": {"a": 1}}, ReleaseError.PAGE_INVALID
    )
    assert '{"a": 1}' in english and "entryPagePath is not in pages" in english
    tab_bar = {"list": [{"pagePath": [1, 2], "text": "x"}]}
    english, chinese = refused_config(
        {"pages": PAGES, "tabBar": tab_bar}, ReleaseError.PAGE_INVALID
    )
    assert "[1, 2]" in english and "tabBar 中的页面不在 pages 中" in chinese


# --- numbers -------------------------------------------------------------------------------


def test_a_fifty_thousand_digit_number_is_refused_as_a_number_too_long():
    """VER-1: Python's integer-digit limit is not the developer's business: the refusal says
    app.json holds a number too long, without the exception's advice about sys."""
    files = app_files()
    files["app.json"] = b'{"pages": ["pages/index/index"], "x": ' + b"7" * 50_000 + b"}"
    error = assert_refused(make_zip(files), ReleaseError.APP_JSON_INVALID, "app.json")
    english, chinese = error.message("en"), error.message("zh-hans")
    assert "app.json is not a valid UTF-8 JSON object: it holds a number too long" in english
    assert "数字过长" in chinese
    assert_plain(english)
    assert_plain(chinese)


def test_nan_is_said_not_to_be_a_json_number_in_both_languages():
    """VER-1: NaN is not JSON; the Chinese message says so too (not "too many digits")."""
    files = app_files()
    files["app.json"] = b'{"pages": ["pages/index/index"], "x": NaN}'
    error = assert_refused(make_zip(files), ReleaseError.APP_JSON_INVALID, "app.json")
    assert "NaN is not a JSON number" in error.message("en")
    assert "NaN 不是 JSON 数字" in error.message("zh-hans")


# --- subpackages, functional pages, plugins -----------------------------------------------


@pytest.mark.parametrize(
    ("root", "quoted", "reason"),
    [
        ({"a": 1}, '{"a": 1}', "a path must be a string, not an object"),
        ("../up", '"../up"', "empty, '.' or '..' segments are not allowed"),
    ],
)
def test_a_subpackage_root_is_quoted_as_json(root, quoted, reason):
    """VER-1: a bad subpackage root is quoted as JSON with the rule it breaks."""
    files = {**app_files(), **page_files("packageA/pages/a/a")}
    config = {"pages": PAGES, "subPackages": [{"root": root, "pages": ["pages/a/a"]}]}
    english, chinese = refused_config(config, ReleaseError.SUBPACKAGES_INVALID, files=files)
    assert f"entry 0: root {quoted}: {reason}" in english
    assert f"第 0 项的 root {quoted}" in chinese


def test_an_unknown_functional_pages_key_is_quoted_with_invisible_characters_escaped():
    """FP-6: the unknown key is quoted as JSON, its NUL escaped."""
    english, _ = refused_config(
        {"pages": PAGES, "functionalPages": {"x\u0000y": True}},
        ReleaseError.FUNCTIONAL_PAGES_INVALID,
    )
    assert 'unknown key "x\\u0000y"' in english


def test_a_plugin_alias_with_a_control_character_is_quoted_as_json():
    """VER-1: a plugin alias is quoted as JSON, not as Python's 'a\\x01'."""
    plugins = {"a\u0001": {"version": "1.0.0", "provider": APPID}}
    english, chinese = refused_config(
        {"pages": PAGES, "plugins": plugins}, ReleaseError.PLUGINS_INVALID
    )
    assert 'plugin "a\\u0001" is declared wrongly: invalid name' in english
    assert "名称不合法" in chinese


def test_every_reason_of_an_app_json_refusal_is_said_in_chinese_too():
    """VER-1: the Chinese message carries a Chinese reason."""
    _english, chinese = refused_config(
        {"pages": PAGES, "plugins": {"p": {"version": "", "provider": APPID}}},
        ReleaseError.PLUGINS_INVALID,
    )
    assert "version 必须是不含控制字符的非空字符串" in chinese and "non-empty" not in chinese


# --- plugin.json (PLG-7) -------------------------------------------------------------------


def plugin_refusal(config_changes: dict) -> PlatformError:
    files = plugin_files()
    config = {**json.loads(files["plugin.json"]), **config_changes}
    files["plugin.json"] = json.dumps(config).encode()
    with pytest.raises(PlatformError) as caught:
        validate_package(io.BytesIO(make_zip(files)), limits=default_limits(), kind="plugin")
    assert_plain(caught.value.message("en"))
    assert_plain(caught.value.message("zh-hans"))
    return caught.value


def test_a_plugin_component_path_that_is_not_a_string_is_quoted_as_json():
    """PLG-7: a public component's path must be a string; the value is quoted as JSON."""
    error = plugin_refusal({"publicComponents": {"hello": {"a": 1}}})
    assert error.code is PluginPackageError.PLUGIN_COMPONENTS_INVALID
    assert '"hello": a path must be a string, not an object ({"a": 1})' in error.message("en")


def test_a_plugin_main_file_that_is_not_a_string_is_quoted_as_json():
    """PLG-7: the main file is quoted as JSON with the rule it breaks."""
    error = plugin_refusal({"main": {"a": 1}})
    assert error.code is PluginPackageError.PLUGIN_MAIN_INVALID
    assert 'the main file {"a": 1} is invalid or missing: a path must be a string' in (
        error.message("en")
    )
    assert "代码包中没有这个文件" in plugin_refusal({"main": "nope.js"}).message("zh-hans")


# --- the zip directory --------------------------------------------------------------------------


def test_a_zip_directory_that_breaks_zipfile_in_an_unusual_way_names_no_python_internals(
    monkeypatch,
):
    """VER-1: an exception zipfile raises on a hostile directory (struct.error, KeyError...)
    is said as a damaged zip directory, without the exception's type or text."""

    data = make_zip(app_files())

    def broken(*_args, **_kwargs):
        raise struct.error("unpack requires a buffer of 46 bytes")

    monkeypatch.setattr(package_validation.zipfile, "ZipFile", broken)
    with pytest.raises(PlatformError) as caught:
        validate_package(io.BytesIO(data), limits=default_limits())
    assert caught.value.code is ReleaseError.PACKAGE_NOT_A_ZIP
    english = caught.value.message("en")
    assert "the zip directory is damaged" in english
    assert "struct" not in english and "unpack" not in english


# --- ext_json of /wxa/commit ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ext", "quoted"),
    [
        ({"requiredPrivateInfos": [{"a": 1}]}, '{"a": 1}'),
        ({"pages": [{"a": 1}]}, '{"a": 1}'),
        ({"subPackages": [{"root": "sub", "pages": [{"a": 1}]}]}, '{"a": 1}'),
    ],
    ids=["private-info", "page", "subpackage-page"],
)
def test_commit_quotes_a_bad_ext_json_value_as_json(code, ext, quoted):
    """VER-1 (wechat-api 4.1): ext_json's values are quoted as JSON in errmsg; nothing is
    stored."""
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    before = snapshot()
    answer = commit(code, template_id, "2.0.0", ext=ext)
    assert answer["errcode"] in (85310, 85045), answer
    assert quoted in answer["errmsg"]
    assert_plain(answer["errmsg"])
    assert snapshot() == before
