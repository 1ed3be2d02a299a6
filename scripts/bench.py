"""Benchmark of the server API's hot paths against a real `miniport serve`.

Starts the server on a free loopback port with a temporary SQLite database and the bare
WSGI ceiling switched on (miniport.web.bench_ceiling: MINIPORT_BENCH_CEILING=1), provisions
a mini program with `miniport app create --json`, pre-generates login codes for many
identities (jscode2session allows each user api.jscode2session_per_user_minute calls a
minute), then loads the server over keep-alive connections from wrk when it is installed
(a C load generator driven by scripts/bench_wrk.lua, light on the CPUs the server is
measured on), else from this process with an asyncio HTTP/1.1 client:

- GET  /runtime/bench/bare   the ceiling: a bare WSGI callable in front of Django, served
                             by the same front, workers and threads (issue 14 item 1)
- GET  /runtime/v1/ping      the same server and framework, no database
- POST /cgi-bin/stable_token normal mode, the same token every call
- GET  /sns/jscode2session   a fresh login code every call
- GET  /runtime/v1/launch    release env while a gray release runs (issue 8 "Speed"): the
                             host credential and the sessions of many identities in turn,
                             so some fall in the gray percentage and some do not
- GET  /wxa/get_latest_auditstatus  the app's access_token, the latest submission

Before the server starts, the mini program gets an approved category, version 1.0.0
released and version 2.0.0 approved and in gray release at GRAY_PERCENTAGE (through the
releases services, as the console and the desk would).

Each phase is bounded by time (--seconds) and by request count. Prints requests/s,
each endpoint's throughput as a share of the bare ceiling and of ping, p50, p99, errors
and the server's CPU time per answer; exits 1 when a target is missed (issue 14: ping
>= 0.8 of the bare ceiling, stable_token >= 0.6, jscode2session, launch and latest_audit
>= 0.45; p99 <= 25 ms at 64 connections; no errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
MINIPORT = Path(sys.executable).parent / "miniport"
# Shares of the bare ceiling each endpoint must reach (issue 14 item 1).
TARGETS = {
    "ping": 0.8,
    "stable_token": 0.6,
    "jscode2session": 0.45,
    "launch": 0.45,
    "latest_audit": 0.45,
}
P99_LIMIT_MS = 25.0
# Answered by miniport.web.bench_ceiling before Django, when the server's environment
# sets MINIPORT_BENCH_CEILING=1.
BARE_PATH = "/runtime/bench/bare"
OK_BODY = b'{"ok":true}'
HOST_ID, HOST_SECRET = "benchhost", "bench-host-secret-0123456789abcdef"
GRAY_PERCENTAGE = 30
# Identities whose sessions the launch phase takes in turn.
LAUNCH_SESSIONS = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="miniport.settings",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        MINIPORT_VAR_DIR=str(folder / "var"),
        MINIPORT_HOST_APPS=f"{HOST_ID}:{HOST_SECRET}",
        MINIPORT_BENCH_CEILING="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own console script
        [str(MINIPORT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"miniport {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def prepare_codes(env: dict[str, str], appid: str, count: int, users: int) -> list[str]:
    """Login codes spread over `users` identities, made in this process with the same
    service the runtime endpoint uses."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import transaction

    from miniport.core import clock
    from miniport.core.actors import Actor
    from miniport.identities.models import Identity
    from miniport.miniprograms.models import MiniProgram
    from miniport.miniprograms.services import credentials

    miniprogram = MiniProgram.objects.select_related("subject__registration").get(appid=appid)
    with transaction.atomic():
        now = clock.now()
        Identity.objects.bulk_create(
            [
                Identity(wechat_id=f"bench_user_{i:05d}", nickname=f"bench {i}", created_at=now)
                for i in range(users)
            ]
        )
    identities = list(Identity.objects.filter(wechat_id__startswith="bench_user_"))
    codes: list[str] = []
    actor = Actor.system("bench")
    with transaction.atomic():
        for i in range(count):
            identity = identities[i % len(identities)]
            codes.append(
                credentials.login_code_issue(
                    actor=actor, identity=identity, miniprogram=miniprogram
                ).code
            )
    from django.db import connections

    connections.close_all()
    return codes


def bench_package(version: str) -> bytes:
    """A small valid mini program package; the version makes its bytes its own."""
    import io
    import zipfile

    pages = ("pages/index/index", "pages/logs/logs")
    files = {
        "app.json": json.dumps({"pages": list(pages)}).encode(),
        "app.js": f"App({{}}) // {version}\n".encode(),
    }
    for page in pages:
        files.update({f"{page}.js": b"Page({})\n", f"{page}.wxml": b"<view>hi</view>\n",
                      f"{page}.wxss": b"view {}\n", f"{page}.json": b"{}\n"})  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def prepare_launch(appid: str, count: int) -> list[str]:
    """1.0.0 released, 2.0.0 approved and in gray release; identity sessions of the host
    app for `count` of the bench identities (after prepare_codes set Django up)."""
    import io

    from django.db import connections

    from miniport.core.actors import Actor
    from miniport.identities.models import Identity
    from miniport.miniprograms.models import MiniProgram
    from miniport.miniprograms.services import categories
    from miniport.releases import services
    from miniport.review import services as review_services
    from miniport.runtime import auth

    miniprogram = MiniProgram.objects.get(appid=appid)
    actor = Actor.system("bench")
    categories.category_add(actor=actor, miniprogram=miniprogram, first=1, second=101)
    item = {"address": "pages/index/index", "tag": "工具", "first_class": "工具",
            "second_class": "信息查询", "first_id": 1, "second_id": 101, "title": "首页"}  # fmt: skip
    for version in ("1.0.0", "2.0.0"):
        dev_version = services.version_upload(
            actor=actor, miniprogram=miniprogram, archive=io.BytesIO(bench_package(version)),
            user_version=version, user_desc=f"bench {version}", source="cli",
        )  # fmt: skip
        submission = services.version_submit_for_review(
            actor=actor, miniprogram=miniprogram, dev_version=dev_version, items=[item]
        )
        review_services.review_approve(actor=actor, review=submission.review)
        if version == "1.0.0":
            services.release_publish(actor=actor, miniprogram=miniprogram)
    services.gray_release(actor=actor, miniprogram=miniprogram, percentage=GRAY_PERCENTAGE)
    identities = Identity.objects.filter(wechat_id__startswith="bench_user_").order_by("id")
    sessions = [auth.session_issue(identity, HOST_ID) for identity in identities[:count]]
    connections.close_all()
    return sessions


def access_token(port: int, app: dict) -> str:
    """The app's stable access_token, asked of the running server."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(http_post("/cgi-bin/stable_token", {"grant_type": "client_credential",
                                                        "appid": app["appid"],
                                                        "secret": app["secret"]}))  # fmt: skip
        answer = b""
        while b"}" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])["access_token"]


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    # wrk reports quantiles, not single requests: (seconds, requests it stands for)
    weighted: list[tuple[float, float]] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    first_error: str = ""
    elapsed: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the server's processes spent on this phase

    @property
    def count(self) -> int:
        return self.requests + len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        samples = self.weighted + [(latency, 1.0) for latency in self.latencies]
        if not samples:
            return 0.0
        samples.sort()
        wanted = q * sum(weight for _latency, weight in samples)
        seen = 0.0
        for latency, weight in samples:
            seen += weight
            if seen >= wanted:
                return latency * 1000
        return samples[-1][0] * 1000


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def connection_loop(
    port: int,
    phase: Phase,
    next_request: Callable[[], bytes | None],
    is_success: Callable[[bytes], bool],
    deadline: float,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            request = next_request()
            if request is None:
                return
            started = time.perf_counter()
            writer.write(request)
            try:
                status, body = await read_response(reader)
            except asyncio.IncompleteReadError as closed:
                if closed.partial:
                    raise
                # The server closed an idle keep-alive connection before reading the
                # request: reconnect and send it again, as HTTP clients do.
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                started = time.perf_counter()
                writer.write(request)
                status, body = await read_response(reader)
            phase.latencies.append(time.perf_counter() - started)
            if status != 200 or not is_success(body):
                phase.errors += 1
                phase.first_error = phase.first_error or f"{status} {body[:200]!r}"
    finally:
        writer.close()


async def load(
    port: int,
    phase: Phase,
    next_request: Callable[[], bytes | None],
    is_success: Callable[[bytes], bool],
    *,
    connections: int,
    seconds: float,
) -> Phase:
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            connection_loop(port, phase, next_request, is_success, deadline)
            for _ in range(connections)
        )
    )
    phase.elapsed = time.perf_counter() - started
    return phase


def http_get(
    path: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> bytes:
    target = f"{path}?{urlencode(params)}" if params else path
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def http_post(path: str, body: dict) -> bytes:
    raw = json.dumps(body).encode()
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(raw)}\r\n\r\n"
    return head.encode() + raw


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("miniport serve exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(http_get("/runtime/v1/ping"))
                if b"200" in sock.recv(64):
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("miniport serve did not answer in time")


def cycle(requests: list[bytes], limit: int) -> Callable[[], bytes | None]:
    """The requests in turn, again and again, `limit` in all."""
    state = {"n": 0}

    def take() -> bytes | None:
        if state["n"] >= limit:
            return None
        state["n"] += 1
        return requests[state["n"] % len(requests)]

    return take


def bounded(requests: deque) -> Callable[[], bytes | None]:
    def take() -> bytes | None:
        try:
            return requests.popleft()
        except IndexError:
            return None

    return take


def repeat(request: bytes, limit: int) -> Callable[[], bytes | None]:
    left = {"n": limit}

    def take() -> bytes | None:
        if left["n"] <= 0:
            return None
        left["n"] -= 1
        return request

    return take


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it: serve, its nginx and gunicorn master, their
    workers."""
    found, queue = [], [pid]
    while queue:
        process = queue.pop()
        found.append(process)
        try:
            queue += map(int, Path(f"/proc/{process}/task/{process}/children").read_text().split())
        except OSError:
            continue
    return found


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server (the front, gunicorn and its workers) so
    far (Linux /proc), so the report shows what each answer cost the server, apart from
    the load generator and whatever else the machine runs; 0 where /proc is missing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    if not Path(f"/proc/{pid}").exists():
        return 0.0
    for process in _descendants(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that ended between the two reads
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def counted(server_pid: int, phase: Phase, run: Callable[[], object]) -> None:
    """Run one slice of `phase` and add the server CPU time it took."""
    before = server_cpu_seconds(server_pid)
    run()
    phase.server_cpu += server_cpu_seconds(server_pid) - before


def report(phases: list[Phase]) -> bool:
    """The table: each endpoint against the bare ceiling (the first phase) and ping."""
    ceiling = phases[0].rate
    ping = next((phase.rate for phase in phases if phase.name == "ping"), 0.0)
    print(
        f"\n{'endpoint':<16}{'requests':>10}{'req/s':>10}{'/bare':>7}{'/ping':>7}{'p50 ms':>8}"
        f"{'p99 ms':>8}{'errors':>8}{'cpu us':>8}"
    )
    passed = True
    for phase in phases:
        ratio = phase.rate / ceiling if ceiling else 0.0
        print(
            f"{phase.name:<16}{phase.count:>10}{phase.rate:>10.0f}{ratio:>7.2f}"
            f"{phase.rate / ping if ping else 0.0:>7.2f}{phase.percentile(0.5):>8.1f}"
            f"{phase.percentile(0.99):>8.1f}{phase.errors:>8}"
            f"{phase.server_cpu / max(1, phase.count) * 1e6:>8.0f}"
        )
        if phase.errors:
            print(f"  first error: {phase.first_error}")
            passed = False
        if phase.percentile(0.99) > P99_LIMIT_MS:
            print(f"  p99 above {P99_LIMIT_MS:.0f} ms")
            passed = False
        target = TARGETS.get(phase.name)
        if target is not None and ratio < target:
            print(f"  throughput {ratio:.2f} of the bare ceiling, target {target}")
            passed = False
    return passed


def provision(env: dict[str, str]) -> dict:
    created = run_cli(
        env, "app", "create", "--name", "压测小程序", "--subject-type", "enterprise",
        "--email", "bench@example.com", "--certified", "--json",
    )  # fmt: skip
    return json.loads(created)


def start_server(env: dict[str, str], port: int, workers: int | None, threads: int | None):
    command = [str(MINIPORT), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    server = subprocess.Popen(  # noqa: S603 - our own console script
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    wait_until_up(port, server)
    if server.stdout:
        print((server.stdout.readline() + server.stdout.readline()).rstrip(), flush=True)
    return server


def measure(
    port: int,
    app: dict,
    codes: list[str],
    sessions: list[str],
    token: str,
    args: argparse.Namespace,
    server_pid: int,
) -> list[Phase]:
    """Interleaved rounds (bare, ping, stable_token, jscode2session, launch, latest_audit,
    again and again): a load change on the machine hits every endpoint alike instead of
    one phase."""
    bare = http_get(BARE_PATH)
    ping = http_get("/runtime/v1/ping")
    stable = http_post(
        "/cgi-bin/stable_token",
        {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]},
    )
    logins = deque(
        http_get(
            "/sns/jscode2session",
            {
                "appid": app["appid"],
                "secret": app["secret"],
                "js_code": code,
                "grant_type": "authorization_code",
            },
        )  # fmt: skip
        for code in codes
    )
    launches = [
        http_get(
            "/runtime/v1/launch",
            {"appid": app["appid"], "env": "release"},
            {"X-Host-App": f"{HOST_ID}:{HOST_SECRET}", "X-Identity-Session": session},
        )
        for session in sessions
    ]
    latest = http_get("/wxa/get_latest_auditstatus", {"access_token": token})
    per_round = args.max_requests // args.rounds
    endpoints = [
        (Phase("bare"), lambda: repeat(bare, per_round), lambda body: body == OK_BODY),
        (Phase("ping"), lambda: repeat(ping, per_round), lambda body: body == OK_BODY),
        (
            Phase("stable_token"),
            lambda: repeat(stable, per_round),
            lambda body: b'"access_token"' in body,
        ),
        (Phase("jscode2session"), lambda: bounded(logins), lambda body: b'"openid"' in body),
        (Phase("launch"), lambda: cycle(launches, per_round), lambda body: b'"sha256"' in body),
        (
            Phase("latest_audit"),
            lambda: repeat(latest, per_round),
            lambda body: b'"auditid"' in body,
        ),
    ]
    slice_seconds = args.seconds / args.rounds
    # Warm every worker and path up; not measured.
    for phase, requests, _ok in endpoints:
        if phase.name == "jscode2session":  # logins spend codes; they warm up measured
            continue
        asyncio.run(load(port, Phase("warmup"), requests(), lambda body: True,
                         connections=args.connections, seconds=1))  # fmt: skip
    for _round in range(args.rounds):
        for phase, requests, ok in endpoints:
            elapsed = phase.elapsed
            counted(server_pid, phase, lambda: asyncio.run(load(  # noqa: B023 - run at once
                port, phase, requests(), ok, connections=args.connections,  # noqa: B023
                seconds=slice_seconds)))  # fmt: skip
            phase.elapsed += elapsed
    return [phase for phase, _requests, _ok in endpoints]


# --- wrk: a C load generator, far lighter on the shared CPUs than this process ----------

WRK_SCRIPT = Path(__file__).resolve().parent / "bench_wrk.lua"


def wrk_slice(
    port: int,
    phase: Phase,
    path: str,
    check: str,
    args: argparse.Namespace,
    *,
    seconds: float,
    limit: int,
    body: str = "",
    codes: list[str] | None = None,
    folder: Path | None = None,
    sessions_file: Path | None = None,
) -> dict[int, int]:
    """Load one endpoint with wrk for `seconds` or `limit` answers; add the outcome to
    `phase`. With `codes`, each request carries the next unused one (`path` ends where
    the code goes): wrk thread t takes codes t, t + threads, ...; the answer maps each
    thread to how many of its codes it sent. With `sessions_file`, the requests carry the
    host credential and the file's identity sessions in turn."""
    threads = max(1, min(args.wrk_threads, args.connections))
    script_args = [str(threads), str(max(1, limit // threads)), check]
    if codes is not None and folder is not None:
        code_file = folder / "codes.txt"
        code_file.write_text("\n".join(codes) + "\n")
        script_args += [str(code_file), path]
    elif body:
        script_args += ["", "", body]
    if sessions_file is not None:
        script_args += [""] * (6 - len(script_args))
        script_args += [f"{HOST_ID}:{HOST_SECRET}", str(sessions_file)]
    command = [
        args.wrk, f"-t{threads}", f"-c{args.connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}{path}",
        "--", *script_args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    quantiles: list[float] = []
    sent: dict[int, int] = {}
    answered = 0
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "@@q":
            quantiles.append(int(rest) / 1e6)
        elif kind == "@@sent":
            thread, count = rest.split()
            sent[int(thread)] = int(count)
        elif kind == "@@summary":
            answered, bad, micros, socket_errors = (int(x) for x in rest.split())
            phase.requests += answered
            phase.errors += bad + socket_errors
            phase.elapsed += micros / 1e6
            if socket_errors and not phase.first_error:
                phase.first_error = f"{socket_errors} socket errors or timeouts"
        elif kind == "@@first" and rest.strip() and not phase.first_error:
            phase.first_error = rest.strip()
    if quantiles and answered:
        weight = answered / len(quantiles)
        phase.weighted.extend((latency, weight) for latency in quantiles)
    return sent


def measure_wrk(
    port: int,
    app: dict,
    codes: list[str],
    sessions: list[str],
    token: str,
    args: argparse.Namespace,
    folder: Path,
    server_pid: int,
) -> list[Phase]:
    """The same interleaved rounds as `measure`, each slice one wrk run."""
    stable_body = json.dumps(
        {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
    )
    login_path = (
        "/sns/jscode2session?"
        + urlencode(
            {"appid": app["appid"], "secret": app["secret"], "grant_type": "authorization_code"}
        )
        + "&js_code="
    )
    launch_path = "/runtime/v1/launch?" + urlencode({"appid": app["appid"], "env": "release"})
    latest_path = "/wxa/get_latest_auditstatus?" + urlencode({"access_token": token})
    sessions_file = folder / "sessions.txt"
    sessions_file.write_text("\n".join(sessions) + "\n")
    per_round = args.max_requests // args.rounds
    bare = Phase("bare")
    ping = Phase("ping")
    stable = Phase("stable_token")
    login = Phase("jscode2session")
    launch = Phase("launch")
    latest = Phase("latest_audit")
    unused = list(codes)

    def run_bare(phase: Phase, seconds: float) -> None:
        wrk_slice(port, phase, BARE_PATH, 'exact:{"ok":true}', args,
                  seconds=seconds, limit=per_round)  # fmt: skip

    def run_ping(phase: Phase, seconds: float) -> None:
        wrk_slice(port, phase, "/runtime/v1/ping", 'exact:{"ok":true}', args,
                  seconds=seconds, limit=per_round)  # fmt: skip

    def run_stable(phase: Phase, seconds: float) -> None:
        wrk_slice(port, phase, "/cgi-bin/stable_token", 'contains:"access_token"', args,
                  seconds=seconds, limit=per_round, body=stable_body)  # fmt: skip

    def run_login(phase: Phase, seconds: float) -> None:
        nonlocal unused
        sent = wrk_slice(port, phase, login_path, 'contains:"openid"', args, seconds=seconds,
                         limit=len(unused), codes=unused, folder=folder)  # fmt: skip
        threads = max(1, len(sent))
        # A code counts as spent once sent, answered or not.
        unused = [code for i, code in enumerate(unused) if i // threads >= sent.get(i % threads, 0)]

    def run_launch(phase: Phase, seconds: float) -> None:
        wrk_slice(port, phase, launch_path, 'contains:"sha256"', args, seconds=seconds,
                  limit=per_round, sessions_file=sessions_file)  # fmt: skip

    def run_latest(phase: Phase, seconds: float) -> None:
        wrk_slice(port, phase, latest_path, 'contains:"auditid"', args,
                  seconds=seconds, limit=per_round)  # fmt: skip

    # Warm every worker and path up; not measured. Logins spend codes, so they warm
    # with a few seconds' worth and the measured rounds use the rest.
    for warm in (run_bare, run_ping, run_stable, run_login, run_launch, run_latest):
        warm(Phase("warmup"), 2)
    slice_seconds = args.seconds / args.rounds
    for _round in range(args.rounds):
        counted(server_pid, bare, lambda: run_bare(bare, slice_seconds))
        counted(server_pid, ping, lambda: run_ping(ping, slice_seconds))
        counted(server_pid, stable, lambda: run_stable(stable, slice_seconds))
        if unused:
            counted(server_pid, login, lambda: run_login(login, slice_seconds))
        counted(server_pid, launch, lambda: run_launch(launch, slice_seconds))
        counted(server_pid, latest, lambda: run_latest(latest, slice_seconds))
    return [bare, ping, stable, login, launch, latest]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per endpoint")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved slices per endpoint")
    parser.add_argument("--connections", type=int, default=64)
    # wrk's run lasts its whole slice even when the bound stopped it early, so a bound
    # reached caps the measured rate: far above what any endpoint answers here.
    parser.add_argument("--max-requests", type=int, default=400000, help="bound per endpoint")
    parser.add_argument(
        "--codes", type=int, default=60000, help="login codes prepared for jscode2session"
    )
    # By default the server runs as `miniport serve` does: the same workers and threads.
    parser.add_argument("--workers", type=int, default=None, help="miniport serve --workers")
    parser.add_argument("--threads", type=int, default=None, help="miniport serve --threads")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "asyncio"),
        default="auto",
        help="load generator: wrk when installed (auto), else this process's asyncio client",
    )
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--users",
        type=int,
        default=5000,
        help="identities the login codes spread over (real logins come from many users)",
    )
    args = parser.parse_args()
    args.wrk = shutil.which("wrk") if args.client != "asyncio" else None
    if args.client == "wrk" and not args.wrk:
        raise SystemExit("wrk is not installed")

    with tempfile.TemporaryDirectory(prefix="miniport-bench-") as tmp:
        env = environment(Path(tmp))
        run_cli(env, "migrate")
        app = provision(env)
        print(f"preparing {args.codes} login codes for {args.users} users ...", flush=True)
        codes = prepare_codes(env, app["appid"], args.codes, args.users)
        print(f"releasing 1.0.0, 2.0.0 in gray release at {GRAY_PERCENTAGE}% ...", flush=True)
        sessions = prepare_launch(app["appid"], min(LAUNCH_SESSIONS, args.users))
        port = free_port()
        server = start_server(env, port, args.workers, args.threads)
        try:
            token = access_token(port, app)
            if args.wrk:
                print(f"load from wrk ({args.wrk}), {args.connections} connections", flush=True)
                phases = measure_wrk(port, app, codes, sessions, token, args, Path(tmp), server.pid)
            else:
                print(f"load from this process, {args.connections} connections", flush=True)
                phases = measure(port, app, codes, sessions, token, args, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        print(f"\nload average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        passed = report(phases)
        bounded_phases = [phase.name for phase in phases if phase.count >= args.max_requests]
        if bounded_phases:
            print(f"\n{', '.join(bounded_phases)} reached --max-requests: the rate is capped")
            passed = False
        print("\nall targets met" if passed else "\ntargets missed")
        return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
