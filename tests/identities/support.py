"""Helpers for ticket tests of the identities domain and the phone pages."""

from __future__ import annotations

from contextlib import contextmanager

from miniport.core import ids, origin
from miniport.core.models import AuditEntry
from miniport.identities import services
from miniport.identities.models import Identity, QrTicket

CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)


@contextmanager
def requested_from(ip: str = "203.0.113.7", agent: str = CHROME_ON_WINDOWS):
    """Act as a request from this address and browser, as the middleware does."""
    token = origin.set_current(origin.Origin(ip=ip, agent=agent))
    try:
        yield
    finally:
        origin.reset(token)


def new_ticket(session_key: str, *, purpose: str = "generic", **options) -> QrTicket:
    with requested_from():
        return services.ticket_create(purpose=purpose, session_key=session_key, **options)


def admin_requirements(real_name: str, id_number: str) -> dict:
    """What the registration asks of the scanning administrator (REG-5 / REG-8)."""
    return {"real_name": real_name, "id_number_digest": ids.digest(id_number)}


def admin_ticket_for(identity: Identity, session_key: str, **changes) -> QrTicket:
    wanted = {"real_name": identity.real_name, "id_number": identity.id_number, **changes}
    return new_ticket(
        session_key,
        purpose="admin_check",
        requirements=admin_requirements(wanted["real_name"], wanted["id_number"]),
        summary="administrator identity check",
    )


def state(ticket: QrTicket) -> dict:
    """Everything a decision or a use could change, read back from the database."""
    row = QrTicket.objects.get(pk=ticket.pk)
    return {
        "status": row.status,
        "confirmed_by": row.confirmed_by_id,
        "decided_at": row.decided_at,
        "consumed_at": row.consumed_at,
        "session_digest": row.session_digest,
        "audit_rows": AuditEntry.objects.count(),
    }
