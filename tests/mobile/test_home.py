"""The phone home page: who is signed in and what waits for its confirmation."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from miniport.core import clock, policy
from miniport.identities import services


def test_home_shows_the_identity_and_its_real_name_status(make_identity, phone_of):
    identity = make_identity("alice_01", nickname="Alice")
    page = phone_of(identity).get(reverse("mobile:home")).content.decode()
    assert "Alice" in page
    assert "alice_01" in page
    assert 'class="badge ok" data-testid="real-name-status"' in page


def test_home_shows_a_missing_real_name_verification(make_identity, phone_of):
    identity = make_identity("bob_0001", real_name="", id_number="")
    page = phone_of(identity).get(reverse("mobile:home")).content.decode()
    assert 'class="badge warn" data-testid="real-name-status"' in page


def test_home_lists_the_confirmations_waiting_for_this_identity(make_identity, phone_of, ticket_of):
    """REG-10 / MEM-4: a ticket naming the identity shows up with a link to its scan page."""
    identity, other = make_identity(), make_identity()
    mine = ticket_of(purpose="login", expected_identity=identity, summary="console login for a@b.c")
    theirs = ticket_of(purpose="login", expected_identity=other)
    unnamed = ticket_of(purpose="admin_check")
    page = phone_of(identity).get(reverse("mobile:home")).content.decode()
    assert reverse("mobile:scan", args=[mine.token]) in page
    assert "console login for a@b.c" in page
    assert theirs.token not in page
    assert unnamed.token not in page


def test_expired_and_decided_confirmations_are_no_longer_listed(make_identity, phone_of, ticket_of):
    identity = make_identity()
    decided = ticket_of(expected_identity=identity)
    services.ticket_deny(identity=identity, token=decided.token)
    old = ticket_of(expected_identity=identity)
    phone = phone_of(identity)
    later = clock.now() + timedelta(seconds=policy.value("qr.ticket_ttl_seconds"))
    with time_machine.travel(later, tick=False):
        page = phone.get(reverse("mobile:home")).content.decode()
    assert decided.token not in page
    assert old.token not in page
    assert 'data-testid="nothing-pending"' in page


def test_home_is_only_for_a_signed_in_identity(client, make_identity):
    make_identity(born=date(1990, 1, 1))
    assert client.get(reverse("mobile:home")).status_code == 302


def test_a_waiting_confirmation_says_its_time_left_as_the_scan_page_does(
    make_identity, phone_of, ticket_of
):
    """REG-10: minutes and seconds (2:58), as the scan page counts down, not a raw number
    of seconds; the request's name starts with a capital in English."""
    identity = make_identity()
    start = clock.now()
    with time_machine.travel(start, tick=False):
        ticket_of(purpose="login", expected_identity=identity)
    ttl = policy.value("qr.ticket_ttl_seconds")
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        page = phone_of(identity, language="en").get(reverse("mobile:home")).content.decode()
    left = ttl - 2
    assert f'data-testid="time-left">Time left: {left // 60}:{left % 60:02d}</div>' in page
    assert "<strong>Console login</strong>" in page
