"""Issue 8 section 6, VER-1, B-3: a stored package answered with its hash and byte
ranges (`miniport.web.downloads`), through a tiny view like the runtime's."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from django.test import RequestFactory

from miniport.releases.packages import storage
from miniport.web import downloads

DATA = bytes(range(256)) * 1000  # 256,000 bytes, every offset distinct enough
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def stored(settings):
    settings.PACKAGE_DOWNLOAD_REDIRECT = True
    return storage.store(SHA, io.BytesIO(DATA))


def view(request, name):
    """The tiny view: what a surface does after deciding who may download."""
    return downloads.package_response(request, sha256=SHA, storage_name=name)


def get(name, method="get", **headers):
    request = getattr(RequestFactory(), method)("/download", **headers)
    return view(request, name)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_package_comes_with_its_hash_and_length(stored):
    """VER-1: ETag and X-Package-SHA256 name the sha256; ranges are announced."""
    response = get(stored)
    assert response.status_code == 200
    assert body(response) == DATA
    assert response["ETag"] == f'"{SHA}"'
    assert response["X-Package-SHA256"] == SHA
    digest = base64.b64encode(hashlib.sha256(DATA).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(DATA))
    assert response["Content-Type"] == "application/zip"


def test_the_body_is_streamed_in_bounded_chunks(stored):
    """VER-1: never the whole file in memory at once."""
    chunks = list(get(stored).streaming_content)
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= downloads.CHUNK_BYTES


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),
        ("bytes=100-1099", 100, 1099),
        ("bytes=255000-", 255000, len(DATA) - 1),
        ("bytes=-500", len(DATA) - 500, len(DATA) - 1),
        (f"bytes=1000-{len(DATA) + 50}", 1000, len(DATA) - 1),
        (f"bytes=-{len(DATA) * 2}", 0, len(DATA) - 1),
    ],
)
def test_a_single_range_gets_206_with_exactly_those_bytes(stored, header, first, last):
    """Issue 8 section 6: resumable downloads."""
    response = get(stored, HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == DATA[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(DATA)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["ETag"] == f'"{SHA}"'


@pytest.mark.parametrize("header", [f"bytes={len(DATA)}-", f"bytes={len(DATA) + 9}-", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416_naming_the_size(stored, header):
    """Issue 8 section 6: 416 with Content-Range: bytes */size."""
    response = get(stored, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-9", "lines=0-5", "bytes=9-3", "bytes=x-", "bytes=-"]
)
def test_several_or_malformed_ranges_get_the_whole_file(stored, header):
    """Issue 8 section 6: several ranges answer the whole file (200), as RFC 9110 allows."""
    response = get(stored, HTTP_RANGE=header)
    assert response.status_code == 200 and body(response) == DATA


def test_if_range_with_another_validator_gets_the_whole_file(stored):
    """Issue 8 section 6: a client holding another file restarts."""
    stale = get(stored, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"0000"')
    assert stale.status_code == 200 and body(stale) == DATA
    fresh = get(stored, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{SHA}"')
    assert fresh.status_code == 206 and body(fresh) == DATA[:10]


def test_if_none_match_with_the_hash_gets_304_without_a_body(stored):
    """VER-1: the ETag is the content's hash, so a client holding it downloads nothing."""
    response = get(stored, HTTP_IF_NONE_MATCH=f'"{SHA}"')
    assert response.status_code == 304 and response.content == b""
    assert get(stored, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_answers_the_headers_without_the_bytes(stored):
    """Issue 8 section 6: HEAD tells the size and hash."""
    response = get(stored, method="head")
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == str(len(DATA))
    assert response["X-Package-SHA256"] == SHA


def test_a_storage_that_signs_urls_gets_a_redirect_carrying_the_hash(stored, monkeypatch):
    """Issue 8 section 6: redirected to the store's signed URL (S3 presigned)."""
    monkeypatch.setattr(
        storage,
        "signed_url",
        lambda name, expires: f"https://store.example/{name}?X-Amz-Signature=1",
    )
    response = get(stored)
    assert response.status_code == 302
    assert response["Location"] == f"https://store.example/{stored}?X-Amz-Signature=1"
    assert response["X-Package-SHA256"] == SHA and response["ETag"] == f'"{SHA}"'


def test_with_redirects_turned_off_the_platform_streams_the_bytes(stored, monkeypatch, settings):
    """Issue 8 section 6: a store the host app cannot reach is streamed through."""
    monkeypatch.setattr(storage, "signed_url", lambda name, expires: "https://store.example/x")
    settings.PACKAGE_DOWNLOAD_REDIRECT = False
    response = get(stored)
    assert response.status_code == 200 and body(response) == DATA


def test_the_file_is_closed_once_the_stream_ends(stored, monkeypatch):
    """Issue 8 section 6: no handle left open after a ranged answer."""
    opened: list = []
    original = storage.open_package

    def tracking(name):
        handle = original(name)
        opened.append(handle)
        return handle

    monkeypatch.setattr(storage, "open_package", tracking)
    body(get(stored, HTTP_RANGE="bytes=0-99"))
    assert opened and opened[0].closed
