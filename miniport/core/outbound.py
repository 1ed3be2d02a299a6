"""Outbound HTTP for the platform's own calls (message push URL checks, webhooks, pushed
events): `get` and `post`, made only by workers and checks, never by a web request on a
receiver's behalf.

A target is refused unless every address its host resolves to is a public one:
private, loopback, link-local, shared (CGNAT), multicast, reserved and unspecified
addresses are out, unless the operator allows them (settings.OUTBOUND_ALLOW_PRIVATE,
for a platform whose developers' servers live on the same private network). The
connection goes to the very address that was checked, so a second DNS answer cannot
swap in a private one. Redirects are followed by hand, at most
outbound.max_redirects, and each new target is checked the same way. Bodies are read
up to outbound.max_response_bytes.

Refusals raise PlatformError(OUTBOUND_TARGET_REFUSED); network failures raise
OutboundFailed with a short reason the caller turns into its own message.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext_noop

from miniport.core import policy
from miniport.core.errors import CoreError, PlatformError

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "Miniport-Outbound/1.0"


class OutboundFailed(Exception):
    """The target could not be reached or answered nonsense; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    body: bytes
    url: str

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


# IPv6 forms that carry an IPv4 address the packet may end up at: NAT64 (RFC 6052) and
# the deprecated IPv4-compatible addresses; 6to4 (2002::/16) and IPv4-mapped have their
# own accessors in ipaddress.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 0xFFFF):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(address: str) -> bool:
    """Whether one resolved address may be called under the current settings."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if settings.OUTBOUND_ALLOW_PRIVATE:
        return True
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local or ip in _NAT64_LOCAL:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            candidates = [embedded]  # where the packet really goes
    return all(candidate.is_global and not candidate.is_multicast for candidate in candidates)


def resolve(host: str, port: int) -> list[str]:
    """Every address of `host`; refused when any of them is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise OutboundFailed(gettext_noop("the host name does not resolve"))
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OutboundFailed(gettext_noop("the host name does not resolve"))
    if not all(address_allowed(address) for address in addresses):
        raise PlatformError(CoreError.OUTBOUND_TARGET_REFUSED)
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # Certificates are checked against the host name, not the pinned address.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def url_refusal(url: str) -> str | None:
    """Why `url` could never be called (its scheme, user information, host or port), as
    an untranslated message; None when its shape is callable. Checked where a URL is
    accepted for later delivery, so it is refused then rather than failing every retry."""
    try:
        _split(url)
    except OutboundFailed as refused:
        return str(refused)
    return None


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise OutboundFailed(gettext_noop("only http and https URLs can be called"))
    if parts.username or parts.password:
        raise OutboundFailed(gettext_noop("URLs with user information are not called"))
    host = parts.hostname or ""
    if not host:
        raise OutboundFailed(gettext_noop("the URL has no host"))
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    elif port == 0:  # out of range, or ":0", which no server listens on
        raise OutboundFailed(gettext_noop("the URL has an invalid port"))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port, target


def _get_once(url: str, deadline: float, max_bytes: int) -> tuple[int, bytes, str | None]:
    return _exchange("GET", url, deadline, max_bytes)


def _exchange(
    method: str,
    url: str,
    deadline: float,
    max_bytes: int,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, str | None]:
    scheme, host, port, target = _split(url)
    address = resolve(host, port)[0]
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutboundFailed(gettext_noop("the server did not answer in time"))
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=remaining)
    # The socket timeout bounds each read; a server trickling a byte at a time would
    # still hold the caller for ever. The watchdog ends the exchange at the deadline.
    watchdog = threading.Timer(max(0.0, remaining), _cut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        sent_headers = {"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
        connection.request(method, target, body=body, headers=sent_headers)
        response = connection.getresponse()
        body = response.read(max_bytes + 1)
        if time.monotonic() >= deadline:
            raise TimeoutError
        return response.status, body[:max_bytes], response.getheader("Location")
    except ssl.SSLError:
        if time.monotonic() >= deadline:
            raise OutboundFailed(gettext_noop("the server did not answer in time"))
        raise OutboundFailed(gettext_noop("the TLS handshake failed"))
    except TimeoutError:
        raise OutboundFailed(gettext_noop("the server did not answer in time"))
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= deadline:
            raise OutboundFailed(gettext_noop("the server did not answer in time"))
        raise OutboundFailed(gettext_noop("the server could not be reached"))
    finally:
        watchdog.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def get(url: str, *, params: dict[str, str] | None = None, timeout: float) -> OutboundResponse:
    """GET `url` (with `params` added to its query), following checked redirects; the
    whole exchange, every redirect included, ends within `timeout` seconds."""
    if params:
        url = url + ("&" if urlsplit(url).query else "?") + urlencode(params)
    deadline = time.monotonic() + timeout
    max_bytes = policy.value("outbound.max_response_bytes")
    for _hop in range(policy.value("outbound.max_redirects") + 1):
        status, body, location = _get_once(url, deadline, max_bytes)
        if status in REDIRECT_STATUSES and location:
            url = urljoin(url, location)
            continue
        return OutboundResponse(status=status, body=body, url=url)
    raise OutboundFailed(gettext_noop("too many redirects"))


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    timeout: float,
) -> OutboundResponse:
    """POST `body` to `url` (with `params` added to its query) under the same rules as
    `get`: checked target, pinned address, the whole exchange within `timeout` seconds.
    Redirects are not followed (a POST is not repeated elsewhere): a 3xx is the answer."""
    if params:
        url = url + ("&" if urlsplit(url).query else "?") + urlencode(params)
    deadline = time.monotonic() + timeout
    max_bytes = policy.value("outbound.max_response_bytes")
    status, answer, _location = _exchange("POST", url, deadline, max_bytes, body, headers)
    return OutboundResponse(status=status, body=answer, url=url)
