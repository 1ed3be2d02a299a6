"""QR tickets are single use (REG-10, DESIGN "Security")."""

import pytest

from miniport.core.errors import PlatformError
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import new_ticket, state


@pytest.fixture
def confirmed(make_identity, session_key):
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    services.ticket_confirm(identity=identity, token=ticket.token)
    return identity, ticket


def test_confirmed_ticket_is_used_once_by_the_session_that_asked(confirmed, session_key):
    """REG-10: the requesting session uses the confirmation, which records who confirmed."""
    identity, ticket = confirmed
    used = services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    assert used.status == TicketStatus.CONSUMED
    assert used.confirmed_by == identity
    assert used.consumed_at is not None


def test_second_use_of_a_ticket_is_refused_as_used(confirmed, session_key):
    """REG-10: a ticket cannot be used twice."""
    _, ticket = confirmed
    services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    assert refused.value.code is IdentityError.TICKET_USED
    assert state(ticket) == before


def test_confirming_an_already_confirmed_ticket_again_is_refused(confirmed):
    identity, ticket = confirmed
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_confirm(identity=identity, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_USED
    assert state(ticket) == before


def test_a_used_ticket_can_no_longer_be_scanned_or_denied(confirmed, session_key):
    identity, ticket = confirmed
    services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    before = state(ticket)
    for attempt in (services.ticket_for_scan, services.ticket_deny, services.ticket_confirm):
        with pytest.raises(PlatformError) as refused:
            attempt(identity=identity, token=ticket.token)
        assert refused.value.code is IdentityError.TICKET_USED
    assert state(ticket) == before


def test_unconfirmed_ticket_cannot_be_used(make_identity, session_key):
    ticket = new_ticket(session_key, purpose="login", expected_identity=make_identity())
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    assert refused.value.code is IdentityError.TICKET_PENDING
    assert state(ticket) == before


def test_ticket_for_another_purpose_is_refused_as_invalid(confirmed, session_key):
    """A login confirmation cannot stand in for an AppSecret reset."""
    _, ticket = confirmed
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(token=ticket.token, session_key=session_key, purpose="secret_reset")
    assert refused.value.code is IdentityError.TICKET_INVALID
    assert state(ticket) == before


def test_unknown_token_is_refused_as_invalid(make_identity):
    with pytest.raises(PlatformError) as refused:
        services.ticket_for_scan(identity=make_identity(), token="no-such-token")
    assert refused.value.code is IdentityError.TICKET_INVALID


def test_every_ticket_gets_its_own_unguessable_token(session_key):
    tokens = {new_ticket(session_key).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 32 for token in tokens)


@pytest.mark.parametrize("junk", ["", None, "bad\x00token", "x" * 65, "a/b", 7])
def test_anything_that_is_not_a_token_is_refused_as_invalid(make_identity, session_key, junk):
    with pytest.raises(PlatformError) as refused:
        services.ticket_for_scan(identity=make_identity(), token=junk)
    assert refused.value.code is IdentityError.TICKET_INVALID
    with pytest.raises(PlatformError) as refused:
        services.ticket_status(token=junk, session_key=session_key)
    assert refused.value.code is IdentityError.TICKET_INVALID
