"""`miniport serve` on an address something already listens on (another Miniport, or
anything) exits 2 with one line saying so, before it writes or prints anything: the
running server's folder var/front/<port>/, which its nginx reads again when it reloads,
is left as it was, and no banner or demo login is printed for a server that never ran."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest


def listening_socket() -> socket.socket:
    """A port taken the way nginx takes one (SO_REUSEADDR on)."""
    taken = socket.socket()
    taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    return taken


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("mode", [(), ("--no-front",)], ids=["front", "no-front"])
def test_a_port_in_use_exits_2_in_one_line_and_leaves_the_running_front_as_it_was(cli, mode):
    with listening_socket() as taken:
        port = taken.getsockname()[1]
        front = cli.folder / "var" / "front" / str(port)
        front.mkdir(parents=True)
        (front / "nginx.conf").write_text("# the running server's config\n")
        (front / "error.log").write_text("the running server's log\n")
        before = snapshot(front)
        done = cli("serve", "--port", str(port), "--workers", "1", *mode)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"miniport: error: 127.0.0.1:{port} is in use: stop what listens there or choose"
        " another --port"
    ]
    assert snapshot(front) == before


def test_a_port_in_use_is_refused_and_a_free_one_is_not():
    from miniport.cli.serve import listen_refusal

    with listening_socket() as taken:
        port = taken.getsockname()[1]
        assert "is in use" in (listen_refusal("127.0.0.1", port) or "")
        assert "is in use" in (listen_refusal("localhost", port) or "")
    assert listen_refusal("127.0.0.1", port) is None


def _states(port: int) -> set[str]:
    """The TCP states (hex, as the kernel lists them) of IPv4 sockets on a local port."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return {row.split()[3] for row in rows if row.split()[1].endswith(f":{port:04X}")}


def test_a_port_a_stopped_server_left_in_time_wait_is_free():
    """nginx binds with SO_REUSEADDR, so a port whose server closed its connections first
    and stopped can be served again at once: the probe must not call it busy."""
    from miniport.cli.serve import listen_refusal

    with listening_socket() as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _address = listener.accept()
        accepted.close()  # the server closes first: its side waits in TIME_WAIT
        time.sleep(0.1)
        client.close()
    time.sleep(0.1)
    if "06" not in _states(port):
        pytest.skip("no TIME_WAIT socket to look at (no /proc/net/tcp or it ended already)")
    assert listen_refusal("127.0.0.1", port) is None
