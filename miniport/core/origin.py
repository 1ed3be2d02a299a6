"""The request origin (client address, user agent) of the action in progress."""

from __future__ import annotations

import contextvars
import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    ip: str = ""
    agent: str = ""


# Origin is a frozen dataclass, so sharing one default instance is safe.
_current: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "miniport_origin",
    default=Origin(),  # noqa: B039
)


def current() -> Origin:
    return _current.get()


def set_current(origin: Origin) -> contextvars.Token:
    return _current.set(origin)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or behind settings.TRUSTED_PROXY_HOPS reverse
    proxies the address the outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    with N trusted proxies the N-th entry from the right is the one no client can forge;
    entries further left are whatever the client sent (the API IP whitelist must not
    trust them). A header shorter than N entries, or an entry that is not an IP address,
    falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    if hops <= 0:
        return remote
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < hops:
        return remote
    candidate = entries[-hops]
    return candidate if _is_address(candidate) else remote


@functools.lru_cache(maxsize=1024)
def _is_address(text: str) -> bool:
    """Remembered: parsing an address was a tenth of an API call's own time (issue 14
    item 1), and the front sends the same few."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
