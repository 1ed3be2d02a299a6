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
from pathlib import Path

from miniport.core.errors import CoreError
from miniport.web import limits

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
    too_large_json = limits.front_refusal_json(CoreError.CONTENT_TOO_LARGE)
    line_too_long_json = limits.front_refusal_json(CoreError.INVALID_ARGS)
    too_large_pay_xml = limits.pay_xml_body(limits.PAY_TOO_LARGE_MESSAGE)
    too_large_page = limits.page(413, CoreError.CONTENT_TOO_LARGE).content.decode()
    header_too_large_pay_xml = limits.pay_xml_body(PAY_HEADER_TOO_LARGE_MESSAGE)
    header_too_large_page = limits.page(431, CoreError.INVALID_ARGS).content.decode()
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
        # then, so the answer cannot follow the surface; it is the API's errcode with 414.
        error_page 414 /.miniport/line-too-long;
        # A body over its route's cap (client_max_body_size) and headers over the front's
        # buffers: answered in the surface's language, as Django answers what it refuses
        # (HTTP 200 and an errcode on the JSON API, a return_code FAIL envelope on the pay
        # XML API, a page elsewhere). Locations set no error_page, so these apply in all.
        error_page 413 = @too_large_$miniport_surface;
        error_page 494 = @header_too_large_$miniport_surface;
        location = /.miniport/line-too-long {{
            internal;
            default_type "application/json; encoding=utf-8";
            return 414 {_quote(line_too_long_json)};
        }}
{locations}        location / {{
            proxy_pass http://miniport;
        }}
        location @too_large_api {{
            default_type "application/json; encoding=utf-8";
            return 200 {_quote(too_large_json)};
        }}
        location @too_large_pay {{
            default_type "text/xml; charset=utf-8";
            return 200 {_quote(too_large_pay_xml)};
        }}
        location @too_large_page {{
            default_type "text/html; charset=utf-8";
            return 413 {_quote(too_large_page)};
        }}
        location @header_too_large_api {{
            default_type "application/json; encoding=utf-8";
            return 200 {_quote(line_too_long_json)};
        }}
        location @header_too_large_pay {{
            default_type "text/xml; charset=utf-8";
            return 200 {_quote(header_too_large_pay_xml)};
        }}
        location @header_too_large_page {{
            default_type "text/html; charset=utf-8";
            return 431 {_quote(header_too_large_page)};
        }}
    }}
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
