"""The QR tickets a console page keeps showing while it waits for a scan.

The page keeps the ticket's token in the browser session and shows the same ticket on
every visit while it can still be scanned or used; otherwise it asks for a new one. A
ticket is only ever found for the browser session that asked for it."""

from __future__ import annotations

from collections.abc import Callable

from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.web.sessions import session_key_of

# Ticket states in which the page still shows it (confirmed: about to be used).
ALIVE = ("pending", "scanned", "confirmed")
# Pages that keep one ticket per object keep this many, the latest.
KEPT_PER_SESSION = 10


def alive_ticket(request, token: object) -> QrTicket | None:
    """The ticket with this token, when this browser asked for it and it is alive."""
    if not isinstance(token, str) or not token:
        return None
    key = session_key_of(request)
    ticket = identity_selectors.session_ticket(token=token, session_key=key)
    if ticket is None or identity_services.ticket_status(token=token, session_key=key) not in ALIVE:
        return None
    return ticket


def kept_ticket(request, name: str, make: Callable[[str], QrTicket]) -> QrTicket:
    """The live ticket kept under `name`, or a new one from `make(session_key)`."""
    ticket = alive_ticket(request, request.session.get(name))
    if ticket is None:
        ticket = make(session_key_of(request))
        request.session[name] = ticket.token
    return ticket


def kept_ticket_of(request, name: str, key: object, make: Callable[[str], QrTicket]) -> QrTicket:
    """Like `kept_ticket`, one ticket per object (`key`, e.g. its pk) under `name`."""
    kept = request.session.get(name)
    kept = kept if isinstance(kept, dict) else {}
    ticket = alive_ticket(request, kept.get(str(key)))
    if ticket is None:
        ticket = make(session_key_of(request))
        keep_ticket_of(request, name, key, ticket)
    return ticket


def keep_ticket_of(request, name: str, key: object, ticket: QrTicket) -> None:
    """Remember the ticket a request made for one object, so its page shows that one."""
    kept = request.session.get(name)
    kept = kept if isinstance(kept, dict) else {}
    kept.pop(str(key), None)
    kept[str(key)] = ticket.token
    # Only the latest few: a session does not collect tokens without end.
    request.session[name] = dict(list(kept.items())[-KEPT_PER_SESSION:])
