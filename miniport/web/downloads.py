"""Code package downloads with their hash and byte ranges (issue 8, section 6; VER-1, B-3).

`package_response(request, sha256=..., storage_name=...)` answers a stored package, and
`ranged_response(request, opener=..., size=..., sha256_hex=...)` any bytes of known hash
(the runtime's `/runtime/v1/package` does its redirect itself and calls this one):

- a redirect (302) to a signed store URL when the storage offers one (S3's presigned
  URLs, `releases.packages.storage.signed_url`) and `settings.PACKAGE_DOWNLOAD_REDIRECT`
  is on; the hash headers go with the redirect;
- otherwise the bytes, streamed from the storage in chunks, with `ETag: "<sha256>"`
  (strong: the name is the content), `X-Package-SHA256` and `X-Content-SHA256` (hex),
  `Repr-Digest: sha-256=:<base64>:` (RFC 9530), `Accept-Ranges: bytes`,
  `Content-Length`, `Cache-Control: private, max-age=...` (the bytes never change, but
  who may fetch them does);
- `If-None-Match` naming the hash (or `*`): 304 without a body;
- one range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`): 206 with `Content-Range`;
  a range that starts past the end (or `bytes=-0`): 416 with `Content-Range: bytes */size`;
  `If-Range` with another validator: the whole file;
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
from typing import IO

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)

from miniport.releases.packages import storage

CHUNK_BYTES = 64 * 1024
CONTENT_TYPE = "application/zip"
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def _hash_headers(response: HttpResponseBase, sha256: str) -> None:
    response["ETag"] = f'"{sha256}"'
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


def ranged_response(
    request: HttpRequest,
    *,
    opener: Callable[[], IO[bytes]],
    size: int,
    sha256_hex: str,
    content_type: str = CONTENT_TYPE,
    filename: str | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """The bytes `opener()` gives (`size` of them, hashing to `sha256_hex`) as the answer
    to this GET or HEAD request, honouring If-None-Match, Range and If-Range; the file is
    opened only when bytes are sent, and closed when the stream ends."""
    sha256 = sha256_hex
    if _etag_matches(request.headers.get("If-None-Match", ""), sha256):
        unchanged = HttpResponse(status=304)
        _hash_headers(unchanged, sha256)
        return unchanged

    wanted = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if wanted is not None and if_range is not None and if_range.strip() != f'"{sha256}"':
        wanted = None  # the client's copy is another file: send this one whole
    if wanted == "416":
        refused = HttpResponse(status=416)
        del refused["Content-Type"]  # no body: nothing to type (Django's default is HTML)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        _hash_headers(refused, sha256)
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
    _hash_headers(response, sha256)
    return response


def package_response(
    request: HttpRequest,
    *,
    sha256: str,
    storage_name: str,
    size: int | None = None,
    filename: str | None = None,
    redirect: bool | None = None,
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
    )
