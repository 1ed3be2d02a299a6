"""QR tickets are short-lived: policy qr.ticket_ttl_seconds (REG-10 [004])."""

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import new_ticket, state


def _after(seconds: int):
    return time_machine.travel(clock.now() + timedelta(seconds=seconds), tick=False)


def test_ticket_lives_for_the_policy_lifetime(session_key):
    """REG-10: the ticket expires qr.ticket_ttl_seconds after it was asked for."""
    ticket = new_ticket(session_key)
    lifetime = (ticket.expires_at - ticket.created_at).total_seconds()
    assert lifetime == policy.value("qr.ticket_ttl_seconds") == 180


def test_operator_override_changes_the_lifetime(session_key):
    PolicyOverride.objects.create(key="qr.ticket_ttl_seconds", value=60)
    policy.forget_cached()
    ticket = new_ticket(session_key)
    assert (ticket.expires_at - ticket.created_at).total_seconds() == 60


def test_ticket_can_still_be_confirmed_just_before_expiry(make_identity, session_key):
    identity = make_identity()
    ticket = new_ticket(session_key, expected_identity=identity)
    with _after(policy.value("qr.ticket_ttl_seconds") - 1):
        confirmed = services.ticket_confirm(identity=identity, token=ticket.token)
    assert confirmed.status == TicketStatus.CONFIRMED


def test_expired_ticket_cannot_be_scanned_confirmed_or_denied(make_identity, session_key):
    """REG-10: an expired QR code is refused on the phone, and stays as it was."""
    identity = make_identity()
    ticket = new_ticket(session_key, expected_identity=identity)
    before = state(ticket)
    with _after(policy.value("qr.ticket_ttl_seconds")):
        for attempt in (services.ticket_for_scan, services.ticket_confirm, services.ticket_deny):
            with pytest.raises(PlatformError) as refused:
                attempt(identity=identity, token=ticket.token)
            assert refused.value.code is IdentityError.TICKET_EXPIRED
        assert services.ticket_status(token=ticket.token, session_key=session_key) == "expired"
    assert state(ticket) == before
    assert state(ticket)["status"] == TicketStatus.PENDING


def test_confirmed_but_unused_ticket_expires_too(make_identity, session_key):
    """REG-10: a confirmation not used within the lifetime can no longer be used."""
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="login", expected_identity=identity)
    services.ticket_confirm(identity=identity, token=ticket.token)
    before = state(ticket)
    with _after(policy.value("qr.ticket_ttl_seconds") + 1):
        with pytest.raises(PlatformError) as refused:
            services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
        assert refused.value.code is IdentityError.TICKET_EXPIRED
        assert services.ticket_status(token=ticket.token, session_key=session_key) == "expired"
    assert state(ticket) == before
    assert state(ticket)["status"] == TicketStatus.CONFIRMED


def test_expired_pending_ticket_is_refused_as_expired_when_used(session_key):
    ticket = new_ticket(session_key, purpose="login")
    before = state(ticket)
    with (
        _after(policy.value("qr.ticket_ttl_seconds") + 1),
        pytest.raises(PlatformError) as refused,
    ):
        services.ticket_consume(token=ticket.token, session_key=session_key, purpose="login")
    assert refused.value.code is IdentityError.TICKET_EXPIRED
    assert state(ticket) == before


def test_used_and_denied_tickets_keep_their_status_after_expiry(make_identity, session_key):
    identity = make_identity()
    used = new_ticket(session_key, purpose="login", expected_identity=identity)
    services.ticket_confirm(identity=identity, token=used.token)
    services.ticket_consume(token=used.token, session_key=session_key, purpose="login")
    denied = new_ticket(session_key, expected_identity=identity)
    services.ticket_deny(identity=identity, token=denied.token)
    with _after(policy.value("qr.ticket_ttl_seconds") + 1):
        assert services.ticket_status(token=used.token, session_key=session_key) == "consumed"
        assert services.ticket_status(token=denied.token, session_key=session_key) == "denied"
