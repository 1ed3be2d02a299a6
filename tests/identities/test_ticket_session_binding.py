"""QR tickets are bound to the browser session that asked (DESIGN "Security", REG-10)."""

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, ids, policy
from miniport.core.errors import PlatformError
from miniport.identities import selectors, services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import new_ticket, state


@pytest.fixture
def confirmed(make_identity, session_key):
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    services.ticket_confirm(identity=identity, token=ticket.token)
    return ticket


def test_another_session_cannot_use_a_confirmed_ticket(confirmed, other_session_key):
    """REG-10: a token seen elsewhere is worthless to another browser."""
    before = state(confirmed)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(
            token=confirmed.token, session_key=other_session_key, purpose="login"
        )
    assert refused.value.code is IdentityError.TICKET_FOREIGN_SESSION
    assert state(confirmed) == before
    assert state(confirmed)["status"] == TicketStatus.CONFIRMED


def test_another_session_cannot_read_the_status(confirmed, other_session_key):
    with pytest.raises(PlatformError) as refused:
        services.ticket_status(token=confirmed.token, session_key=other_session_key)
    assert refused.value.code is IdentityError.TICKET_FOREIGN_SESSION
    assert selectors.session_ticket(token=confirmed.token, session_key=other_session_key) is None


@pytest.mark.parametrize("missing", ["", None])
def test_a_browser_without_session_owns_no_ticket(confirmed, missing):
    before = state(confirmed)
    with pytest.raises(PlatformError) as refused:
        services.ticket_consume(token=confirmed.token, session_key=missing, purpose="login")
    assert refused.value.code is IdentityError.TICKET_FOREIGN_SESSION
    assert state(confirmed) == before


@pytest.mark.parametrize("missing", ["", None])
def test_a_ticket_cannot_be_bound_to_no_session(db, missing):
    """Binding to "no session" would hand the ticket to every session-less client."""
    from miniport.identities.models import QrTicket

    with pytest.raises(ValueError):
        services.ticket_create(purpose="login", session_key=missing)
    assert QrTicket.objects.count() == 0


def test_the_session_key_itself_is_not_stored(session_key):
    ticket = new_ticket(session_key)
    assert ticket.session_digest == ids.digest(session_key)
    assert session_key not in ticket.session_digest


def test_signing_in_on_the_phone_pages_carries_the_browsers_tickets_to_its_new_key(
    make_identity, session_key
):
    """The same browser keeps polling its console ticket after an identity sign-in."""
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    new_key = ids.new_token(16)
    services.identity_signed_in(
        identity=identity, method="password", old_session_key=session_key, new_session_key=new_key
    )
    assert services.ticket_status(token=ticket.token, session_key=new_key) == "pending"
    with pytest.raises(PlatformError) as refused:
        services.ticket_status(token=ticket.token, session_key=session_key)
    assert refused.value.code is IdentityError.TICKET_FOREIGN_SESSION


def test_signing_in_moves_no_other_browsers_tickets(make_identity, session_key, other_session_key):
    identity = make_identity()
    ticket = new_ticket(other_session_key)
    before = state(ticket)
    services.identity_signed_in(
        identity=identity, method="password", old_session_key=session_key, new_session_key="k2"
    )
    assert state(ticket)["session_digest"] == before["session_digest"]


@pytest.mark.parametrize("new_key", ["", None])
def test_tickets_are_never_moved_to_no_session(make_identity, session_key, new_key):
    identity = make_identity()
    ticket = new_ticket(session_key)
    before = state(ticket)["session_digest"]
    services.identity_signed_in(
        identity=identity, method="password", old_session_key=session_key, new_session_key=new_key
    )
    assert state(ticket)["session_digest"] == before


def test_expired_tickets_stay_with_the_old_key(session_key):
    ticket = new_ticket(session_key)
    later = clock.now() + timedelta(seconds=policy.value("qr.ticket_ttl_seconds"))
    with time_machine.travel(later, tick=False):
        moved = services.tickets_follow_session(old_session_key=session_key, new_session_key="k2")
    assert moved == 0
    assert state(ticket)["session_digest"] == ids.digest(session_key)
