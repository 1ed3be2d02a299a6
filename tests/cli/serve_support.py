"""A real `miniport serve` (nginx in front of gunicorn) for the tests of issue 9 items 2, 8
and 9: started on a free port, waited for, stopped and its output kept."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.conftest import MINIPORT, Cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_nginx() -> None:
    """The front is part of the server: in CI its absence fails the test (make test
    installs it); elsewhere the test is skipped with the reason."""
    from miniport.cli.front import find_nginx

    if find_nginx() is None:
        message = "nginx is not installed (sh scripts/ensure-nginx.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def processes_in(folder: Path) -> list[int]:
    """Live processes working in `folder` (serve, its nginx, gunicorn and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) == folder and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class Served:
    """One `miniport serve` process."""

    def __init__(
        self, cli: Cli, *args: str, env: dict[str, str] | None = None, port: int = 0
    ) -> None:
        self.cli = cli
        self.port = port or free_port()
        self.log_path = cli.folder / f"serve-{self.port}.log"
        self.log = self.log_path.open("w+")
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(MINIPORT), "serve", "--port", str(self.port), *args],
            env={**cli.env, **(env or {})},
            cwd=cli.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def front(self) -> Path:
        return self.cli.folder / "var" / "front" / str(self.port)

    def wait_until_up(self, seconds: float = 40) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}: {self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(b"GET /runtime/v1/ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if b" 200 " in probe.recv(64).split(b"\r\n", 1)[0]:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"serve did not answer: {self.output()}")

    def gunicorn_master(self) -> int:
        for pid in children(self.process.pid):
            if "nginx" not in command_line(pid):
                return pid
        raise AssertionError("no gunicorn master under serve")

    def nginx_master(self) -> int:
        for pid in children(self.process.pid):
            if "nginx" in command_line(pid):
                return pid
        raise AssertionError("no nginx under serve")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()
        return self.process.returncode


def raw_request(port: int, request: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:  # a refusal may close with a reset after its answer
            if not answer:
                raise
    return answer
