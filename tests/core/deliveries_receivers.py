"""Local HTTP receivers for delivery tests: real servers on loopback, one thread per
request, that answer fast, slowly, with an error, or as told; each remembers what it got
and when (time.monotonic)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    url: str
    seen: list[Received] = field(default_factory=list)
    # path -> (seconds to wait before answering, HTTP status, body)
    behaviour: dict[str, tuple[float, int, bytes]] = field(default_factory=dict)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.seen if r.path == path]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            receiver.seen.append(
                Received(
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    headers={k: v for k, v in self.headers.items()},
                    body=body,
                    at=time.monotonic(),
                )
            )
            wait, status, answer = receiver.behaviour.get(parts.path, (0.0, 200, b"success"))
            if wait:
                time.sleep(wait)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server


def dead_url() -> str:
    """A loopback address where nothing listens (the connection is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"
