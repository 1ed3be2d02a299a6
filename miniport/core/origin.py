"""The request origin (client address, user agent) of the action in progress."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


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
    # Behind a proxy, the operator sets MINIPORT_TRUST_X_FORWARDED_FOR; otherwise REMOTE_ADDR.
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or ""
