"""A mini program with its administrator, and helpers to add members the way the
console does (request, administrator scan, confirmation) and to hand the
administrator role over."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry, QuotaCounter
from miniport.identities import services as identity_services
from miniport.miniprograms.models import Member
from miniport.miniprograms.services import handover as handover_services
from miniport.miniprograms.services import members as member_services

SESSION = "members-test-browser-session"


@dataclass
class Team:
    miniprogram: object
    admin: object

    @classmethod
    def of(cls, miniprogram) -> Team:
        return cls(miniprogram=miniprogram, admin=miniprogram.admin_identity)

    @property
    def admin_actor(self) -> Actor:
        return Actor.for_identity(self.admin)


@pytest.fixture
def team(provision):
    """A personal mini program and its administrator identity."""
    return Team.of(provision("personal").miniprogram)


def _request_addition(
    team: Team, identity, *, kind="project", roles=("developer",), actor=None, session=SESSION
):
    return member_services.member_request_add(
        actor=actor or team.admin_actor,
        miniprogram=team.miniprogram,
        wechat_id=identity.wechat_id,
        kind=kind,
        roles=roles,
        session_key=session,
    )


@pytest.fixture
def request_member():
    """Ask for an addition through the console path; it stays pending (member, ticket)
    until the administrator's scan."""
    return _request_addition


@pytest.fixture
def add_member():
    """Add a member through the console path, confirmed by the administrator's scan."""

    def add(
        team: Team, identity, *, kind="project", roles=("developer",), actor=None, session=SESSION
    ):
        member, ticket = _request_addition(
            team, identity, kind=kind, roles=roles, actor=actor, session=session
        )
        identity_services.ticket_confirm(
            identity=team.miniprogram.admin_identity, token=ticket.token
        )
        return member_services.member_confirm(
            actor=actor or team.admin_actor,
            miniprogram=team.miniprogram,
            token=ticket.token,
            session_key=session,
        )

    return add


@pytest.fixture
def hand_over():
    """Hand the administrator role to `new_admin`: both identities confirm by scan.
    Returns the mini program as stored afterwards."""

    def hand(team: Team, new_admin):
        handover = handover_services.handover_start(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            wechat_id=new_admin.wechat_id,
            session_key=SESSION,
        )
        identity_services.ticket_confirm(identity=team.admin, token=handover.current_ticket.token)
        identity_services.ticket_confirm(identity=new_admin, token=handover.new_ticket.token)
        return handover_services.handover_complete(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            current_token=handover.current_ticket.token,
            new_token=handover.new_ticket.token,
            session_key=SESSION,
        )

    return hand


def snapshot(miniprogram) -> dict:
    """What a refused member action must leave as it was."""
    return {
        "members": sorted(
            Member.objects.filter(miniprogram=miniprogram).values_list(
                "identity_id", "kind", "status", "is_operator", "is_developer", "is_data_analyst"
            )
        ),
        "places": sorted(QuotaCounter.objects.values_list("scope", "rule", "used")),
        "audit_rows": AuditEntry.objects.count(),
        "admin": type(miniprogram).objects.get(pk=miniprogram.pk).admin_identity_id,
    }


def console_login(client, identity, appid: str | None = None):
    """Log a browser in to the console by the member scan login; returns the last response."""
    from miniport.console.views.member_login import MEMBER_LOGIN_TICKET

    assert client.get("/login/member/").status_code == 200
    token = client.session[MEMBER_LOGIN_TICKET]
    identity_services.ticket_confirm(identity=identity, token=token)
    response = client.post("/login/member/complete/")
    if (
        appid is not None
        and response.status_code == 302
        and response.url == "/login/member/choose/"
    ):
        response = client.post("/login/member/choose/", {"appid": appid})
    return response


@pytest.fixture
def console_as(db):
    """A browser logged in to the console as `identity` (member scan login)."""
    from django.test import Client

    def login(identity, appid: str | None = None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        response = console_login(client, identity, appid)
        assert response.status_code == 302 and response.url == "/", response
        return client

    return login
