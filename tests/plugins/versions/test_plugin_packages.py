"""PLG-7: a plugin package is checked like a mini program's (the same streaming zip
checks: zip bombs, path traversal, symbolic links ...), with plugin.json at its root
instead of app.json: its public components, pages and main file must exist."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import validate_package
from miniport.releases.packages.pluginjson import PluginPackageError
from tests.plugins.makers import plugin_files, plugin_zip
from tests.releases.zips import MIB, Raw, default_limits, deflated_zeros, make_zip, raw_zip


def validate(data: bytes):
    return validate_package(io.BytesIO(data), limits=default_limits(), kind="plugin")


def refused(data: bytes, code, entry: str | None = None) -> PlatformError:
    with pytest.raises(PlatformError) as caught:
        validate(data)
    assert caught.value.code == code, caught.value
    if entry is not None:
        assert caught.value.params.get("entry") == entry, caught.value.params
    return caught.value


def raw_plugin(*hostile: Raw) -> bytes:
    return raw_zip([Raw(name, data) for name, data in plugin_files().items()] + list(hostile))


def test_plg7_the_manifest_records_what_plugin_json_declares():
    files = plugin_files()
    config = json.loads(files["plugin.json"])
    config["pages"] = {"intro": "pages/intro/intro"}
    files["plugin.json"] = json.dumps(config).encode()
    files["pages/intro/intro.js"] = b"Page({})"
    files["pages/intro/intro.wxml"] = b"<view/>"
    manifest = validate(make_zip(files))
    assert manifest.plugin is not None
    assert manifest.plugin.public_components == (("hello", "components/hello/hello"),)
    assert manifest.plugin.pages == (("intro", "pages/intro/intro"),)
    assert manifest.plugin.main == "index.js"
    assert manifest.pages == ()
    assert type(manifest).from_dict(manifest.as_dict()) == manifest


def test_plg7_a_doc_folder_in_a_code_upload_is_just_files():
    files = {**plugin_files(), "doc/README.md": b"# hello", "doc/a.png": b"\x89PNG"}
    manifest = validate(make_zip(files))
    assert "doc/README.md" in {file.path for file in manifest.files}


def test_plg7_a_package_without_plugin_json_is_refused_naming_it():
    files = plugin_files()
    del files["plugin.json"]
    error = refused(make_zip(files), ReleaseError.APP_JSON_MISSING, "plugin.json")
    assert "plugin.json" in error.message("en")


def test_plg7_a_mini_program_package_is_no_plugin_package():
    files = {"app.json": b'{"pages": ["pages/a/a"]}', "pages/a/a.js": b"", "pages/a/a.wxml": b""}
    refused(make_zip(files), ReleaseError.APP_JSON_MISSING, "plugin.json")


def test_plg7_a_plugin_package_is_no_mini_program_package():
    with pytest.raises(PlatformError) as caught:
        validate_package(io.BytesIO(plugin_zip()), limits=default_limits())
    assert caught.value.code == ReleaseError.APP_JSON_MISSING


def test_plg7_plugin_json_that_is_no_json_object_is_refused():
    files = {**plugin_files(), "plugin.json": b"[1, 2"}
    refused(make_zip(files), ReleaseError.APP_JSON_INVALID, "plugin.json")


@pytest.mark.parametrize("missing", [".js", ".json", ".wxml"])
def test_plg7_a_public_component_missing_a_file_is_refused_naming_it(missing):
    files = plugin_files()
    del files["components/hello/hello" + missing]
    error = refused(
        make_zip(files),
        PluginPackageError.PLUGIN_COMPONENT_FILES_MISSING,
        "components/hello/hello" + missing,
    )
    assert "hello" in error.message("zh-hans")


def test_plg7_a_plugin_without_public_components_is_refused():
    files = {**plugin_files(), "plugin.json": b'{"main": "index.js"}'}
    refused(make_zip(files), PluginPackageError.PLUGIN_COMPONENTS_INVALID, "plugin.json")


def test_plg7_a_component_path_climbing_out_of_the_package_is_refused():
    files = {**plugin_files(), "plugin.json": b'{"publicComponents": {"x": "../x"}}'}
    refused(make_zip(files), PluginPackageError.PLUGIN_COMPONENTS_INVALID, "plugin.json")


def test_plg7_a_page_missing_its_wxml_is_refused():
    config = {"publicComponents": {"hello": "components/hello/hello"}, "pages": {"p": "pages/p"}}
    files = {**plugin_files(), "plugin.json": json.dumps(config).encode(), "pages/p.js": b""}
    refused(make_zip(files), ReleaseError.PAGE_FILES_MISSING, "pages/p.wxml")


def test_plg7_a_missing_main_file_is_refused():
    files = plugin_files()
    del files["index.js"]
    refused(make_zip(files), PluginPackageError.PLUGIN_MAIN_INVALID, "plugin.json")


def test_plg7_a_zip_bomb_is_refused_by_the_compression_ratio():
    payload, crc = deflated_zeros(MIB)
    bomb = Raw("bomb.js", payload=payload, crc=crc, file_size=MIB)
    refused(raw_plugin(bomb), ReleaseError.ENTRY_RATIO_TOO_HIGH, "bomb.js")


def test_plg7_path_traversal_is_refused():
    refused(raw_plugin(Raw("../evil.js", b"x")), ReleaseError.ENTRY_NAME_PARENT)


def test_plg7_a_symbolic_link_is_refused():
    link = Raw(
        "components/link.js",
        b"/etc/passwd",
        method=zipfile.ZIP_STORED,
        external_attr=0o120777 << 16,
    )
    refused(raw_plugin(link), ReleaseError.ENTRY_SYMLINK, "components/link.js")


def test_plg7_a_nested_archive_is_refused():
    refused(raw_plugin(Raw("inner.zip", make_zip({"a": b"b"}))), ReleaseError.ENTRY_NESTED_ARCHIVE)
