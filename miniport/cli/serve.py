"""`miniport serve`: the production web server.

nginx (the front, miniport.cli.front) listens on --host/--port and passes whole requests
to gunicorn (through its Python API) on a private loopback port; slow clients wait in
nginx's event loop and bodies are capped per route before anyone reads them. This process
supervises both (miniport.cli.supervise): if either dies it stops the other and exits 1,
so a supervisor (systemd's Restart=, deploy/miniport.service) starts the whole server
again; SIGTERM or SIGINT stop both and exit 0. `--no-front` runs gunicorn alone on
--host/--port (behind a proxy the operator runs).

On an address other than loopback the server refuses to start while demo mode is on or
any secret is a local or public one (issue 9 item 8): `reachable_refusal`
(miniport.cli.reachable). An address something already listens on is refused (exit 2)
before anything is written or printed: `listen_refusal`.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
from pathlib import Path
from typing import Any

from miniport.cli.base import EXIT_REFUSED, EXIT_USAGE, fail, port, positive
from miniport.cli.migrate import ensure_var_dir, unapplied_migrations
from miniport.cli.reachable import DEMO_HOST_APP_SECRET as DEMO_HOST_APP_SECRET
from miniport.cli.reachable import HOST_APP_SECRET_MIN_LENGTH as HOST_APP_SECRET_MIN_LENGTH
from miniport.cli.reachable import is_loopback as is_loopback
from miniport.cli.reachable import reachable_refusal
from miniport.cli.supervise import GunicornServer, Supervisor

SHARED_MEMORY_DIR = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the production web server (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port, default=8000)
    serve.add_argument(
        "--workers",
        type=positive,
        default=None,
        help="worker processes (default: one per CPU core with one thread, else 2 per core)",
    )
    serve.add_argument(
        "--threads",
        type=positive,
        default=1,
        help="threads per worker (default: 1, gunicorn's sync workers; more: gthread workers)",
    )
    serve.add_argument(
        "--no-front",
        dest="front",
        action="store_false",
        help="run gunicorn alone on --host/--port, without nginx in front (behind your own proxy)",
    )
    serve.set_defaults(handler=cmd_serve, before_setup=before_setup)


def before_setup(args: argparse.Namespace) -> None:
    """Settings read the environment once, so this runs before Django is set up.

    Links in mails and QR codes point at this server unless the operator says otherwise.
    Behind the front, Django trusts one more proxy hop than the operator declared (nginx,
    which sets X-Forwarded-For to the address it saw)."""
    default_site_url(args)
    args.outer_proxies = 0
    if args.front:
        try:
            args.outer_proxies = max(0, int(os.environ.get("MINIPORT_TRUSTED_PROXY_HOPS") or 0))
        except ValueError:
            fail("MINIPORT_TRUSTED_PROXY_HOPS must be a whole number", EXIT_REFUSED)
        os.environ["MINIPORT_TRUSTED_PROXY_HOPS"] = str(args.outer_proxies + 1)


def default_site_url(args: argparse.Namespace) -> None:
    os.environ.setdefault("SITE_URL", f"http://{url_host(args.host)}:{args.port}")


def default_workers(threads: int = 1) -> int:
    """One sync worker per core: its requests are short and use the CPU, so a process
    more than the cores only waits for one, and a process the scheduler preempts while
    it holds SQLite's write lock stalls every other writer (make bench measured the
    tail latency of jscode2session at 2 workers against 4 on 2 cores). Threaded workers
    overlap waits, two per core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, cores if threads == 1 else 2 * cores)


def worker_class(threads: int) -> str:
    """gunicorn's sync workers for one thread, gthread workers for more.

    A sync worker takes the next connection from the kernel's accept queue only when it
    is free, so requests are answered in arrival order across all workers, and a request
    runs with no other thread of its process contending for the GIL (SQLite's driver
    releases it around every statement). It closes the connection after each answer:
    no keep-alive, and a slow client holds a worker, as in any deployment of sync
    workers behind a buffering proxy. gthread workers keep connections alive and
    overlap waits, at the price of that queueing: each connection stays with the
    process that accepted it, and a busy process's connections wait while another idles.
    """
    return "sync" if threads == 1 else "gthread"


def url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - only used to print a usable URL
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": _bind(args.host, args.port),
        "workers": args.workers or default_workers(args.threads),
        "worker_class": worker_class(args.threads),
        "threads": args.threads,
        # Django loads once in the master; workers fork with it in memory.
        "preload_app": True,
        "keepalive": 5,
        "timeout": 30,
        "graceful_timeout": 10,
        "backlog": 2048,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "miniport",
        # A runtime control socket in the user's home would clash between two servers.
        "control_socket_disable": True,
    }
    if os.path.isdir(SHARED_MEMORY_DIR):
        # The heartbeat file on tmpfs never blocks a worker on disk I/O.
        options["worker_tmp_dir"] = SHARED_MEMORY_DIR
    return options


def front_caps_reader(pending: int):
    """How the front reads the policy rows of its body caps: from the database, or their
    defaults while migrations are pending."""
    from miniport.web import limits

    return limits.policy_default if pending else limits._policy_value


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connections

    from miniport import demo
    from miniport.cli.front import NGINX_MISSING, command, find_nginx, write_config

    refusal = reachable_refusal(args.host, settings)
    if refusal:
        fail(refusal, EXIT_REFUSED)
    refusal = listen_refusal(args.host, args.port)
    if refusal:
        fail(refusal, EXIT_USAGE)
    nginx = find_nginx() if args.front else None
    if args.front and nginx is None:
        fail(NGINX_MISSING, EXIT_REFUSED)
    ensure_var_dir(settings, serving=True)
    options = server_options(args)
    pending = unapplied_migrations()
    backend: socket.socket | None = None
    conf: Path | None = None
    if nginx is not None:
        backend = backend_socket()
        host, backend_port = backend.getsockname()[:2]
        conf = write_config(
            settings.VAR_DIR,
            host=args.host,
            port=args.port,
            backend=f"{host}:{backend_port}",
            outer_proxies=args.outer_proxies,
            value=front_caps_reader(pending),
        )
        options.update(behind_front_options())
    url = f"http://{url_host(args.host)}:{args.port}/"
    print(f"Miniport is serving at {url}", flush=True)
    print(
        f"  {options['workers']} workers x {options['threads']} threads"
        f" (gunicorn, {options['worker_class']})" + (" behind nginx" if nginx else "")
    )
    if pending:
        print(f"  warning: {pending} database migrations are not applied; run `miniport migrate`")
    else:
        for line in demo.logins():
            print(line)
    print("Press Ctrl+C to stop.", flush=True)
    # Workers fork from this process: no database connection may be shared with them.
    connections.close_all()
    if nginx is None or backend is None or conf is None:
        GunicornServer(options).run()
        return 0
    return Supervisor(options, backend, command(nginx, conf)).run()


def listen_refusal(host: str, port: int) -> str | None:
    """Why nothing can listen on host:port, or None.

    Asked before anything is written or printed: nginx only finds a taken port once it
    starts, after serve has rewritten var/front/<port>/ and rotated its error log, which
    the server already on that port reads again at its next reload. The probe binds as
    nginx (and gunicorn) will: SO_REUSEADDR on, so a port that a stopped server left in
    TIME_WAIT counts as free and one that a process listens on does not; an IPv6 address
    alone (nginx's ipv6only); every address a host name stands for (nginx listens on each).
    A port taken between this check and nginx's start still stops the server (Supervisor)."""
    try:
        addresses = socket.getaddrinfo(
            host or "0.0.0.0",  # noqa: S104 - nginx's `listen PORT`: every IPv4 address
            port,
            type=socket.SOCK_STREAM,
            flags=socket.AI_PASSIVE,
        )
    except socket.gaierror as exc:
        return f"--host {host}: no such address ({exc.strerror})"
    for family, kind, protocol, _name, address in addresses:
        where = _bind(str(address[0]), port)
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return f"{where} is in use: stop what listens there or choose another --port"
                return f"cannot listen on {where}: {exc.strerror}"
    return None


def backend_socket() -> socket.socket:
    """gunicorn's listening socket on a free loopback port, bound here so no other process
    can take the port between choosing and binding it; only nginx connects to it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    return listener


# gunicorn's ceiling on the number of header fields (gunicorn.http.message.MAX_HEADERS).
GUNICORN_MOST_HEADER_FIELDS = 32768


def behind_front_options() -> dict[str, Any]:
    """nginx bounds request lines and headers (miniport.web.limits.FRONT_LINE_BYTES) and
    Django answers the long lines in the surface's own way, and the front the large
    headers, so gunicorn lets through whatever the front passes instead of answering its
    own HTML 400 or 431 page: no line limit, a field may be as long as all the headers
    the front passes (with what nginx adds, such as X-Forwarded-For), and as many fields
    as gunicorn allows. (A field size of 0 is gunicorn's default 8190 bytes, not none.)"""
    # Imported here: the front's module reads the settings, which the CLI configures
    # after importing this one.
    from miniport.cli.front import PROXY_HEADER_BYTES, header_bytes_bound

    return {
        "limit_request_line": 0,
        "limit_request_field_size": header_bytes_bound() + PROXY_HEADER_BYTES,
        "limit_request_fields": GUNICORN_MOST_HEADER_FIELDS,
    }
