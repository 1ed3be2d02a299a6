"""After an administrator hand-over only `MiniProgram.admin_identity` changes: the pages
that name the administrator name the new one, the account's email login waits for the
new administrator's scan, and the subject keeps what it was registered with (REG-9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from miniport.accounts.models import Subject
from miniport.console.session import LOGIN_TICKET
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from tests.miniprograms.conftest import Team, snapshot

# Where the console names the administrator: the member list's card and the hand-over page.
ADMINISTRATOR_SHOWN = {
    "/members/": re.compile(r'data-testid="admin-card">.*?<strong>([^<]*)</strong>', re.S),
    "/members/handover/": re.compile(r'data-testid="handover">.*?<strong>([^<]*)</strong>', re.S),
}
SUBJECT_SHOWN = re.compile(r'data-testid="subject-name">([^<]*)<')
SUBJECT_REGISTRATION = ("name", "id_number", "admin_name", "admin_id_number", "admin_identity_id")


def _administrator_on(client: Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, path
    return ADMINISTRATOR_SHOWN[path].search(page.content.decode()).group(1).strip()


def _subject_on(client: Client) -> str:
    page = client.get("/settings/basic/")
    assert page.status_code == 200
    return SUBJECT_SHOWN.search(page.content.decode()).group(1).strip()


def _password_step(client: Client, provisioned) -> QrTicket:
    """The email and password step; returns the login ticket the scan page shows."""
    response = client.post(
        "/login/",
        {"email": provisioned.miniprogram.account.email, "password": provisioned.password},
    )
    assert response.status_code == 302 and response.url == "/login/scan/"
    assert client.get("/login/scan/").status_code == 200
    return QrTicket.objects.get(token=client.session[LOGIN_TICKET])


@pytest.mark.parametrize("path", ADMINISTRATOR_SHOWN)
def test_after_a_hand_over_the_console_pages_name_the_new_administrator(
    team, make_identity, hand_over, console_as, path
):
    """MEM-1: pages name MiniProgram.admin_identity, not the subject's registered
    administrator."""
    old = team.admin
    bob = make_identity("bob_next", nickname="Bob")
    assert _administrator_on(console_as(old), path) == old.nickname
    hand_over(team, bob)
    assert _administrator_on(console_as(bob), path) == "Bob"


def test_after_a_hand_over_the_basic_settings_show_the_subject_as_registered(
    team, make_identity, hand_over, console_as
):
    """REG-9 / INF-8: a hand-over changes no subject field; the new administrator opens
    the basic settings and sees the registered subject, masked as before."""
    old = team.admin
    subject = Subject.objects.filter(pk=team.miniprogram.subject_id)
    registered = subject.values(*SUBJECT_REGISTRATION).get()
    assert registered["admin_identity_id"] == old.pk
    assert _subject_on(console_as(old)) == subject.get().masked_name
    bob = make_identity("bob_next", nickname="Bob")
    hand_over(team, bob)
    assert _subject_on(console_as(bob)) == subject.get().masked_name
    assert subject.values(*SUBJECT_REGISTRATION).get() == registered


def test_after_a_hand_over_the_email_login_waits_for_the_new_administrators_scan(
    provision, make_identity, hand_over
):
    """REG-10: the login's second step is the scan of the mini program's administrator,
    which after a hand-over is the new one."""
    provisioned = provision("personal")
    team = Team.of(provisioned.miniprogram)
    bob = make_identity("bob_next", nickname="Bob")
    hand_over(team, bob)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    ticket = _password_step(client, provisioned)
    assert ticket.expected_identity_id == bob.pk
    identity_services.ticket_confirm(identity=bob, token=ticket.token)
    done = client.post("/login/scan/complete/")
    assert done.status_code == 302 and done.url == "/"
    assert _administrator_on(client, "/members/") == "Bob"
    assert client.get("/settings/basic/").status_code == 200


def test_after_a_hand_over_the_former_administrator_cannot_confirm_the_email_login(
    provision, make_identity, hand_over
):
    """REG-10: TICKET_WRONG_IDENTITY for the former administrator's scan; the ticket
    stays open and the browser stays logged out."""
    provisioned = provision("personal")
    team = Team.of(provisioned.miniprogram)
    old = team.admin
    hand_over(team, make_identity("bob_next"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    ticket = _password_step(client, provisioned)
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=old, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    ticket.refresh_from_db()
    assert (ticket.status, ticket.confirmed_by_id) == (TicketStatus.PENDING, None)
    assert snapshot(team.miniprogram) == before
    assert client.post("/login/scan/complete/").status_code == 200
    assert client.get("/members/").status_code == 302
