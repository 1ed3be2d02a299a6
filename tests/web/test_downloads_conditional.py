"""A stored package carries a strong ETag (its sha256) and Last-Modified (when it was
stored), and conditional GET and HEAD (If-None-Match, If-Modified-Since, If-Range with a
date) are answered as RFC 9110 says (`miniport.web.downloads`). (B-3)"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils.http import http_date, parse_http_date

from miniport.releases.packages import storage
from miniport.web import downloads

DATA = bytes(range(256)) * 40
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def stored(settings):
    settings.PACKAGE_DOWNLOAD_REDIRECT = False
    return storage.store(SHA, io.BytesIO(DATA))


def get(name, method="get", **headers):
    request = getattr(RequestFactory(), method)("/download", **headers)
    return downloads.package_response(request, sha256=SHA, storage_name=name)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_date(name) -> str:
    moment = storage.package_storage().get_modified_time(name)
    return http_date(moment.timestamp())


def test_the_package_names_its_hash_and_when_it_was_stored(stored):
    response = get(stored)
    assert response.status_code == 200
    assert response["ETag"] == f'"{SHA}"'
    assert not response["ETag"].startswith("W/")
    assert response["Last-Modified"] == stored_date(stored)


@pytest.mark.parametrize("method", ["get", "head"])
def test_if_modified_since_at_or_after_the_store_gets_304_without_a_body(stored, method):
    last_modified = stored_date(stored)
    later = http_date(parse_http_date(last_modified) + 3600)
    for since in (last_modified, later):
        response = get(stored, method=method, HTTP_IF_MODIFIED_SINCE=since)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == f'"{SHA}"'
        assert response["Last-Modified"] == last_modified


def test_if_modified_since_before_the_store_gets_the_bytes(stored):
    earlier = http_date(parse_http_date(stored_date(stored)) - 1)
    response = get(stored, HTTP_IF_MODIFIED_SINCE=earlier)
    assert response.status_code == 200 and body(response) == DATA


def test_an_unreadable_if_modified_since_is_ignored(stored):
    response = get(stored, HTTP_IF_MODIFIED_SINCE="yesterday")
    assert response.status_code == 200 and body(response) == DATA


def test_if_none_match_decides_over_if_modified_since(stored):
    """RFC 9110 13.2.2: another entity tag means another file, whatever the date says."""
    later = http_date(parse_http_date(stored_date(stored)) + 3600)
    response = get(stored, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=later)
    assert response.status_code == 200 and body(response) == DATA
    response = get(stored, HTTP_IF_NONE_MATCH=f'"{SHA}"', HTTP_IF_MODIFIED_SINCE="yesterday")
    assert response.status_code == 304


def test_if_range_with_the_last_modified_date_gets_the_range(stored):
    last_modified = stored_date(stored)
    fresh = get(stored, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=last_modified)
    assert fresh.status_code == 206 and body(fresh) == DATA[:10]
    assert fresh["Last-Modified"] == last_modified
    other = http_date(parse_http_date(last_modified) - 60)
    stale = get(stored, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=other)
    assert stale.status_code == 200 and body(stale) == DATA


def test_a_range_past_the_end_is_still_416_with_the_validators(stored):
    response = get(stored, HTTP_RANGE=f"bytes={len(DATA)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert response["Last-Modified"] == stored_date(stored)


def test_the_caller_may_name_when_the_package_was_stored(stored):
    """The runtime knows when its package row was made; that date is the one sent."""
    moment = datetime(2024, 3, 1, 8, 30, 15, 500000, tzinfo=UTC)
    request = RequestFactory().get("/download")
    response = downloads.ranged_response(
        request,
        opener=lambda: storage.open_package(stored),
        size=len(DATA),
        sha256_hex=SHA,
        last_modified=moment,
    )
    assert response["Last-Modified"] == "Fri, 01 Mar 2024 08:30:15 GMT"
    since = http_date((moment + timedelta(seconds=0.2)).timestamp())
    request = RequestFactory().get("/download", HTTP_IF_MODIFIED_SINCE=since)
    unchanged = downloads.ranged_response(
        request,
        opener=lambda: storage.open_package(stored),
        size=len(DATA),
        sha256_hex=SHA,
        last_modified=moment,
    )
    assert unchanged.status_code == 304


def test_bytes_the_storage_cannot_date_go_without_last_modified(stored):
    request = RequestFactory().get("/download", HTTP_IF_MODIFIED_SINCE=stored_date(stored))
    response = downloads.ranged_response(
        request, opener=lambda: io.BytesIO(b"abc"), size=3, sha256_hex="ab" * 32
    )
    assert response.status_code == 200
    assert not response.has_header("Last-Modified")
