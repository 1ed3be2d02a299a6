"""HEAD /runtime/v1/package and an unsatisfiable range: the download's own headers, never
a JSON error's, and no page type on an empty 416 (B-3; issue 8 section 6)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from miniport.releases.packages import storage
from miniport.wsgi import application
from tests.releases.version_support import app_fixture, released  # noqa: F401
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def launched(client, app):
    release = released(app, "1.0.0")
    body = launch(client, app.outsider, app.appid)
    package = release.dev_version.package
    with storage.open_package(package.storage_name) as stored:
        data = stored.read()
    return _path(body["download_url"]), package, data


def _zip_headers(response, package, length: int) -> None:
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Length"] == str(length)
    assert response["ETag"] == f'"{package.sha256}"'
    assert response["Accept-Ranges"] == "bytes"


def test_head_with_a_valid_token_answers_the_zips_headers_and_no_body(client, launched):
    """B-3: HEAD of the signed download URL answers what GET would (type, length, ETag,
    ranges), without the bytes, and not the 43002 JSON refusal of a GET-only route."""
    path, package, data = launched
    head = client.head(path)
    assert head.status_code == 200
    _zip_headers(head, package, len(data))
    assert head.content == b""
    got = client.get(path)
    assert got["Content-Type"] == head["Content-Type"]
    assert got["Content-Length"] == head["Content-Length"]


def test_head_with_a_range_answers_the_ranges_headers(client, launched):
    """B-3: a resuming client's HEAD with a range gets 206 and that range's headers."""
    path, package, data = launched
    head = client.head(path, HTTP_RANGE="bytes=10-99")
    assert head.status_code == 206
    _zip_headers(head, package, 90)
    assert head["Content-Range"] == f"bytes 10-99/{len(data)}"
    assert head.content == b""


@pytest.mark.django_db(transaction=True)  # the WSGI handler checks connections as served
def test_head_through_the_wsgi_lane_answers_the_zips_headers_and_no_body(launched, rf):
    """B-3: the served path (the lean WSGI lane of the APIs) answers HEAD the same way."""
    path, package, data = launched
    request = rf.head(path, HTTP_HOST="testserver")
    started: list = []
    body = application(request.environ, lambda status, headers: started.append((status, headers)))
    content = b"".join(body)
    getattr(body, "close", lambda: None)()
    status, headers = started[0]
    named = dict(headers)
    assert status.startswith("200"), (status, content[:200])
    assert named["Content-Type"] == "application/zip"
    assert named["Content-Length"] == str(len(data))
    assert named["ETag"] == f'"{package.sha256}"'
    assert named["Accept-Ranges"] == "bytes"
    assert content == b""


def test_head_with_a_forged_token_is_still_the_json_refusal(client, launched):
    """B-3: HEAD gives no way around the token: a forged one is package_link_invalid."""
    path, _package, _data = launched
    forged = client.get(path[:-3] + "xyz")
    assert json.loads(forged.content)["error"] == "package_link_invalid"
    head = client.head(path[:-3] + "xyz")
    assert head.status_code == 200
    assert head["Content-Type"].startswith("application/json")


def test_a_range_starting_at_the_size_is_416_with_no_html_type(client, launched):
    """B-3: `bytes=<size>-` is 416 naming the size, with an empty body that claims no
    page type (it was an empty `text/html`)."""
    path, package, data = launched
    for method in (client.get, client.head):
        refused = method(path, HTTP_RANGE=f"bytes={len(data)}-")
        assert refused.status_code == 416
        assert refused["Content-Range"] == f"bytes */{len(data)}"
        assert "Content-Type" not in refused
        assert refused.content == b""
        assert refused["ETag"] == f'"{package.sha256}"'
