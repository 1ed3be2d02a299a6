"""Member login by scan: project members have no email; the identity that confirms
chooses one of the mini programs it holds roles in."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.console.access import MEMBER_APPID
from miniport.console.session import IDENTITY
from miniport.console.views.member_login import MEMBER_LOGIN_TICKET
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket, TicketStatus
from miniport.miniprograms.errors import MiniProgramError
from tests.miniprograms.conftest import Team, console_login


def test_the_login_page_offers_the_member_scan(db):
    page = Client().get("/login/")
    assert 'data-testid="member-login-entry"' in page.content.decode()
    assert 'href="/login/member/"' in page.content.decode()


def test_a_project_member_logs_in_by_scan_and_lands_in_the_console(team, make_identity, add_member):
    alice = make_identity("alice_dev", nickname="Alice")
    add_member(team, alice, roles=("developer",))
    client = Client()
    response = console_login(client, alice)
    assert response.status_code == 302 and response.url == "/"
    assert client.session[IDENTITY] == alice.pk
    assert client.session[MEMBER_APPID] == team.miniprogram.appid
    home = client.get("/")
    assert home.status_code == 200
    assert team.miniprogram.appid in home.content.decode()
    assert AuditEntry.objects.filter(action="console.member_login", actor_id=str(alice.pk)).exists()


def test_an_identity_with_several_mini_programs_chooses_one(
    team, make_identity, add_member, provision
):
    alice = make_identity("alice_dev")
    add_member(team, alice, roles=("operator",))
    other_mp = provision("personal").miniprogram
    add_member(Team.of(other_mp), alice, roles=("data_analyst",))
    client = Client()
    response = console_login(client, alice)
    assert response.url == "/login/member/choose/"
    page = client.get("/login/member/choose/").content.decode()
    assert team.miniprogram.appid in page and other_mp.appid in page
    # Not in the console before choosing.
    assert client.get("/members/").status_code == 302
    response = client.post("/login/member/choose/", {"appid": other_mp.appid})
    assert response.status_code == 302 and response.url == "/"
    assert client.session[MEMBER_APPID] == other_mp.appid


def test_choosing_a_mini_program_without_a_role_there_is_ignored(
    team, make_identity, add_member, provision
):
    alice = make_identity("alice_dev")
    add_member(team, alice, roles=("operator",))
    second = provision("personal").miniprogram
    add_member(Team.of(second), alice, roles=("operator",))
    stranger = provision("personal").miniprogram
    client = Client()
    console_login(client, alice)
    response = client.post("/login/member/choose/", {"appid": stranger.appid})
    assert response.status_code == 200
    assert MEMBER_APPID not in client.session


def test_an_identity_without_any_console_role_is_refused_on_the_phone(
    team, make_identity, add_member
):
    """MEM-2: experience members are not project members: no console. The phone says so
    when it opens the QR code and cannot confirm, so it never promises a login the
    console then refuses; the ticket stays waiting and nothing is recorded."""
    tester = make_identity("tester_01")
    add_member(team, tester, kind="experience", roles=())
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/login/member/").status_code == 200
    token = client.session[MEMBER_LOGIN_TICKET]
    confirmations = AuditEntry.objects.filter(action="qr_ticket.confirm").count()
    for decide in (identity_services.ticket_for_scan, identity_services.ticket_confirm):
        with pytest.raises(PlatformError) as refused:
            decide(identity=tester, token=token)
        assert refused.value.code == MiniProgramError.NO_CONSOLE_ROLE
    ticket = QrTicket.objects.get(token=token)
    assert ticket.status == TicketStatus.PENDING and ticket.confirmed_by is None
    assert AuditEntry.objects.filter(action="qr_ticket.confirm").count() == confirmations
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = phone.post("/m/login/", {"wechat_id": "tester_01", "password": "secret-pass-1"})
    assert signed_in.status_code == 302
    page = phone.get(f"/m/scan/{token}/").content.decode()
    assert "neither administrator nor project member" in page
    assert 'data-testid="scan-confirm"' not in page
    assert MEMBER_APPID not in client.session
    assert client.get("/members/").status_code == 302


def test_the_administrator_may_log_in_by_scan_too(team):
    client = Client()
    console_login(client, team.admin)
    assert client.get("/members/").status_code == 200


def test_a_login_ticket_is_used_once(team, make_identity, add_member):
    alice = make_identity("alice_dev")
    add_member(team, alice, roles=("developer",))
    client = Client()
    console_login(client, alice)
    # The same browser posting the completion again gets no second login.
    client.post("/logout/")
    response = client.post("/login/member/complete/")
    assert response.status_code == 200
    assert MEMBER_APPID not in client.session
