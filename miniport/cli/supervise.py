"""The supervision of `miniport serve`'s children: gunicorn (a forked child, its arbiter,
through its Python API) and nginx (the front, miniport.cli.front writes its config).

If either dies the other is stopped and the server exits 1, so a supervisor (systemd's
Restart=, deploy/miniport.service) starts the whole server again; SIGTERM or SIGINT stop
both and exit 0. Each child leads its own process group and ends with this process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from miniport.cli.base import EXIT_REFUSED

# Seconds a stop waits for nginx to finish the requests in flight before ending it.
FRONT_STOP_SECONDS = 10


def _die_with_parent() -> None:
    """A child ends when this process ends, even by kill -9 (Linux's parent-death signal);
    and in its own process group, so a terminal's Ctrl+C reaches this process only,
    which stops the children in order."""
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def _end_group(group: int) -> None:
    """Whatever is left of a child's process group: a master killed outright leaves its
    workers behind (nginx's would go on answering on the public port)."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, signum)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.5)


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"was killed by signal {os.WTERMSIG(status)}"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"


class Supervisor:
    """Runs gunicorn (a forked child, its arbiter) and nginx (a child process); exits 1
    when either ends on its own, 0 when asked to stop."""

    def __init__(self, options: dict[str, Any], backend: socket.socket, nginx: list[str]):
        self.options = options
        self.backend = backend
        self.nginx_command = nginx
        self.stop_requested = False
        self.gunicorn_pid = 0
        self.gunicorn_group = 0  # each child leads its own process group
        self.nginx: subprocess.Popen | None = None

    def _request_stop(self, _signum, _frame) -> None:
        self.stop_requested = True

    def _start_gunicorn(self) -> int:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: gunicorn's arbiter on the inherited socket
            code = 1
            try:
                _die_with_parent()
                for signum in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(signum, signal.SIG_DFL)
                self.options["bind"] = f"fd://{self.backend.detach()}"
                GunicornServer(self.options).run()
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            except BaseException:  # noqa: BLE001 - reported, and the child must not return
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.backend.close()
        return pid

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._request_stop)
        self.gunicorn_pid = self.gunicorn_group = self._start_gunicorn()
        self.nginx = subprocess.Popen(  # noqa: S603 - the nginx found on PATH, our config
            self.nginx_command, preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL
        )
        failure = ""
        while not self.stop_requested:
            pid, status = os.waitpid(self.gunicorn_pid, os.WNOHANG)
            if pid:
                self.gunicorn_pid = 0
                failure = f"gunicorn {_describe_status(status)}"
                break
            if self.nginx.poll() is not None:
                failure = f"nginx exited with status {self.nginx.returncode}"
                failure += self._front_log_tail()
                break
            time.sleep(0.2)
        self._stop_children()
        if failure and not self.stop_requested:
            sys.stderr.write(f"miniport: error: {failure}; the server stopped\n")
            sys.stderr.flush()
            return EXIT_REFUSED
        return 0

    def _front_log_tail(self) -> str:
        log = Path(self.nginx_command[self.nginx_command.index("-e") + 1])
        try:
            lines = [line for line in log.read_text().splitlines() if "[emerg]" in line]
        except OSError:
            return ""
        return f" ({lines[-1].split('] ', 1)[-1]})" if lines else ""

    def _stop_children(self) -> None:
        """nginx first (it finishes the requests in flight, which need gunicorn), then
        gunicorn (it finishes its own within graceful_timeout)."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=FRONT_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.nginx.terminate()
                try:
                    self.nginx.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.nginx.kill()
                    self.nginx.wait()
        if self.nginx is not None:
            _end_group(self.nginx.pid)  # workers of a master that was killed
        gunicorn_group = self.gunicorn_group
        if self.gunicorn_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.gunicorn_pid, signal.SIGTERM)
            deadline = time.monotonic() + self.options.get("graceful_timeout", 10) + 5
            while time.monotonic() < deadline:
                pid, _status = os.waitpid(self.gunicorn_pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.1)
            else:
                os.kill(self.gunicorn_pid, signal.SIGKILL)
                os.waitpid(self.gunicorn_pid, 0)
            self.gunicorn_pid = 0
        if gunicorn_group:
            _end_group(gunicorn_group)  # workers of a master that was killed


def _load_gunicorn_base():
    from gunicorn.app.base import BaseApplication

    return BaseApplication


class GunicornServer(_load_gunicorn_base()):  # type: ignore[misc]
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
