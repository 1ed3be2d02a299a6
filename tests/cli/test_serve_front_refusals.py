"""What the front (`miniport serve`'s nginx) refuses itself speaks the surface's language
(issue 9 items 2 and 9): a body over the media upload routes' cap is errcode 45002 JSON,
and headers over the front's buffers are errcode 40097 JSON on the JSON API, a
return_code FAIL envelope on the pay XML API and a 431 page elsewhere, while headers
within them reach the app whole (gunicorn never answers its own HTML 431). So do the
requests nginx will not pass on (a second Host, Content-Length beside Transfer-Encoding,
an unknown Transfer-Encoding) and a backend that crashed or was too slow (502, 504):
never nginx's own HTML pages."""

from __future__ import annotations

import json
import re
import select
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.cli.serve_support import Served, free_port, raw_request, require_nginx

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
    assert "error_page 413 = /.miniport/too-large/$miniport_surface;" in conf
    assert "error_page 494 = /.miniport/header-too-large/$miniport_surface;" in conf
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


PAY_PATHS = ["/pay/orderquery", "/secapi/pay/refund", "/sandboxnew/pay/getsignkey"]
FAIL_ENVELOPE = b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg>"
NGINX_PAGE = re.compile(rb"<center>nginx</center>|<hr>")


def _ask(port: int, method: str, path: str, headers: bytes, body: bytes = b"") -> tuple:
    return _split(
        raw_request(
            port,
            f"{method} {path} HTTP/1.1\r\nConnection: close\r\n".encode()
            + headers
            + b"\r\n"
            + body,
        )
    )


def _unchunked(headers: dict[str, str], body: bytes) -> bytes:
    """The body of an answer the app gave without a length (nginx chunks it then)."""
    if headers.get("transfer-encoding") != "chunked":
        return body
    whole = b""
    while True:
        size, _, rest = body.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            return whole
        whole, body = whole + rest[:length], rest[length + 2 :]


def _assert_in_the_surfaces_language(answer: tuple, path: str, errcode: int, status: int):
    """HTTP 200 and the errcode on the JSON API, HTTP 200 and the FAIL envelope on the pay
    XML API, the platform's small page with `status` elsewhere."""
    head, headers, body = answer
    body = _unchunked(headers, body)
    assert not NGINX_PAGE.search(body), (path, head, body[:300])
    if path in API_PATHS:
        assert head.startswith(b"HTTP/1.1 200"), (path, head, body[:200])
        assert headers["content-type"].startswith("application/json"), path
        assert json.loads(body)["errcode"] == errcode, path
    elif path in PAY_PATHS:
        assert head.startswith(b"HTTP/1.1 200"), (path, head, body[:200])
        assert headers["content-type"].startswith("text/xml"), path
        assert body.startswith(FAIL_ENVELOPE), body
    else:
        assert head.startswith(f"HTTP/1.1 {status}".encode()), (path, head)
        assert headers["content-type"].startswith("text/html"), path
        assert b"<!doctype html>" in body and f"<h1>{status}</h1>".encode() in body


REFUSED_BY_NGINX = {
    "two-host-headers": ("GET", b"Host: 127.0.0.1\r\nHost: 127.0.0.1\r\n", b"", 400),
    "length-and-chunked": (
        "POST",
        b"Host: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        b"0\r\n\r\n",
        400,
    ),
    "gzip-chunked": (
        "POST",
        b"Host: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n",
        b"0\r\n\r\n",
        501,
    ),
}


@pytest.mark.parametrize("case", REFUSED_BY_NGINX, ids=list(REFUSED_BY_NGINX))
def test_a_request_nginx_will_not_pass_on_is_refused_in_the_surfaces_language(served, case):
    """nginx answers a second Host or a Content-Length beside a Transfer-Encoding (400)
    and a Transfer-Encoding other than chunked (501) itself: errcode 40097 with HTTP 200
    on the JSON API, the FAIL envelope on pay, the platform's page with nginx's status
    elsewhere; never nginx's HTML page."""
    method, headers, body, status = REFUSED_BY_NGINX[case]
    for path in [*API_PATHS, *PAY_PATHS, "/login/"]:
        answer = _ask(served.port, method, path, headers, body)
        _assert_in_the_surfaces_language(answer, path, 40097, status)


def test_a_request_line_nginx_cannot_read_gets_the_platforms_400_page(served):
    """A request line nginx cannot parse has no path yet, so no surface: the map's
    default, the platform's small 400 page, answers (a named location would not take
    such a request, and nginx answered its own HTML 500 instead)."""
    for line in (b"G@T /cgi-bin/token HTTP/1.1", b"GET /cgi-bin/to\x01ken HTTP/1.1"):
        head, headers, body = _split(
            raw_request(served.port, line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        )
        assert head.startswith(b"HTTP/1.1 400"), (line, head)
        assert headers["content-type"].startswith("text/html")
        assert b"<h1>400</h1>" in body and not NGINX_PAGE.search(body), body


def test_an_api_path_with_a_doubled_slash_answers_an_errcode_and_echoes_no_secret(served):
    """nginx picks the location of `//cgi-bin/token` by the merged path but passes it to
    the app as written: the app refuses it as the API path it merges to (an unknown API
    path, HTTP 200 and an errcode), never with a page holding the query's secret."""
    secret = "0123456789abcdef0123456789abcdef"
    query = f"grant_type=client_credential&appid=wx0&secret={secret}"
    for path in ("//cgi-bin/token", "//sns//jscode2session"):
        head, headers, body = _get(served.port, f"{path}?{query}", b"")
        assert head.startswith(b"HTTP/1.1 200"), (path, head, body[:200])
        assert headers["content-type"].startswith("application/json"), path
        assert json.loads(body)["errmsg"].startswith("no such API"), body
        assert secret.encode() not in body


@pytest.mark.parametrize("host", [b"evil.example", b"127.0.0.1:8131@evil.example"])
def test_a_hostile_host_is_refused_in_the_surfaces_language_and_logged_in_one_line(served, host):
    """A Host not in ALLOWED_HOSTS: errcode 40097 with HTTP 200 on the JSON API, the FAIL
    envelope with HTTP 200 on pay, the 400 page elsewhere; the server's log gets one line
    for each, never Django's traceback (anyone can send these, as fast as they like)."""
    before = len(served.output())
    for path in [*API_PATHS, *PAY_PATHS, "/login/"]:
        method = "POST" if path in PAY_PATHS else "GET"
        head, headers, body = _ask(
            served.port, method, path, b"Host: " + host + b"\r\nContent-Length: 0\r\n"
        )
        if path == "/login/":
            assert head.startswith(b"HTTP/1.1 400"), head
            assert headers["content-type"].startswith("text/html")
            continue
        _assert_in_the_surfaces_language((head, headers, body), path, 40097, 400)
    logged = ""
    for _ in range(20):  # the workers' stderr reaches the log file a moment later
        logged = served.output()[before:]
        if logged.count("Invalid HTTP_HOST header") >= len(API_PATHS) + len(PAY_PATHS) + 1:
            break
        time.sleep(0.1)
    assert logged.count("Invalid HTTP_HOST header") == len(API_PATHS) + len(PAY_PATHS) + 1
    assert "Traceback" not in logged and "DisallowedHost" not in logged


class FrontAlone:
    """The front's nginx as `miniport serve` writes its config, before a backend the test
    holds instead of gunicorn, with the backend timeout shortened to a second."""

    def __init__(self, folder: Path, backend_port: int) -> None:
        from miniport.cli import front
        from miniport.web import limits

        self.port = free_port()
        conf = front.write_config(
            folder,
            host="127.0.0.1",
            port=self.port,
            backend=f"127.0.0.1:{backend_port}",
            outer_proxies=0,
            value=limits.policy_default,
        )
        nginx = front.find_nginx()
        assert nginx is not None
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx, our config
            front.command(nginx, conf), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, "nginx exited"
                time.sleep(0.05)
        raise AssertionError("nginx did not listen")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def silent_backend():
    """A listening socket that never accepts: the kernel completes nginx's connections and
    nothing ever answers, as a gunicorn stuck past its timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


@pytest.mark.parametrize("backend", ["down", "silent"])
def test_a_backend_down_or_too_slow_is_errcode_minus_1_in_the_surfaces_language(
    tmp_path, monkeypatch, silent_backend, backend
):
    """gunicorn unreachable (nginx's 502) or slower than the front's proxy timeout (504):
    errcode -1 ("system error") with HTTP 200 on the JSON API, the FAIL envelope with
    HTTP 200 on pay, the platform's 502 or 504 page elsewhere; never nginx's page."""
    from miniport.cli import front

    require_nginx()
    monkeypatch.setattr(front, "BACKEND_TIMEOUT_SECONDS", 1)
    port = silent_backend if backend == "silent" else free_port()
    status = 504 if backend == "silent" else 502
    served = FrontAlone(tmp_path, port)
    try:
        for path in [*API_PATHS, *PAY_PATHS, "/login/"]:
            answer = _ask(served.port, "GET", path, b"Host: 127.0.0.1\r\n")
            _assert_in_the_surfaces_language(answer, path, -1, status)
    finally:
        served.stop()
