"""In-process cost of the server API's hot paths, without a server or a load generator.

Migrates a temporary SQLite file, provisions a mini program with `miniport app create`,
prepares login codes and a gray release with identity sessions (as scripts/bench.py
does), then times N calls each of GET /runtime/v1/ping, POST /cgi-bin/stable_token
(normal mode, the same token every call), GET /sns/jscode2session (a fresh code every
call), GET /runtime/v1/launch (the sessions of many identities in turn) and GET
/wxa/get_latest_auditstatus (the app's access_token) through the WSGI application the
server runs, in this one process. Prints microseconds per call, the best of --rounds
rounds, as wall time and as this process's CPU time (steadier when other work shares
the machine). Light enough to run beside other work (one CPU); `make bench`
measures the real server under load.

`--profile ENDPOINT` runs that endpoint's calls under cProfile instead and prints where
the time goes (issue 14 item 1: profile before changing the hot path).

`--cold MB` writes to every cache line of an MB-sized buffer before each call and prints
the median wall time of the calls alone: in a served worker, nginx, the load generator,
the kernel and the other worker run between two requests and cool the caches, and the
same code costs several times what a hot loop shows (with 4 MB here: ping about 85 us
against 20 hot, close to what ping adds to the bare ceiling's CPU time per answer under
`make bench`). Cutting what a call touches, not only what it executes, pays there.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402
    HOST_ID,
    HOST_SECRET,
    environment,
    prepare_codes,
    prepare_launch,
    provision,
    run_cli,
)

ENDPOINTS = ("ping", "stable_token", "jscode2session", "launch", "latest_audit")


def wsgi_caller() -> Callable[[dict], tuple[str, bytes]]:
    """One request through the WSGI application the server runs (the test client would
    add its own signal handlers and copies), answering (status, body)."""
    from miniport.wsgi import application

    def call(environ: dict) -> tuple[str, bytes]:
        seen: list[str] = []
        chunks = application(environ, lambda status, headers, exc=None: seen.append(status))
        body = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close:
            close()
        return seen[0], body

    return call


def environ(method: str, path: str, query: str = "", body: bytes = b"", **headers: str) -> dict:
    meta = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        # gunicorn's: the request target as the request line sent it.
        "RAW_URI": f"{path}?{query}" if query else path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        meta["CONTENT_LENGTH"] = str(len(body))
    meta.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    return meta


def shorten(stats: pstats.Stats) -> None:
    """File names from the package down (django/..., miniport/...), not the whole path."""
    marker = re.compile(r"^.*?/(site-packages|lib/python3\.\d+|main)/")
    renamed = {}
    for (file, line, name), value in stats.stats.items():  # type: ignore[attr-defined]
        callers = {(marker.sub("", f), ln, n): v for (f, ln, n), v in value[4].items()}
        renamed[(marker.sub("", file), line, name)] = (*value[:4], callers)
    stats.stats = renamed  # type: ignore[attr-defined]


def print_cold(runs: dict[str, Callable[[int], None]], calls: int, megabytes: int) -> None:
    """The median of `calls` calls per endpoint, each after the caches were cooled."""
    buffer = bytearray(megabytes * 1024 * 1024)
    lines = range(0, len(buffer), 64)
    marks = b"\x01" * len(lines)
    for name in ENDPOINTS:
        samples = []
        for i in range(calls):
            buffer[::64] = marks  # one write per cache line
            started = time.perf_counter_ns()
            runs[name](i)
            samples.append(time.perf_counter_ns() - started)
        print(
            f"{name:15} {statistics.median(samples) / 1e3:8.1f} us/call wall, cold ({calls} calls)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--profile", choices=ENDPOINTS, help="cProfile one endpoint's calls")
    parser.add_argument("--top", type=int, default=45, help="profile lines to print")
    parser.add_argument(
        "--cold", type=int, metavar="MB", help="cool the caches with MB of writes before each call"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="miniport-hotpath-") as tmp:
        env = environment(Path(tmp))
        run_cli(env, "migrate")
        app = provision(env)
        codes = prepare_codes(env, app["appid"], args.calls * (args.rounds + 1), args.users)
        sessions = prepare_launch(app["appid"], min(1000, args.users))
        call = wsgi_caller()
        stable_body = json.dumps(
            {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
        ).encode()
        login_query = urlencode(
            {"appid": app["appid"], "secret": app["secret"], "grant_type": "authorization_code"}
        )
        launch_query = urlencode({"appid": app["appid"], "env": "release"})
        unused = iter(codes)

        def ping(_i: int) -> None:
            status, body = call(environ("GET", "/runtime/v1/ping"))
            assert body == b'{"ok":true}', (status, body)

        def stable_token(_i: int) -> None:
            status, body = call(environ("POST", "/cgi-bin/stable_token", body=stable_body))
            assert b"access_token" in body, (status, body)

        def jscode2session(_i: int) -> None:
            query = f"{login_query}&js_code={next(unused)}"
            status, body = call(environ("GET", "/sns/jscode2session", query))
            assert b"openid" in body, (status, body)

        def launch(i: int) -> None:
            headers = {"x_host_app": f"{HOST_ID}:{HOST_SECRET}",
                       "x_identity_session": sessions[i % len(sessions)]}  # fmt: skip
            status, body = call(environ("GET", "/runtime/v1/launch", launch_query, **headers))
            assert b"sha256" in body, (status, body)

        _status, issued = call(environ("POST", "/cgi-bin/stable_token", body=stable_body))
        token_query = urlencode({"access_token": json.loads(issued)["access_token"]})

        def latest_audit(_i: int) -> None:
            status, body = call(environ("GET", "/wxa/get_latest_auditstatus", token_query))
            assert b'"auditid"' in body, (status, body)

        runs = {"ping": ping, "stable_token": stable_token, "jscode2session": jscode2session,
                "launch": launch, "latest_audit": latest_audit}  # fmt: skip
        for name in ("ping", "stable_token", "launch", "latest_audit"):  # warm up: caches
            for i in range(50):
                runs[name](i)
        if args.profile:
            run = runs[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for i in range(args.calls):
                run(i)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            shorten(stats)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
            return 0
        if args.cold:
            print_cold(runs, args.calls * args.rounds, args.cold)
            return 0
        wall = dict.fromkeys(ENDPOINTS, float("inf"))
        cpu = dict(wall)
        for _round in range(args.rounds):
            for name in ENDPOINTS:
                started, started_cpu = time.perf_counter(), time.process_time()
                for i in range(args.calls):
                    runs[name](i)
                wall[name] = min(wall[name], time.perf_counter() - started)
                cpu[name] = min(cpu[name], time.process_time() - started_cpu)
        for name in ENDPOINTS:
            print(
                f"{name:15} {wall[name] / args.calls * 1e6:8.1f} us/call wall, "
                f"{cpu[name] / args.calls * 1e6:8.1f} us/call CPU  ({args.calls} calls)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
