"""QR tickets are single use (REG-10, DESIGN "Security"): only a CONFIRMED ticket is
used, once, also when many requests race for it (issue 9 item 10)."""

import threading

import pytest
from django.db import connection

from miniport.core.errors import PlatformError
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from tests.core.concurrency import assert_shared_database, run_concurrently
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


# --- only a confirmed ticket is used (issue 9 item 10) -------------------------------------


def ticket_in(status: str, identity, session_key: str) -> QrTicket:
    """A login ticket of `session_key`, brought to `status` the way the phone does it."""
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    if status == TicketStatus.SCANNED:
        services.ticket_for_scan(identity=identity, token=ticket.token)
    elif status == TicketStatus.DENIED:
        services.ticket_deny(identity=identity, token=ticket.token)
    elif status in (TicketStatus.CONFIRMED, TicketStatus.CONSUMED):
        services.ticket_confirm(identity=identity, token=ticket.token)
        if status == TicketStatus.CONSUMED:
            services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    ticket.refresh_from_db()
    assert ticket.status == status
    return ticket


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (TicketStatus.PENDING, IdentityError.TICKET_PENDING, "waiting for the scan confirmation"),
        (TicketStatus.SCANNED, IdentityError.TICKET_PENDING, "waiting for the scan confirmation"),
        (TicketStatus.DENIED, IdentityError.TICKET_DENIED, "the scan was denied"),
        (TicketStatus.CONSUMED, IdentityError.TICKET_USED, "the QR code has already been used"),
    ],
)
def test_a_ticket_that_is_not_confirmed_is_never_used(
    make_identity, session_key, status, error, message
):
    """issue 9 item 10: using a pending, scanned, denied or used ticket is refused with
    its reason and changes nothing (status, decider, times, audit)."""
    ticket = ticket_in(status, make_identity(), session_key)
    before = state(ticket)
    for _ in range(2):  # a retry is refused the same way
        with pytest.raises(PlatformError) as refused:
            services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
        assert refused.value.code is error
        assert str(refused.value) == message
        assert state(ticket) == before


def consume_racing(token: str, session_key: str, callers: int) -> list:
    return run_concurrently(
        callers,
        lambda _i: services.ticket_consume(token=token, session_key=session_key, purpose="login"),
    )


def one_winner(outcomes: list, ticket: QrTicket) -> None:
    unexpected = [
        o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, PlatformError)
    ]
    assert unexpected == []
    winners = [o for o in outcomes if isinstance(o, QrTicket)]
    assert len(winners) == 1, f"{len(winners)} of {len(outcomes)} callers used the ticket"
    assert {o.code for o in outcomes if isinstance(o, PlatformError)} == {IdentityError.TICKET_USED}
    row = QrTicket.objects.get(pk=ticket.pk)
    assert row.status == TicketStatus.CONSUMED
    assert row.consumed_at == winners[0].consumed_at


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_uses_of_one_confirmed_ticket_have_one_winner(make_identity):
    """issue 9 item 10: 20 threads use one confirmed ticket at once, on a file SQLite
    database and on PostgreSQL: exactly one gets it, the others are told it was used."""
    assert_shared_database()
    session_key = "racing-session-key-0001"
    ticket = ticket_in(TicketStatus.CONFIRMED, make_identity(), session_key)
    one_winner(consume_racing(ticket.token, session_key, 20), ticket)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's write transactions begin IMMEDIATE: no two uses can both have read it",
)
def test_uses_that_all_read_the_confirmed_ticket_still_have_one_winner(make_identity, monkeypatch):
    """issue 9 item 10, the worst interleaving: every caller has read the ticket as
    confirmed before any of them writes; the conditional UPDATE alone decides."""
    assert_shared_database()
    callers = 20
    session_key = "racing-session-key-0002"
    ticket = ticket_in(TicketStatus.CONFIRMED, make_identity(), session_key)
    all_read = threading.Barrier(callers, timeout=30)
    real = services._owned_ticket

    def owned_ticket_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        all_read.wait()
        return found

    monkeypatch.setattr(services, "_owned_ticket", owned_ticket_then_wait)
    one_winner(consume_racing(ticket.token, session_key, callers), ticket)
