"""A real `miniport serve` process on a free loopback port, against a temporary SQLite
file migrated here, for the tests that talk to it over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

MINIPORT = Path(sys.executable).parent / "miniport"
HOST_SECRET = "compat-host-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, folder: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
        self.env.update(
            DJANGO_SETTINGS_MODULE="miniport.settings",
            DATABASE_URL=f"sqlite:///{folder / 'compat.sqlite3'}",
            MINIPORT_VAR_DIR=str(folder / "var"),
            MINIPORT_FAST_HASHES="1",
            MINIPORT_HOST_APPS=f"superapp:{HOST_SECRET}",
            PYTHONUNBUFFERED="1",
        )
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(MINIPORT), *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def create_app(self, *, name: str, email: str) -> dict:
        """A certified enterprise mini program from `miniport app create --json`."""
        created = self.cli(
            "app", "create", "--name", name, "--subject-type", "enterprise",
            "--email", email, "--certified", "--json",
        )  # fmt: skip
        return json.loads(created)

    def start(self, *, workers: int = 1, threads: int = 4) -> None:
        self.process = subprocess.Popen(
            [
                str(MINIPORT),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=self.env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "miniport serve exited"
            try:
                if requests.get(self.base + "/runtime/v1/ping", timeout=1).json() == {"ok": True}:
                    return
            except (requests.RequestException, ValueError):
                time.sleep(0.2)
        raise AssertionError("miniport serve did not answer in time")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
