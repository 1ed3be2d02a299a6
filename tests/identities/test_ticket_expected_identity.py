"""When a ticket names the identity that must confirm, no other may (REG-10, MEM-4)."""

import pytest

from miniport.core.errors import PlatformError
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import new_ticket, state


def test_the_bound_identity_confirms(make_identity, session_key):
    """REG-10: the second login step is confirmed by the bound administrator."""
    admin = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=admin)
    confirmed = services.ticket_confirm(identity=admin, token=ticket.token)
    assert confirmed.status == TicketStatus.CONFIRMED
    assert confirmed.confirmed_by == admin


@pytest.mark.parametrize("attempt", ["ticket_for_scan", "ticket_confirm", "ticket_deny"])
def test_another_identity_is_refused_and_changes_nothing(make_identity, session_key, attempt):
    """REG-10: scanning with a different WeChat user is refused; the ticket is not even
    marked scanned, so the computer does not think its owner looked at it."""
    admin, stranger = make_identity(), make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=admin)
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        getattr(services, attempt)(identity=stranger, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    assert state(ticket) == before
    assert state(ticket)["status"] == TicketStatus.PENDING


def test_scanning_marks_the_ticket_scanned(make_identity, session_key):
    admin = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=admin)
    services.ticket_for_scan(identity=admin, token=ticket.token)
    assert services.ticket_status(token=ticket.token, session_key=session_key) == "scanned"
    # Scanning again is harmless.
    again = services.ticket_for_scan(identity=admin, token=ticket.token)
    assert again.status == TicketStatus.SCANNED
