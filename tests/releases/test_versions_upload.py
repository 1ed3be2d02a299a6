"""VER-1: development versions. Every upload is validated before anything is stored,
stored once by sha256, kept in the history; each developer's latest upload and the
package's file tree are readable; a refused upload leaves no row and no file."""

from __future__ import annotations

import io

import pytest

from miniport.core.errors import CoreError
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.models import CodePackage, DevVersion
from miniport.releases.packages import storage
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    events_of,
    package_bytes,
    refused,
    stored_files,
    upload,
)
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.django_db


def test_an_upload_records_version_developer_time_and_note(app):
    """VER-1: version number, developer, time, note."""
    version = upload(app, "1.2.3", user_desc="first try")
    assert (version.user_version, version.user_desc) == ("1.2.3", "first try")
    assert version.developer_identity == app.developer
    assert version.developer_label == app.developer.wechat_id
    assert version.uploaded_at is not None and version.source == "console"
    assert storage.exists(version.package.storage_name)
    assert (
        version.package.storage_name
        == f"packages/{version.package.sha256[:2]}/{version.package.sha256}.zip"
    )
    assert version.package.manifest["pages"] == ["pages/index/index", "pages/logs/logs"]
    [event] = events_of("code.uploaded")
    assert event["appid"] == app.appid and event["user_version"] == "1.2.3"
    assert event["sha256"] == version.package.sha256


def test_the_same_bytes_are_stored_once_and_each_upload_is_kept(app):
    """VER-1: the history is kept; a package is stored once by its sha256."""
    data = package_bytes("same")
    first = upload(app, "1.0.0", data=data)
    second = upload(app, "1.0.1", data=data)
    assert first.package_id == second.package_id
    assert CodePackage.objects.count() == 1 and DevVersion.objects.count() == 2
    assert stored_files() == [first.package.storage_name]


def test_the_stored_bytes_are_the_uploaded_bytes(app):
    data = package_bytes("bytes")
    version = upload(app, data=data)
    with storage.open_package(version.package.storage_name) as stored:
        assert stored.read() == data


def test_a_hostile_package_is_refused_before_anything_is_stored(app):
    """VER-1 (issue 8 §1): a refused upload leaves no row and no file."""
    files = app_files()
    files["../evil.js"] = b"x"
    refused(lambda: upload(app, data=make_zip(files)), ReleaseError.ENTRY_NAME_PARENT)
    assert stored_files() == []


def test_a_package_missing_a_page_file_is_refused_and_nothing_is_kept(app):
    files = app_files()
    del files["pages/logs/logs.wxml"]
    refused(lambda: upload(app, data=make_zip(files)), ReleaseError.PAGE_FILES_MISSING)


@pytest.mark.parametrize(
    ("version", "code"),
    [
        ("", CoreError.FIELD_REQUIRED),
        ("   ", CoreError.FIELD_REQUIRED),
        ("9" * 65, CoreError.FIELD_INVALID),
    ],
)
def test_a_missing_or_too_long_version_number_is_refused(app, version, code):
    """VER-1: the version number is required, at most 64 characters (wechat-api 4.1)."""
    refused(lambda: upload(app, version), code)


def test_a_too_long_note_and_an_unknown_source_are_refused(app):
    refused(lambda: upload(app, user_desc="x" * 501), CoreError.FIELD_INVALID)
    refused(lambda: upload(app, source="ftp"), CoreError.FIELD_INVALID)


def test_a_non_seekable_stream_is_accepted(app):
    data = package_bytes("stream")

    class Stream(io.RawIOBase):
        def __init__(self):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    from miniport.releases import services

    version = services.version_upload(
        actor=app.developer_actor,
        miniprogram=app.miniprogram,
        archive=Stream(),
        user_version="2.0.0",
        user_desc="",
    )
    with storage.open_package(version.package.storage_name) as stored:
        assert stored.read() == data


def test_each_developers_latest_upload_is_listed_with_the_history_kept(app):
    """VER-1: each developer's latest upload; the history stays readable."""
    upload(app, "1.0.0")
    mine = upload(app, "1.0.1")
    admins = upload(app, "0.9.0", actor=app.admin_actor)
    assert selectors.latest_per_developer(app.miniprogram) == [admins, mine]
    assert [v.user_version for v in selectors.dev_versions(app.miniprogram)] == [
        "0.9.0",
        "1.0.1",
        "1.0.0",
    ]


def test_the_package_file_tree_is_browsable(app):
    """VER-1 (issue 8 §2): the package's file tree, folders first, sizes summed."""
    version = upload(app)
    tree = selectors.file_tree(version)
    names = [node.name for node in tree.children]
    assert names == ["pages", "app.js", "app.json", "app.wxss"]
    pages = tree.children[0]
    assert [node.name for node in pages.children] == ["index", "logs"]
    assert tree.size == sum(node.size for node in tree.children)
    assert selectors.read_package_file(version, "pages/index/index.wxml", limit=100) == (
        b"<view>hello</view>\n"
    )
    assert selectors.read_package_file(version, "../etc/passwd", limit=100) is None


def test_the_database_stores_a_package_once_per_sha256(app):
    """VER-1: stored once by sha256, held by the database past the services."""
    from django.db import IntegrityError

    version = upload(app)
    with pytest.raises(IntegrityError):
        CodePackage.objects.create(
            sha256=version.package.sha256,
            size=1,
            storage_name="elsewhere.zip",
            created_at=version.uploaded_at,
        )


def test_an_upload_by_the_server_api_is_labelled_with_the_app(app):
    from miniport.core.actors import Actor

    version = upload(app, actor=Actor.for_app(app.appid), source="api")
    assert version.developer_identity is None and version.developer_label == app.appid
    assert version.source == "api"
