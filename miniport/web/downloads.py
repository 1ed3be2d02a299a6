"""Code package downloads with their hash and byte ranges (issue 8, section 6; VER-1, B-3).

`package_response(request, sha256=..., storage_name=...)` answers a stored package, and
`ranged_response(request, opener=..., size=..., sha256_hex=...)` any bytes of known hash
(the runtime's `/runtime/v1/package` does its redirect itself and calls this one):

- a redirect (302) to a signed store URL when the storage offers one (S3's presigned
  URLs, `releases.packages.storage.signed_url`) and `settings.PACKAGE_DOWNLOAD_REDIRECT`
  is on; the hash headers go with the redirect;
- otherwise the bytes, streamed from the storage in chunks, with `ETag: "<sha256>"`
  (strong: the name is the content), `Last-Modified` (when the package was stored: the
  caller's `last_modified`, else the storage's time of the object, left out when the
  storage cannot tell), `X-Package-SHA256` and `X-Content-SHA256` (hex),
  `Repr-Digest: sha-256=:<base64>:` (RFC 9530), `Accept-Ranges: bytes`,
  `Content-Length`, `Cache-Control: private, max-age=...` (the bytes never change, but
  who may fetch them does);
- `If-None-Match` naming the hash (or `*`): 304 without a body; without If-None-Match,
  `If-Modified-Since` at or after Last-Modified: 304 too (RFC 9110 13.2.2: If-None-Match
  decides when both are sent; an unparsable date is ignored);
- one range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`): 206 with `Content-Range`;
  a range that starts past the end (or `bytes=-0`): 416 with `Content-Range: bytes */size`;
  `If-Range` with another validator (neither the ETag nor exactly the Last-Modified
  date): the whole file;
- several ranges (`bytes=0-1,5-9`): the whole file with 200 (RFC 9110 lets a server
  ignore Range; multipart/byteranges helps no package client); a Range header that does
  not parse as bytes ranges is ignored the same way;
- HEAD: the same headers, no body.

The runtime's `/runtime/v1/...` download route calls it after its own checks (who may run
which package); this module decides nothing about access.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import http_date, parse_http_date_safe

from miniport.releases.packages import storage

CHUNK_BYTES = 64 * 1024
CONTENT_TYPE = "application/zip"
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def _hash_headers(
    response: HttpResponseBase, sha256: str, last_modified: int | None = None
) -> None:
    response["ETag"] = f'"{sha256}"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["X-Package-SHA256"] = sha256
    response["X-Content-SHA256"] = sha256
    # RFC 9530: the digest of the whole representation, whatever range is sent.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"
    response["Cache-Control"] = "private, max-age=3600"


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """One byte range of a file of `size` bytes, inclusive: (first, last); None when the
    header asks for the whole file (absent, several ranges, not bytes ranges); "416" when
    it cannot be satisfied."""
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last n bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            return "416"
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None  # syntactically invalid: ignored (RFC 9110 14.1.1)
    if first >= size:
        return "416"
    return first, min(last, size - 1)


def _stream(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        if first:
            handle.seek(first)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK_BYTES, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _etag_matches(header: str, sha256: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or f'"{sha256}"' in tags


def _seconds(moment: datetime | None) -> int | None:
    """A moment as whole seconds since the epoch (HTTP dates have no finer unit)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def stored_at(name: str) -> datetime | None:
    """When the storage wrote the object `name` (its bytes never change after: the name
    is their hash); None when the storage cannot tell or holds no such object."""
    try:
        return storage.package_storage().get_modified_time(name)
    except (NotImplementedError, OSError, ValueError):
        return None


def _not_modified(request: HttpRequest, sha256: str, last_modified: int | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match when sent, else If-Modified-Since (GET and HEAD)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return _etag_matches(if_none_match, sha256)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return last_modified is not None and since is not None and last_modified <= since


def _if_range_holds(header: str, sha256: str, last_modified: int | None) -> bool:
    """Whether the client's copy (named by If-Range: an entity tag or a date) is this
    file: the strong ETag, or exactly the Last-Modified date."""
    value = header.strip()
    if value == f'"{sha256}"':
        return True
    if value.startswith(('"', "W/")):
        return False
    when = parse_http_date_safe(value)
    return when is not None and last_modified is not None and when == last_modified


def ranged_response(
    request: HttpRequest,
    *,
    opener: Callable[[], IO[bytes]],
    size: int,
    sha256_hex: str,
    content_type: str = CONTENT_TYPE,
    filename: str | None = None,
    last_modified: datetime | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """The bytes `opener()` gives (`size` of them, hashing to `sha256_hex`) as the answer
    to this GET or HEAD request, honouring If-None-Match, If-Modified-Since, Range and
    If-Range; the file is opened only when bytes are sent, and closed when the stream
    ends. `last_modified` is when the bytes were stored (no Last-Modified without it;
    `package_response` asks the package storage)."""
    sha256 = sha256_hex
    modified = _seconds(last_modified)
    if _not_modified(request, sha256, modified):
        unchanged = HttpResponse(status=304)
        del unchanged["Content-Type"]  # no body: nothing to type
        _hash_headers(unchanged, sha256, modified)
        return unchanged

    wanted = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if (
        wanted is not None
        and if_range is not None
        and not _if_range_holds(if_range, sha256, modified)
    ):
        wanted = None  # the client's copy is another file: send this one whole
    if wanted == "416":
        refused = HttpResponse(status=416)
        del refused["Content-Type"]  # no body: nothing to type (Django's default is HTML)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        _hash_headers(refused, sha256, modified)
        return refused

    first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = max(0, last - first + 1)
    response: HttpResponse | StreamingHttpResponse
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = StreamingHttpResponse(
            _stream(opener(), first, length), content_type=content_type
        )
    if isinstance(wanted, tuple):
        response.status_code = 206
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'attachment; filename="{filename or sha256 + ".zip"}"'
    _hash_headers(response, sha256, modified)
    return response


def package_response(
    request: HttpRequest,
    *,
    sha256: str,
    storage_name: str,
    size: int | None = None,
    filename: str | None = None,
    redirect: bool | None = None,
    last_modified: datetime | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """The stored package `storage_name` (whose content hashes to `sha256`) as the answer
    to this GET or HEAD request: a redirect to the store's signed URL when there is one
    (and `redirect`, default `settings.PACKAGE_DOWNLOAD_REDIRECT`), else
    `ranged_response` over the stored bytes."""
    if redirect is None:
        redirect = settings.PACKAGE_DOWNLOAD_REDIRECT
    if redirect:
        url = storage.signed_url(storage_name, expires=settings.PACKAGE_URL_EXPIRE_SECONDS)
        if url is not None:
            moved = HttpResponseRedirect(url)
            _hash_headers(moved, sha256)
            moved["Cache-Control"] = "no-store"  # the signature expires
            return moved
    return ranged_response(
        request,
        opener=lambda: storage.open_package(storage_name),
        size=storage.size(storage_name) if size is None else size,
        sha256_hex=sha256,
        filename=filename,
        last_modified=last_modified or stored_at(storage_name),
    )
