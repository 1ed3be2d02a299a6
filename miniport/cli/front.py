"""The front `miniport serve` runs before gunicorn: Debian's nginx, a buffering reverse
proxy (issue 9 item 2).

gunicorn's sync workers give a connection a whole process until its request is read:
a client sending its headers a byte a second holds a worker. nginx reads requests in an
event loop, hundreds of idle connections cost it nothing, and it passes a request to
gunicorn only once it has it whole (headers and body), so a worker only ever waits on
the platform itself. The front also caps bodies per route before reading them, with the
table of miniport.web.limits (which Django enforces as well).

Everything nginx writes (pid, temporary bodies, error log) lives under var/front/<port>/,
one folder per listening port, so two servers on one machine sharing a var folder (a
second node, a new release started beside the old one) never overwrite each other's
config or pid file; the config is written anew at each start from the caps table and the
policy rows in force.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from miniport.core.errors import CoreError, ErrorCode
from miniport.web import errors, limits

NGINX_MISSING = (
    "nginx is not installed: miniport serve runs it in front of the app "
    "(apt-get install nginx; `make run` installs it), or pass --no-front"
)
# Seconds a client has to send its headers, and between two reads of its body.
CLIENT_TIMEOUT_SECONDS = 10
# Idle connections nginx holds per worker process; each costs a few KB, not a process.
WORKER_CONNECTIONS = 4096
# nginx waits for gunicorn a little longer than gunicorn's own worker timeout.
BACKEND_TIMEOUT_SECONDS = 35
# nginx's buffers for a request's line and headers (large_client_header_buffers), each
# limits.FRONT_LINE_BYTES, after its first small one (client_header_buffer_size, 1 KB).
HEADER_BUFFERS = 4
CLIENT_HEADER_BUFFER_BYTES = 1024
# What the front adds to the headers it passes on (Host, X-Forwarded-For's address...).
PROXY_HEADER_BYTES = 1024
# What WeChat Pay v2 answers headers it will not read (its envelope, as for a long line).
PAY_HEADER_TOO_LARGE_MESSAGE = "请求头过大"


@dataclass(frozen=True)
class FrontRefusal:
    """A status nginx answers itself, and how each surface says it, as Django answers
    what it refuses: HTTP 200 and `code`'s errcode on the JSON API (wechat-api 1.1), HTTP
    200 and a return_code FAIL envelope saying `pay_message` on the pay XML API
    (wechat-pay-v2 1), a small page with `page_status` elsewhere (browsers read the
    status). Each status has three internal locations, /.miniport/<name>/api, pay, page."""

    status: int
    name: str
    code: ErrorCode
    pay_message: str
    page_status: int


FRONT_REFUSALS = (
    # A body over its route's cap (client_max_body_size).
    FrontRefusal(413, "too-large", CoreError.CONTENT_TOO_LARGE, limits.PAY_TOO_LARGE_MESSAGE, 413),
    # Headers over the front's buffers: nginx's own 494, which a page says as 431.
    FrontRefusal(
        494, "header-too-large", CoreError.INVALID_ARGS, PAY_HEADER_TOO_LARGE_MESSAGE, 431
    ),
    # A request nginx will not pass on: a second Host, Content-Length beside
    # Transfer-Encoding, a broken chunked body. nginx has parsed the path by then, except
    # for a request line it cannot read: $uri is empty and the map's default, a page,
    # answers (there is no surface to follow).
    FrontRefusal(400, "bad-request", CoreError.INVALID_ARGS, errors.PAY_BAD_REQUEST_MESSAGE, 400),
    # A Transfer-Encoding other than chunked alone (`gzip, chunked`).
    FrontRefusal(
        501, "not-implemented", CoreError.INVALID_ARGS, errors.PAY_BAD_REQUEST_MESSAGE, 501
    ),
    # gunicorn unreachable (crashed, restarting) or slower than BACKEND_TIMEOUT_SECONDS:
    # the platform failed, as a failure inside Django is (errcode -1).
    FrontRefusal(502, "backend-down", CoreError.SYSTEM_ERROR, errors.PAY_SYSTEM_ERROR_MESSAGE, 502),
    FrontRefusal(
        504, "backend-timeout", CoreError.SYSTEM_ERROR, errors.PAY_SYSTEM_ERROR_MESSAGE, 504
    ),
)


def header_bytes_bound() -> int:
    """The most bytes of request line and headers the front passes to gunicorn."""
    return CLIENT_HEADER_BUFFER_BYTES + HEADER_BUFFERS * limits.FRONT_LINE_BYTES


def find_nginx() -> str | None:
    """MINIPORT_NGINX (the path of an nginx binary) when set, else nginx on PATH or in
    Debian's place."""
    chosen = os.environ.get("MINIPORT_NGINX")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    for candidate in ("/usr/sbin/nginx", "/usr/local/sbin/nginx"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def folder(var_dir: Path | str, port: int) -> Path:
    return Path(var_dir) / "front" / str(port)


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _listen(host: str, port: int) -> str:
    if host in ("", "0.0.0.0"):  # noqa: S104 - the operator asked for every address
        return f"{port}"
    if ":" in host:
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def _location(pattern: str, cap: int) -> str:
    # No error_page here: the server's, which answer by the request's surface, apply.
    return (
        f"        location ~ {pattern} {{\n"
        f"            client_max_body_size {cap};\n"
        f"            proxy_pass http://miniport;\n"
        f"        }}\n"
    )


def _error_pages() -> str:
    # Internal locations by path, not named ones (@...): nginx refuses to hand a request
    # whose line it could not parse (no path yet) to a named location, and answers its
    # own HTML 500 instead. `=`: the answer's status is the location's (200 on the APIs).
    return "".join(
        f"        error_page {refusal.status} = /.miniport/{refusal.name}/$miniport_surface;\n"
        for refusal in FRONT_REFUSALS
    )


def _answer(path: str, content_type: str, status: int, body: str) -> str:
    # client_max_body_size 0: a body refused for its size arrives here with the length
    # read so far, which the server's default cap would refuse again (with nginx's page);
    # these locations read no body, nginx discards it.
    return (
        f"        location = {path} {{\n"
        "            internal;\n"
        "            client_max_body_size 0;\n"
        f'            default_type "{content_type}";\n'
        f"            return {status} {_quote(body)};\n"
        "        }\n"
    )


def _refusal_locations(refusal: FrontRefusal) -> str:
    """The three locations of one status (see FrontRefusal)."""
    base = f"/.miniport/{refusal.name}"
    page = limits.page(refusal.page_status, refusal.code).content.decode()
    api = limits.front_refusal_json(refusal.code)
    pay = limits.pay_xml_body(refusal.pay_message)
    return (
        _answer(f"{base}/api", "application/json; encoding=utf-8", 200, api)
        + _answer(f"{base}/pay", "text/xml; charset=utf-8", 200, pay)
        + _answer(f"{base}/page", "text/html; charset=utf-8", refusal.page_status, page)
    )


def _surface_map() -> str:
    """$miniport_surface: which surface the request's path belongs to (api, pay or page),
    by the same prefixes as miniport.web.limits.refusal, so that a refusal the front
    answers itself speaks that surface's language as Django's would."""
    return (
        "    map $uri $miniport_surface {\n"
        "        default page;\n"
        f"        {_quote('~' + limits.PAY_XML_PATTERN)} pay;\n"
        f"        {_quote('~' + limits.API_PATTERN)} api;\n"
        "    }\n"
    )


def config(
    *,
    front: Path,
    host: str,
    port: int,
    backend: str,
    outer_proxies: int,
    value: Callable[[str], int],
) -> str:
    """nginx.conf for one server: listen on host:port, pass to `backend` (host:port).

    With no proxy in front of it (outer_proxies 0), nginx sets X-Forwarded-For and
    X-Forwarded-Proto itself, overwriting whatever a client sent, and Django trusts one
    hop. Behind N declared proxies it appends to their X-Forwarded-For and passes their
    X-Forwarded-Proto on, and Django trusts N + 1 hops."""
    default = limits.default_cap()
    locations = "".join(_location(row.pattern, row.cap(value)) for row in limits.BODY_CAPS)
    if outer_proxies > 0:
        forwarded_for = "$proxy_add_x_forwarded_for"
        forwarded_proto = "$http_x_forwarded_proto"
    else:
        forwarded_for = "$remote_addr"
        forwarded_proto = "$scheme"
    line_too_long_json = limits.front_refusal_json(CoreError.INVALID_ARGS)
    refusals = "".join(_refusal_locations(refusal) for refusal in FRONT_REFUSALS)
    user = ""
    if os.geteuid() == 0:
        # Started as root (a container): the workers keep the starting user, who owns var/.
        user = "user root;\n"
    temp = {name: front / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""# Written by `miniport serve` at each start; edits are lost. See miniport/cli/front.py.
{user}daemon off;
master_process on;
worker_processes 1;
pid {front / "nginx.pid"};
error_log {front / "error.log"} warn;
events {{
    worker_connections {WORKER_CONNECTIONS};
}}
http {{
    types {{ }}
    default_type application/octet-stream;
    access_log off;
    server_tokens off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};

    # Slow clients wait in nginx's event loop, never in a gunicorn worker.
    client_header_timeout {CLIENT_TIMEOUT_SECONDS}s;
    client_body_timeout {CLIENT_TIMEOUT_SECONDS}s;
    send_timeout 30s;
    keepalive_timeout 15s;
    keepalive_requests 1000;
    reset_timedout_connection on;
    # Request lines up to {limits.FRONT_LINE_BYTES} bytes reach Django, which answers those
    # over {limits.MAX_REQUEST_LINE_BYTES} in the surface's own way (an errcode on the API).
    # A header line over it, headers over the buffers together, or too many header lines
    # (nginx counts them too), the front refuses itself (494 below); gunicorn's own limits
    # are above these (cli/serve.py), so its HTML refusals never reach a client.
    client_header_buffer_size {CLIENT_HEADER_BUFFER_BYTES};
    large_client_header_buffers {HEADER_BUFFERS} {limits.FRONT_LINE_BYTES};
    client_body_buffer_size 128k;
    client_max_body_size {default};

    proxy_http_version 1.0;
    proxy_request_buffering on;
    proxy_buffering on;
    proxy_connect_timeout 5s;
    proxy_read_timeout {BACKEND_TIMEOUT_SECONDS}s;
    proxy_send_timeout {BACKEND_TIMEOUT_SECONDS}s;
    proxy_redirect off;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For {forwarded_for};
    proxy_set_header X-Forwarded-Proto {forwarded_proto};
    proxy_set_header X-Forwarded-Host "";
    proxy_set_header X-Real-IP "";

{_surface_map()}
    upstream miniport {{
        server {backend};
    }}

    server {{
        listen {_listen(host, port)} backlog=4096;
        server_name _;
        # A request line longer than the front's buffer: nginx has not parsed the path
        # then, so the answer cannot follow the surface; it is the API's errcode with HTTP
        # 200, as every API refusal (wechat-api 1.1: SDKs read the errcode of a 200 and
        # raise a transport error on any other status). No page has such an address.
        error_page 414 =200 /.miniport/line-too-long;
        # gunicorn refuses a request line with a raw byte beyond ASCII (browsers and SDKs
        # percent-encode) with its own HTML page: the front refuses it first, as a bad
        # request in the surface's language (FRONT_REFUSALS' 400).
        # (Not again on the refusal's own internal address, whose request line is the same.)
        set $miniport_raw_line 0;
        if ($request_uri ~ "[\\x80-\\xff]") {{
            set $miniport_raw_line 1;
        }}
        if ($uri ~ "^/\\.miniport/") {{
            set $miniport_raw_line 0;
        }}
        if ($miniport_raw_line) {{
            return 400;
        }}
        # What the front refuses itself (a body over its route's cap, headers over its
        # buffers, a request it will not pass on) and a backend that failed it: answered in
        # the surface's language (FRONT_REFUSALS). Locations set no error_page, so these
        # apply in all; nginx's own answers only, never gunicorn's (proxy_intercept_errors
        # is off: Django's answers pass as they are).
{_error_pages()}        location = /.miniport/line-too-long {{
            internal;
            default_type "application/json; encoding=utf-8";
            return 200 {_quote(line_too_long_json)};
        }}
{locations}        location / {{
            proxy_pass http://miniport;
        }}
{refusals}    }}
}}
"""


def write_config(
    var_dir: Path | str,
    *,
    host: str,
    port: int,
    backend: str,
    outer_proxies: int,
    value: Callable[[str], int],
) -> Path:
    front = folder(var_dir, port)
    front.mkdir(parents=True, exist_ok=True)
    path = front / "nginx.conf"
    text = config(
        front=front.resolve(),
        host=host,
        port=port,
        backend=backend,
        outer_proxies=outer_proxies,
        value=value,
    )
    fresh = path.with_suffix(".tmp")
    fresh.write_text(text)
    os.replace(fresh, path)
    log = front / "error.log"
    if log.exists():  # the previous run's log stays beside this run's, one generation
        os.replace(log, front / "error.log.1")
    return path


def command(nginx: str, conf: Path) -> list[str]:
    front = conf.parent
    return [nginx, "-p", str(front), "-e", str(front / "error.log"), "-c", str(conf)]
