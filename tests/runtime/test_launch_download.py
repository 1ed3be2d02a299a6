"""GET /runtime/v1/package: the launched package's bytes, with their hash and range
requests, through the signed URL the launch answers (B-3; issue 8 section 6)."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import urlsplit

import pytest
import time_machine

from miniport.core import clock
from miniport.releases.packages import storage
from tests.releases.version_support import app_fixture, released  # noqa: F401
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def launched(client, app):
    release = released(app, "1.0.0")
    body = launch(client, app.outsider, app.appid)
    package = release.dev_version.package
    with storage.open_package(package.storage_name) as stored:
        data = stored.read()
    return body, package, data


def test_the_download_url_serves_the_package_with_its_hash_and_needs_no_headers(client, launched):
    """B-3: the signed URL alone downloads the bytes, which hash to the manifest's sha256."""
    body, package, data = launched
    response = client.get(_path(body["download_url"]))
    assert response.status_code == 200
    served = _bytes(response)
    assert served == data and hashlib.sha256(served).hexdigest() == body["sha256"]
    assert response["Content-Length"] == str(len(data)) == str(body["size"])
    assert response["ETag"] == f'"{package.sha256}"'
    assert response["X-Content-SHA256"] == package.sha256
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/zip"


def test_a_range_request_gets_206_with_exactly_those_bytes(client, launched):
    """B-3: resumable downloads (RFC 9110 range requests)."""
    body, _package, data = launched
    path = _path(body["download_url"])
    middle = client.get(path, HTTP_RANGE="bytes=10-99")
    assert middle.status_code == 206
    assert _bytes(middle) == data[10:100]
    assert middle["Content-Range"] == f"bytes 10-99/{len(data)}"
    assert middle["Content-Length"] == "90"
    tail = client.get(path, HTTP_RANGE="bytes=-16")
    assert tail.status_code == 206 and _bytes(tail) == data[-16:]
    rest = client.get(path, HTTP_RANGE=f"bytes={len(data) - 5}-")
    assert rest.status_code == 206 and _bytes(rest) == data[-5:]
    past = client.get(path, HTTP_RANGE=f"bytes=0-{len(data) + 1000}")
    assert past.status_code == 206 and _bytes(past) == data


def test_a_range_past_the_end_gets_416(client, launched):
    """B-3: an unsatisfiable range names the size."""
    body, _package, data = launched
    response = client.get(_path(body["download_url"]), HTTP_RANGE=f"bytes={len(data)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


def test_malformed_or_multiple_ranges_and_a_stale_if_range_get_the_whole_file(client, launched):
    """B-3: what the server may ignore, it ignores: the whole file with 200."""
    body, package, data = launched
    path = _path(body["download_url"])
    for header in ("bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=abc"):
        response = client.get(path, HTTP_RANGE=header)
        assert response.status_code == 200, header
        assert _bytes(response) == data
    stale = client.get(path, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"another"')
    assert stale.status_code == 200 and _bytes(stale) == data
    fresh = client.get(path, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{package.sha256}"')
    assert fresh.status_code == 206 and _bytes(fresh) == data[:10]


def test_a_forged_or_expired_download_token_is_refused(client, launched, settings):
    """B-3: package_link_invalid, nothing served."""
    body, _package, _data = launched
    path = _path(body["download_url"])
    forged = client.get(path[:-3] + "xyz")
    assert forged.status_code == 200
    assert json.loads(forged.content)["error"] == "package_link_invalid"
    missing = client.get("/runtime/v1/package")
    assert json.loads(missing.content)["error"] == "package_link_invalid"
    later = clock.now().timestamp() + settings.PACKAGE_URL_EXPIRE_SECONDS + 5
    with time_machine.travel(later, tick=False):
        expired = client.get(path)
    assert json.loads(expired.content)["error"] == "package_link_invalid"


def test_a_store_that_signs_its_urls_gets_a_redirect(client, launched, monkeypatch, settings):
    """B-3: with S3 the download redirects to the store's own signed URL."""
    body, package, _data = launched
    monkeypatch.setattr(
        storage, "signed_url", lambda name, expires: f"https://store.example/{name}?sig=1"
    )
    settings.PACKAGE_DOWNLOAD_REDIRECT = True
    response = client.get(_path(body["download_url"]))
    assert response.status_code == 302
    assert response["Location"] == f"https://store.example/{package.storage_name}?sig=1"
    settings.PACKAGE_DOWNLOAD_REDIRECT = False
    assert client.get(_path(body["download_url"])).status_code == 200
