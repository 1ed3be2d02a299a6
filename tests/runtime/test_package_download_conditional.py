"""GET and HEAD /runtime/v1/package send the package's strong ETag and Last-Modified, and
answer a client that holds the package (If-None-Match, If-Modified-Since) with 304. (B-3)"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.releases.version_support import app_fixture, released  # noqa: F401
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(client, app):
    release = released(app, "1.0.0")
    parts = urlsplit(launch(client, app.outsider, app.appid)["download_url"])
    return f"{parts.path}?{parts.query}", release.dev_version.package


@pytest.mark.parametrize("method", ["get", "head"])
def test_the_download_carries_its_validators_and_answers_304_to_a_client_holding_it(
    client, download, method
):
    path, package = download
    first = getattr(client, method)(path)
    assert first.status_code == 200
    assert first["ETag"] == f'"{package.sha256}"'
    last_modified = first["Last-Modified"]
    assert last_modified.endswith(" GMT")
    for headers in (
        {"HTTP_IF_MODIFIED_SINCE": last_modified},
        {"HTTP_IF_NONE_MATCH": f'"{package.sha256}"'},
    ):
        again = getattr(client, method)(path, **headers)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == f'"{package.sha256}"'
        assert again["Last-Modified"] == last_modified


def test_ranges_still_work_beside_the_validators(client, download):
    path, package = download
    ranged = client.get(path, HTTP_RANGE="bytes=0-9")
    assert ranged.status_code == 206
    assert len(b"".join(ranged.streaming_content)) == 10
    assert ranged["Last-Modified"]
    assert client.get(path, HTTP_RANGE=f"bytes={package.size}-").status_code == 416
