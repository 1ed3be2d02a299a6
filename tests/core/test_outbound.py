"""Outbound calls (the message push URL check of DEV-3, webhooks): private and loopback
targets are refused however they are written or reached, and a call ends within its time
limit however slowly the other side answers (DESIGN security)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from miniport.core import outbound
from miniport.core.errors import CoreError, PlatformError


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a01:203",  # NAT64 of 10.1.2.3
        "64:ff9b:1::1",  # local-use NAT64
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
        "::127.0.0.1",  # IPv4-compatible
        "fec0::1",  # site-local
    ],
)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(settings, address):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert not outbound.address_allowed(address)


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1"])
def test_ipv6_forms_of_public_ipv4_addresses_are_allowed(settings, address):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert outbound.address_allowed(address)


@pytest.mark.django_db
def test_a_host_name_that_resolves_to_loopback_is_refused_before_any_connection(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(PlatformError) as refused:
        outbound.get("http://localhost:9/", timeout=2)
    assert refused.value.code == CoreError.OUTBOUND_TARGET_REFUSED


class Trickle(BaseHTTPRequestHandler):
    """Sends its answer one byte at a time, each byte just inside a socket timeout."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_port}/")
            self.end_headers()
            return
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass  # the caller hung up


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_server_trickling_its_answer_is_cut_off_at_the_time_limit(settings, slow_server):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    started = time.monotonic()
    with pytest.raises(outbound.OutboundFailed) as failed:
        outbound.get(slow_server + "/", timeout=1.0)
    assert time.monotonic() - started < 2.5
    assert failed.value.reason == "the server did not answer in time"


@pytest.mark.django_db
def test_a_redirect_to_a_private_address_is_refused(settings, slow_server, monkeypatch):
    """The first target is allowed (as if public); the one it redirects to is not."""
    settings.OUTBOUND_ALLOW_PRIVATE = False
    real = outbound.address_allowed
    monkeypatch.setattr(
        outbound, "address_allowed", lambda address: address == "127.0.0.1" or real(address)
    )
    with pytest.raises(PlatformError) as refused:
        outbound.get(slow_server + "/redirect", timeout=5)
    assert refused.value.code == CoreError.OUTBOUND_TARGET_REFUSED
