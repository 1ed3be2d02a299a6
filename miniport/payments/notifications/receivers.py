"""In-process receivers: a notify_url "internal:<name>" is delivered to the function
registered under <name> (the platform's own fee orders), not over HTTP. The function takes
the notification's XML body and answers True to acknowledge it (like a merchant's
`return_code` SUCCESS), False to have it retried."""

from __future__ import annotations

from collections.abc import Callable

PREFIX = "internal:"
Receiver = Callable[[str], bool]
_receivers: dict[str, Receiver] = {}


def register(name: str, fn: Receiver) -> None:
    """Receive the notifications sent to "internal:<name>"; registering again replaces."""
    _receivers[name] = fn


def unregister(name: str) -> None:
    _receivers.pop(name, None)


def is_internal(url: str) -> bool:
    return (url or "").startswith(PREFIX)


def receiver_for(url: str) -> Receiver | None:
    """The receiver of an "internal:<name>" URL, or None when nobody registered <name>."""
    return _receivers.get(url[len(PREFIX) :]) if is_internal(url) else None
