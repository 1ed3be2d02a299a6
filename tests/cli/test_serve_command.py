"""`miniport serve`: the production server starts, answers and prints how to sign in."""

import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from miniport import demo
from tests.cli.conftest import MINIPORT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local URL
                return response.status
        except urllib.error.HTTPError as answered:
            return answered.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def test_one_thread_runs_sync_workers_and_more_threads_run_gthread_workers():
    from miniport.cli import build_parser
    from miniport.cli.serve import server_options

    default = server_options(build_parser().parse_args(["serve"]))
    assert (default["worker_class"], default["threads"]) == ("sync", 1)
    threaded = server_options(build_parser().parse_args(["serve", "--threads", "4"]))
    assert (threaded["worker_class"], threaded["threads"]) == ("gthread", 4)
    assert threaded["keepalive"] > 0


def test_sync_workers_default_to_one_per_core_and_threaded_ones_to_two(monkeypatch):
    import os

    from miniport.cli.serve import default_workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert default_workers(1) == 3
    assert default_workers(4) == 6
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert default_workers(1) == 2  # never a single process


@pytest.mark.live_server_process
@pytest.mark.parametrize("threads", ["1", "2"], ids=["sync", "gthread"])
def test_serve_answers_the_home_page_and_prints_the_url_and_demo_logins(cli, threads):
    assert cli("demo", "--once").returncode == 0
    port = free_port()
    log = (cli.folder / "serve.log").open("w+")
    server = subprocess.Popen(
        [str(MINIPORT), "serve", "--port", str(port), "--workers", "1", "--threads", threads],
        env=cli.env,
        cwd=cli.folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status = wait_for(f"http://127.0.0.1:{port}/", seconds=30)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
    log.seek(0)
    output = log.read()
    log.close()
    assert status == 200, output
    assert f"http://127.0.0.1:{port}/" in output
    assert demo.OPS_EMAIL in output
    assert demo.CONSOLE_EMAIL in output
    assert demo.ADMIN_WECHAT_ID in output
    assert demo.DEMO_PASSWORD in output
    assert f"1 workers x {threads} threads" in output
    assert "Traceback" not in output
    assert "Warning" not in output
    assert (cli.folder / "var").is_dir()
