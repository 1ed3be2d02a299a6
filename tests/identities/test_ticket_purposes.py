"""QR ticket purposes are registered by the domains that ask (REG-8, REG-10, DEV-2, MEM-4):
identities names none of them, refuses a purpose nobody registered, and runs what
confirming does in the confirmation's transaction."""

import pytest

from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import purposes, services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from tests.identities.support import new_ticket


def test_an_unregistered_purpose_is_refused_and_creates_nothing(session_key):
    """REG-10: a ticket is asked for a registered purpose only; the refusal is coded and
    leaves no ticket and no audit row behind."""
    before = AuditEntry.objects.count()
    with pytest.raises(PlatformError) as caught:
        new_ticket(session_key, purpose="launch_rockets")
    assert caught.value.code is IdentityError.TICKET_PURPOSE_UNKNOWN
    assert caught.value.params["purpose"] == "launch_rockets"
    assert not QrTicket.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_registry_lists_each_domains_purposes():
    """REG-8 / REG-10 and issue 10 item 2's account recovery (accounts), DEV-2 / MEM-4 and
    the hand-over (miniprograms): each domain registered its own purposes from its
    AppConfig.ready()."""
    keys = {owner: [p.key for p in purposes.registered(owner)] for owner in ("accounts",)}
    keys["miniprograms"] = [p.key for p in purposes.registered("miniprograms")]
    keys["identities"] = [p.key for p in purposes.registered("identities")]
    assert keys == {
        "accounts": ["account_recovery", "admin_check", "login"],
        "miniprograms": [
            "admin_handover",
            "ip_whitelist",
            "member_add",
            "member_login",
            "secret_reset",
        ],
        "identities": ["generic"],
    }
    everything = {p.key for p in purposes.registered()}
    assert everything >= {"login", "admin_check", "member_add", "secret_reset", "admin_handover"}


@pytest.mark.parametrize("key", ["login", "admin_check", "member_add", "secret_reset"])
def test_each_purpose_says_what_the_phone_shows(key):
    """REG-10 / REG-8 / MEM-4 / DEV-2: a label and what confirming means, for the phone page;
    confirming itself does nothing more (the asking page polls and uses the ticket)."""
    purpose = purposes.get(key)
    assert purpose is not None
    assert str(purpose.label) and str(purpose.shows)
    assert purpose.on_confirm is None


def test_a_key_registered_by_another_domain_cannot_be_taken_over():
    """REG-10: a second domain registering "login" fails at import, not at run time."""
    with pytest.raises(ValueError, match="already registered by accounts"):
        purposes.register("login", owner="miniprograms", label="login")
    assert purposes.get("login").owner == "accounts"


@pytest.mark.parametrize("key", ["", "Login", "with space", "x" * 21])
def test_a_key_the_ticket_column_cannot_hold_fails_at_registration(key):
    """REG-10: keys are short lower-case words (the ticket's purpose column holds 20)."""
    with pytest.raises(ValueError):
        purposes.register(key, owner="tests", label="bad")
    assert purposes.get(key) is None


@pytest.fixture
def purpose_with_effect(monkeypatch):
    """A purpose whose confirmation does something, registered for one test."""
    seen: list[int] = []

    def effect(ticket: QrTicket) -> None:
        seen.append(ticket.pk)
        if ticket.summary == "refuse":
            raise PlatformError(IdentityError.IDENTITY_MISMATCH)

    monkeypatch.setattr(purposes, "_REGISTRY", dict(purposes._REGISTRY))
    purposes.register("test_effect", owner="tests", label="effect", on_confirm=effect)
    return seen


def test_what_confirming_does_runs_once_the_ticket_is_confirmed(
    purpose_with_effect, make_identity, session_key
):
    """MEM-4: a purpose's effect runs in the confirmation, with the confirmed ticket."""
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="test_effect")
    confirmed = services.ticket_confirm(identity=identity, token=ticket.token)
    assert purpose_with_effect == [ticket.pk]
    assert confirmed.status == TicketStatus.CONFIRMED
    assert confirmed.confirmed_by == identity


def test_a_refused_effect_undoes_the_confirmation(purpose_with_effect, make_identity, session_key):
    """MEM-4: the effect's refusal leaves the ticket open and writes no audit row."""
    identity = make_identity()
    ticket = new_ticket(session_key, purpose="test_effect", summary="refuse")
    before = AuditEntry.objects.count()
    with pytest.raises(PlatformError) as caught:
        services.ticket_confirm(identity=identity, token=ticket.token)
    assert caught.value.code is IdentityError.IDENTITY_MISMATCH
    row = QrTicket.objects.get(pk=ticket.pk)
    assert row.status == TicketStatus.PENDING and row.confirmed_by is None
    assert AuditEntry.objects.count() == before
