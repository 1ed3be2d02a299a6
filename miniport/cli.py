"""The `miniport` command: production server, worker, database, demo data, provisioning.

Scripts read its output: `--json` prints exactly one JSON object on stdout; a refused
action or bad arguments print one line on stderr ("miniport: error: ...") and exit
non-zero (2 for usage, 1 for a refused action), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

EXIT_REFUSED = 1
EXIT_USAGE = 2
SHARED_MEMORY_DIR = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data
SUBJECT_TYPES = ("personal", "enterprise", "individual_business", "government", "media", "other")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        # One line, no usage block: callers read stderr.
        fail(message, EXIT_USAGE)


def fail(message: str, status: int):
    sys.stderr.write(f"miniport: error: {message}\n")
    sys.stderr.flush()
    sys.exit(status)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="miniport", description="Miniport mini program platform.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the production web server (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="worker processes (default: one per CPU core with one thread, else 2 per core)",
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        default=1,
        help="threads per worker (default: 1, gunicorn's sync workers; more: gthread workers)",
    )
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="create or update the database tables").set_defaults(
        handler=cmd_migrate
    )
    # Listed for --help only: main() hands `manage` to Django before argparse sees it.
    commands.add_parser("manage", help="run a Django management command (pass-through)")

    worker = commands.add_parser("worker", help="deliver events and apply deadlines in a loop")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit")
    worker.add_argument(
        "--interval", type=_seconds, default=5.0, help="seconds between sweeps (default: 5)"
    )
    worker.set_defaults(handler=cmd_worker)

    demo = commands.add_parser("demo", help="create the demo data (idempotent)")
    demo.add_argument("--once", action="store_true", help="do nothing when demo data exists")
    demo.set_defaults(handler=cmd_demo)

    identity = commands.add_parser("identity", help="super-app identities").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create_identity = identity.add_parser("create", help="create an identity")
    create_identity.add_argument("--wechat-id", required=True)
    create_identity.add_argument("--real-name", required=True)
    create_identity.add_argument("--id-number", default="")
    create_identity.add_argument("--phone", default="")
    create_identity.add_argument("--password", default="")
    create_identity.add_argument("--nickname", default="")
    create_identity.add_argument("--json", action="store_true", help="print one JSON object")
    create_identity.set_defaults(handler=cmd_identity_create)
    login_code = identity.add_parser(
        "login-code", help="issue a wx.login code for an identity and a mini program (prints JSON)"
    )
    login_code.add_argument("--wechat-id", required=True)
    login_code.add_argument("--appid", required=True)
    login_code.set_defaults(handler=cmd_identity_login_code)

    app = commands.add_parser("app", help="mini programs").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create_app = app.add_parser("create", help="provision a fully registered mini program")
    create_app.add_argument("--name", required=True)
    create_app.add_argument("--subject-type", required=True, choices=SUBJECT_TYPES)
    create_app.add_argument("--email", required=True)
    create_app.add_argument("--admin-wechat-id", default="")
    create_app.add_argument("--certified", action="store_true")
    create_app.add_argument("--json", action="store_true", help="print one JSON object")
    create_app.set_defaults(handler=cmd_app_create)
    return parser


def _positive(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number")
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _port(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number")
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return number


def _seconds(raw: str) -> float:
    try:
        number = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds")
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return number


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miniport.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        return cmd_manage(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        # Links in mails and QR codes point at this server unless the operator says otherwise.
        os.environ.setdefault("SITE_URL", f"http://{_url_host(args.host)}:{args.port}")
    try:
        setup_django()
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place every refusal becomes one line on stderr
        fail(describe(exc), EXIT_REFUSED)
    return EXIT_REFUSED  # pragma: no cover - fail() exits


def describe(exc: Exception) -> str:
    from django.db import DatabaseError

    from miniport.core.errors import PlatformError

    if isinstance(exc, PlatformError):
        message = exc.message("en")
        return f"{exc.field}: {message}" if exc.field else message
    if isinstance(exc, DatabaseError):
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"database: {first_line} (has `miniport migrate` run?)"
    return f"{type(exc).__name__}: {exc}"


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")


# --- database -------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    _ensure_var_dir(settings)
    call_command("migrate", interactive=False, verbosity=0)
    print("Database is up to date.")
    return 0


def cmd_manage(rest: list[str]) -> int:
    try:
        setup_django()
    except Exception as exc:  # a broken configuration is one line, like every other refusal
        fail(describe(exc), EXIT_REFUSED)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["miniport manage", *rest])
    return 0


def _ensure_var_dir(settings, *, serving: bool = False) -> None:
    from pathlib import Path

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    if serving:
        # Static files come from the app folders (finders); the collected folder may be empty.
        for folder in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)


def _unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- demo data and provisioning ---------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from miniport import demo

    created = demo.ensure_demo_data(once=args.once, say=lambda line: print(f"  {line}"))
    if not created:
        print("Demo data is already in place.")
        return 0
    for line in demo.logins():
        print(line)
    return 0


def cmd_identity_create(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.identities import services as identity_services

    identity = identity_services.identity_create(
        actor=Actor.system("miniport cli"),
        wechat_id=args.wechat_id,
        real_name=args.real_name,
        id_number=args.id_number,
        phone=args.phone,
        password=args.password,
        nickname=args.nickname,
    )
    data = {
        "id": identity.pk,
        "wechat_id": identity.wechat_id,
        "nickname": identity.nickname,
        "real_name_verified": identity.real_name_verified,
    }
    if args.json:
        _print_json(data)
    else:
        verified = "real-name verified" if identity.real_name_verified else "not real-name verified"
        print(f"Created identity {identity.wechat_id} ({identity.nickname}), {verified}.")
    return 0


def cmd_identity_login_code(args: argparse.Namespace) -> int:
    """What the host app's POST /runtime/v1/login does, for scripts and tests: one JSON
    object with the single-use code a mini program's server redeems at jscode2session."""
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.identities.models import Identity
    from miniport.miniprograms import selectors
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.services import credentials

    identity = Identity.objects.filter(wechat_id=args.wechat_id.strip()).first()
    if identity is None:
        raise PlatformError(MiniProgramError.USER_NOT_FOUND, field="wechat_id")
    miniprogram = selectors.by_appid(args.appid.strip())
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    issued = credentials.login_code_issue(
        actor=Actor.system("miniport cli"), identity=identity, miniprogram=miniprogram
    )
    _print_json(
        {
            "code": issued.code,
            "expires_in": issued.expires_in,
            "appid": miniprogram.appid,
            "wechat_id": identity.wechat_id,
        }
    )
    return 0


def cmd_app_create(args: argparse.Namespace) -> int:
    from miniport.accounts.services import provision_miniprogram
    from miniport.core.actors import Actor

    provisioned = provision_miniprogram(
        actor=Actor.system("miniport cli"),
        name=args.name,
        subject_type=args.subject_type,
        email=args.email,
        admin_wechat_id=args.admin_wechat_id,
        certified=args.certified,
    )
    data = provisioned.as_json()
    if args.json:
        _print_json(data)
        return 0
    print(
        f"Created mini program {data['name']} ({data['subject_type']}"
        f"{', certified' if data['certified'] else ''})."
    )
    print(f"  AppID:         {data['appid']}")
    print(f"  AppSecret:     {data['secret']}  (shown once, store it now)")
    print(f"  console login: {data['email']} / {data['password']}")
    print(f"  administrator: {data['admin_wechat_id']}")
    return 0


# --- worker ---------------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    from django.db import close_old_connections

    stopping = {"now": False}

    def stop(_signum, _frame):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    if args.once:
        delivered, failed = sweep()
        print(f"delivered {delivered} events, failed {failed} overdue registrations")
        return 0
    print(f"miniport worker: sweeping every {args.interval:g}s (Ctrl+C to stop)", flush=True)
    while not stopping["now"]:
        close_old_connections()
        try:
            delivered, failed = sweep()
        except Exception as exc:  # one bad sweep must not end the worker; the next one retries
            sys.stderr.write(f"miniport worker: sweep failed: {describe(exc)}\n")
        else:
            if delivered or failed:
                print(
                    f"delivered {delivered} events, failed {failed} overdue registrations",
                    flush=True,
                )
        deadline = time.monotonic() + args.interval
        while not stopping["now"] and time.monotonic() < deadline:
            time.sleep(min(0.2, args.interval))
    return 0


def sweep() -> tuple[int, int]:
    """One pass of the background work: retry undelivered events, fail overdue remittances."""
    from miniport.accounts.services import registrations_fail_overdue
    from miniport.core.events import deliver_pending

    return deliver_pending(), registrations_fail_overdue()


# --- server ---------------------------------------------------------------------------------


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


def _url_host(host: str) -> str:
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

    _ensure_var_dir(settings, serving=True)
    options = server_options(args)
    pending = _unapplied_migrations()
    url = f"http://{_url_host(args.host)}:{args.port}/"
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
