"""`miniport serve`: the production web server (gunicorn through its Python API)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from miniport.cli.base import port, positive
from miniport.cli.migrate import ensure_var_dir, unapplied_migrations

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
    serve.set_defaults(handler=cmd_serve, before_setup=default_site_url)


def default_site_url(args: argparse.Namespace) -> None:
    """Links in mails and QR codes point at this server unless the operator says otherwise
    (settings read SITE_URL, so this runs before Django is set up)."""
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


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connections

    from miniport import demo

    ensure_var_dir(settings, serving=True)
    options = server_options(args)
    pending = unapplied_migrations()
    url = f"http://{url_host(args.host)}:{args.port}/"
    print(f"Miniport is serving at {url}", flush=True)
    print(
        f"  {options['workers']} workers x {options['threads']} threads"
        f" (gunicorn, {options['worker_class']})"
    )
    if pending:
        print(f"  warning: {pending} database migrations are not applied; run `miniport migrate`")
    else:
        for line in demo.logins():
            print(line)
    print("Press Ctrl+C to stop.", flush=True)
    # Workers fork from this process: no database connection may be shared with them.
    connections.close_all()
    _Server(options).run()
    return 0


def _load_gunicorn_base():
    from gunicorn.app.base import BaseApplication

    return BaseApplication


class _Server(_load_gunicorn_base()):  # type: ignore[misc]
    """gunicorn through its Python API, serving miniport.wsgi:application."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        known = self.cfg.settings
        for key, value in self.options.items():
            if key in known and value is not None:  # older gunicorns lack newer settings
                self.cfg.set(key, value)

    def load(self):
        import gc

        from django.urls import get_resolver

        from miniport.wsgi import application

        get_resolver().resolve("/runtime/v1/ping")  # build the URL tables before forking
        gc.collect()
        gc.freeze()
        return application
