"""Two `miniport serve` nodes and two `miniport worker`s on one PostgreSQL database and one
Redis, as a deployment on several machines runs them (issue 14 item 3, README
"Deployment" › "More than one machine").

The nodes share what machines share: the database, Redis, every secret set in the
environment (nothing from var/secrets.json decides), SITE_URL (the load balancer's
address) and the files folder (shared storage). Both use one var folder here, as two
servers on one machine do: each front keeps its config under var/front/<port>/."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from tests.cli.conftest import MINIPORT

# The Redis database the nodes use when REDIS_URL is not set (CI sets none).
FALLBACK_REDIS_URL = "redis://127.0.0.1:6379/14"
# Settings the nodes get from the cluster, never from the environment of the test run.
_NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SITE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
}
HOST_APP = "superapp"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or FALLBACK_REDIS_URL


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/" + name, parts.query, ""))


def database_name(url: str) -> str:
    """A database of this run's own: the configured one's name, `_nodes_` and this
    process's id, so xdist workers and runs side by side never share one."""
    base = urlsplit(url).path.lstrip("/") or "miniport"
    return f"{base}_nodes_{os.getpid()}"[:63]


def maintenance_url(url: str) -> str:
    return _with_database(url, "postgres")


class Database:
    """A PostgreSQL database made for the cluster and dropped after it."""

    def __init__(self, url: str) -> None:
        self.name = database_name(url)
        self.admin = maintenance_url(url)
        self.url = _with_database(url, self.name)

    def create(self) -> None:
        with psycopg.connect(self.admin, autocommit=True, connect_timeout=5) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with psycopg.connect(self.admin, autocommit=True, connect_timeout=5) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.url, connect_timeout=5) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]


def shared_environment(folder: Path, database_url: str, cache_url: str, site_url: str) -> dict:
    """What every node and worker of the deployment is started with."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _NOT_INHERITED
        and (not name.startswith("MINIPORT_") or name == "MINIPORT_NGINX")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="miniport.settings",
        DATABASE_URL=database_url,
        REDIS_URL=cache_url,
        SITE_URL=site_url,
        MINIPORT_VAR_DIR=str(folder / "var"),
        SECRET_KEY=secrets.token_urlsafe(50),
        MINIPORT_DIGEST_KEY=secrets.token_urlsafe(32),
        MINIPORT_ID_KEY=secrets.token_urlsafe(32),
        MINIPORT_AUDIT_KEY=secrets.token_urlsafe(32),
        MINIPORT_DATA_KEYS="k1:" + secrets.token_urlsafe(32),
        MINIPORT_HOST_APPS=f"{HOST_APP}:{secrets.token_urlsafe(32)}",
        # The webhook receiver of the tests listens on loopback.
        MINIPORT_OUTBOUND_ALLOW_PRIVATE="1",
        MINIPORT_FAST_HASHES="1",
        PYTHONUNBUFFERED="1",
    )
    return env


class Process:
    """One long-running `miniport` command, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, folder: Path) -> None:
        self.name = name
        self.log_path = folder / f"{name}.log"
        self.log = self.log_path.open("w+")
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(MINIPORT), *args],
            env=env,
            cwd=folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


class Node(Process):
    """`miniport serve` (nginx in front of gunicorn) on its own port."""

    def __init__(self, name: str, port: int, env: dict, folder: Path, workers: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        args = ["serve", "--port", str(port), "--workers", str(workers)]
        super().__init__(name, args, env, folder)

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.output()}")
            try:
                if requests.get(self.base + "/runtime/v1/ping", timeout=2).json() == {"ok": True}:
                    return
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer: {self.output()}")

    def api(self, method: str, path: str, **kwargs) -> dict:
        answer = requests.request(method, self.base + path, timeout=30, **kwargs)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        return answer.json()


class Cluster:
    def __init__(self, folder: Path, database: Database, cache_url: str) -> None:
        self.folder = folder
        self.database = database
        self.cache_url = cache_url
        ports = (free_port(), free_port())
        # The load balancer's address stands in as the site URL: node A's here.
        self.env = shared_environment(
            folder, database.url, cache_url, site_url=f"http://127.0.0.1:{ports[0]}"
        )
        self.host_app = self.env["MINIPORT_HOST_APPS"]
        self.ports = ports
        self.nodes: list[Node] = []
        self.workers: list[Process] = []

    def cli(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(  # noqa: S603 - our own console script
            [str(MINIPORT), *args],
            env={**self.env, **(env or {})},
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def cli_json(self, *args: str) -> dict:
        return json.loads(self.cli(*args, "--json"))

    def start(self, *, workers_per_node: int = 2) -> None:
        self.nodes = [
            Node(name, port, self.env, self.folder, workers_per_node)
            for name, port in zip(("node-a", "node-b"), self.ports, strict=True)
        ]
        # Two workers sweep the same outbox and deliveries: "exactly once" has a rival.
        self.workers = [
            Process(name, ["worker", "--interval", "1", "--poll", "0.2"], self.env, self.folder)
            for name in ("worker-1", "worker-2")
        ]
        for node in self.nodes:
            node.wait_until_up()

    def stop(self) -> None:
        for process in [*self.nodes, *self.workers]:
            process.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.output()[-3000:]}" for p in [*self.nodes, *self.workers]
        )
