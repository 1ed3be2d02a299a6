"""What the enterprise console and the mini program's enterprise page share: the rows of
associations as both list them, and the QR of WW-3's scan, kept per association in the
browser session that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from miniport.console import tickets
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.enterprise import selectors
from miniport.links.enterprise.models import Association
from miniport.links.enterprise.services import associations

TICKETS = "console_enterprise_tickets"


@dataclass(frozen=True)
class Row:
    association: Association
    status: str  # effective: a request past its days reads "ended"
    expired: bool

    @property
    def status_label(self) -> str:
        return str(selectors.S(self.status).label)

    @property
    def ended_because(self) -> str:
        if self.expired:
            return str(associations.END_REASONS["expired"])
        reason = (self.association.end_reason or "").split(":", 1)[0]
        label = associations.END_REASONS.get(reason)
        return str(label) if label is not None else ""


def rows(found: list[Association]) -> list[Row]:
    return [Row(a, selectors.effective_status(a), selectors.is_expired(a)) for a in found]


def scan_ticket(request, association: Association) -> QrTicket:
    """The live QR of this association shown by this browser, or a new one."""
    return tickets.kept_ticket_of(
        request,
        TICKETS,
        association.pk,
        lambda key: associations.authorize_ticket(association=association, session_key=key),
    )


def keep_ticket(request, association: Association, ticket: QrTicket) -> None:
    """Remember the QR a request made, so its page shows that one."""
    tickets.keep_ticket_of(request, TICKETS, association.pk, ticket)


def ticket_context(request, association: Association, confirm_url: str) -> dict:
    """What `console/_ticket.html` needs; the confirmation posts to `confirm_url`, which
    only shows the page again (the scan itself made the change)."""
    ticket = scan_ticket(request, association)
    return {
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket),
        "confirm_url": confirm_url,
    }
