"""The identity on the phone may deny a request; a denied ticket is closed."""

import pytest

from miniport.core.errors import PlatformError
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import new_ticket, state


@pytest.fixture
def denied(make_identity, session_key):
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    services.ticket_deny(identity=identity, token=ticket.token)
    return identity, ticket


def test_denying_closes_the_ticket_and_records_who(denied, session_key):
    identity, ticket = denied
    assert state(ticket)["status"] == TicketStatus.DENIED
    assert state(ticket)["confirmed_by"] == identity.pk
    assert services.ticket_status(token=ticket.token, session_key=session_key) == "denied"


def test_denied_ticket_cannot_be_used(denied, session_key):
    """REG-10: a denied second step never completes the login."""
    _, ticket = denied
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    assert refused.value.code is IdentityError.TICKET_DENIED
    assert state(ticket) == before


def test_denied_ticket_cannot_be_confirmed_afterwards(denied):
    identity, ticket = denied
    before = state(ticket)
    for attempt in (services.ticket_confirm, services.ticket_for_scan, services.ticket_deny):
        with pytest.raises(PlatformError) as refused:
            attempt(identity=identity, token=ticket.token)
        assert refused.value.code is IdentityError.TICKET_DENIED
    assert state(ticket) == before


def test_confirmed_ticket_cannot_be_denied_afterwards(make_identity, session_key):
    identity = make_identity()
    ticket = new_ticket(session_key, expected_identity=identity)
    services.ticket_confirm(identity=identity, token=ticket.token)
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_deny(identity=identity, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_USED
    assert state(ticket) == before
