"""What the front (`miniport serve`'s nginx) refuses itself speaks the surface's language
(issue 9 items 2 and 9): a body over the media upload routes' cap is errcode 45002 JSON,
and headers over the front's buffers are errcode 40097 JSON on the JSON API, a
return_code FAIL envelope on the pay XML API and a 431 page elsewhere, while headers
within them reach the app whole (gunicorn never answers its own HTML 431)."""

from __future__ import annotations

import json
import select
import socket
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.cli.serve_support import Served, raw_request, require_nginx

pytestmark = pytest.mark.live_server_process

MIB = 1024 * 1024
MEDIA_PATHS = ["/cgi-bin/media/upload", "/wxa/uploadmedia"]
API_PATHS = ["/cgi-bin/token", "/wxa/getpaidunionid", "/sns/jscode2session", "/runtime/v1/ping"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, migrated_database):
    """One server for the module: every test here only asks and is refused."""
    require_nginx()
    folder = tmp_path_factory.mktemp("front-refusals")
    with (
        sqlite3.connect(migrated_database) as source,
        sqlite3.connect(folder / "db.sqlite3") as target,
    ):
        source.backup(target)
    server = Served(Cli(folder), "--workers", "1")
    server.wait_until_up()
    yield server
    server.stop()


def _split(answer: bytes) -> tuple[bytes, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def _get(port: int, path: str, headers: bytes) -> tuple[bytes, dict[str, str], bytes]:
    return _split(
        raw_request(
            port,
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode()
            + headers
            + b"\r\n",
        )
    )


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def _media_cap() -> int:
    from miniport.web import limits

    caps = {pattern: size for _n, pattern, size in limits.caps_table(limits.policy_default)}
    return caps["^/(cgi-bin/media/upload|wxa/uploadmedia)$"]


def _stream_chunked(port: int, path: str, total: int) -> bytes:
    """POST `total` bytes chunked (no declared length), stopping once the server answers."""
    block = b"x" * 65536
    chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            f"POST {path}?access_token=x&type=image HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n\r\n".encode()
        )
        while sent < total:
            if select.select([connection], [], [], 0)[0]:
                break
            try:
                connection.sendall(chunk)
            except OSError:  # the server closed its side after answering
                break
            sent += len(block)
        else:
            connection.sendall(b"0\r\n\r\n")
        answer = b""
        connection.settimeout(10)
        try:
            while part := connection.recv(65536):
                answer += part
        except OSError:
            pass
    assert sent < total, "the whole body was sent: nothing refused it"
    return answer


@pytest.mark.parametrize("path", MEDIA_PATHS)
def test_a_media_upload_over_the_cap_is_errcode_45002_json_declared_or_streamed(served, path):
    """Issue 9 item 2 (README: 45002 on the server and runtime APIs): the temporary media
    and review media uploads over their front cap (12 MiB) answer HTTP 200 and errcode
    45002 JSON, never nginx's HTML 413 page, whether the body declares 25 MB or streams
    13+ MB chunked; nothing of the body is kept."""
    cap = _media_cap()
    assert cap < 13 * MIB
    declared = _split(
        raw_request(
            served.port,
            f"POST {path}?access_token=x&type=image HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {25 * MIB}\r\nConnection: close\r\n\r\n".encode(),
        )
    )
    streamed = _split(_stream_chunked(served.port, path, cap + 4 * MIB))
    for status, headers, body in (declared, streamed):
        assert status.startswith(b"HTTP/1.1 200"), (status, body[:200])
        assert headers["content-type"].startswith("application/json")
        assert json.loads(body)["errcode"] == 45002
    assert _files(served.front / "body") == []
    assert _files(served.cli.folder / "var" / "media") == []


def test_the_media_upload_location_leaves_the_refusal_to_the_surface_of_the_path(tmp_path):
    """Issue 9 item 2: no location of the front names a page refusal for API paths: the
    server's error_page picks the refusal by the request's surface (api, pay, page)."""
    from miniport.cli import front
    from miniport.web import limits

    conf = front.config(
        front=tmp_path,
        host="127.0.0.1",
        port=8000,
        backend="127.0.0.1:9000",
        outer_proxies=0,
        value=limits.policy_default,
    )
    location = conf.split("location ~ ^/(cgi-bin/media/upload|wxa/uploadmedia)$ {", 1)[1]
    assert "error_page" not in location.split("}", 1)[0]
    assert "error_page 413 = @too_large_$miniport_surface;" in conf
    assert "error_page 494 = @header_too_large_$miniport_surface;" in conf
    assert "@page_too_large" not in conf and "@api_too_large" not in conf


@pytest.mark.parametrize("size", [9 * 1024, 20 * 1024])
def test_a_header_within_the_fronts_buffer_reaches_the_app_on_every_surface(served, size):
    """Issue 9 item 9: a 9 KB or 20 KB header (over gunicorn's default field size) is
    answered by the app as without it: JSON on the API, XML on pay, the page elsewhere,
    never gunicorn's HTML 431 "Error parsing headers"."""
    big = b"X-Big: " + b"a" * size + b"\r\n"
    for path in API_PATHS:
        status, headers, body = _get(served.port, path, big)
        assert status.startswith(b"HTTP/1.1 200"), (path, status, body[:200])
        assert headers["content-type"].startswith("application/json"), path
        json.loads(body)
    status, headers, body = _get(served.port, "/pay/unifiedorder", big)
    assert status.startswith(b"HTTP/1.1 200") and body.startswith(b"<xml>"), body[:200]
    status, headers, body = _get(served.port, "/login/", big)
    assert status.startswith(b"HTTP/1.1 200"), (status, body[:200])
    assert headers["content-type"].startswith("text/html")
    ping = _get(served.port, "/runtime/v1/ping", big)
    assert json.loads(ping[2]) == {"ok": True}


def test_more_header_fields_than_gunicorns_default_reach_the_app(served):
    """Issue 9 item 9: 150 header fields (gunicorn's default allows 100) are answered."""
    many = b"".join(b"X-Field-%d: %s\r\n" % (i, b"v" * 200) for i in range(150))
    status, _headers, body = _get(served.port, "/runtime/v1/ping", many)
    assert status.startswith(b"HTTP/1.1 200"), (status, body[:200])
    assert json.loads(body) == {"ok": True}


@pytest.mark.parametrize(
    "headers",
    [
        b"X-Big: " + b"a" * 40 * 1024 + b"\r\n",
        b"".join(b"X-Part-%d: %s\r\n" % (i, b"v" * 30 * 1024) for i in range(5)),
        b"X-Few: v\r\n" * 2000,
    ],
    ids=["one-40-kb-header", "five-30-kb-headers", "two-thousand-lines"],
)
def test_headers_over_the_fronts_buffers_are_refused_in_the_surfaces_language(served, headers):
    """Issue 9 item 9: a header line over the front's 32 KB buffer, headers over its
    buffers together, or more lines than it reads: errcode 40097 JSON with HTTP 200 on
    /cgi-bin/, /wxa/, /sns/ and /runtime/ (as a long request line), the unsigned
    return_code FAIL envelope on the pay XML API, a 431 page elsewhere; never nginx's
    "Request Header Or Cookie Too Large" page, and never gunicorn's."""
    for path in API_PATHS:
        status, answer_headers, body = _get(served.port, path, headers)
        assert status.startswith(b"HTTP/1.1 200"), (path, status, body[:200])
        assert answer_headers["content-type"].startswith("application/json"), path
        assert json.loads(body)["errcode"] == 40097, path
    for path in ("/pay/unifiedorder", "/secapi/pay/refund", "/sandboxnew/pay/getsignkey"):
        status, answer_headers, body = _get(served.port, path, headers)
        assert status.startswith(b"HTTP/1.1 200"), (path, status)
        assert answer_headers["content-type"].startswith("text/xml"), path
        assert body.startswith(b"<xml><return_code><![CDATA[FAIL]]></return_code>"), body
    status, answer_headers, body = _get(served.port, "/login/", headers)
    assert status.startswith(b"HTTP/1.1 431"), (status, body[:200])
    assert answer_headers["content-type"].startswith("text/html")
    assert b"<html" in body and b"Too Large" not in body


def test_gunicorn_behind_the_front_allows_more_than_the_front_passes():
    """Issue 9 item 9: gunicorn's header limits sit above what nginx passes on (a field
    as long as the front's whole header buffers, gunicorn's most fields), so it never
    answers its own HTML refusal of headers."""
    from miniport.cli import front, serve
    from miniport.web import limits

    options = serve.behind_front_options()
    assert options["limit_request_line"] == 0
    assert options["limit_request_field_size"] > front.header_bytes_bound()
    assert front.header_bytes_bound() >= front.HEADER_BUFFERS * limits.FRONT_LINE_BYTES
    assert options["limit_request_fields"] == 32768
