"""Member login: an identity enters the console by scan alone (no account, no email);
project members have no email, administrators may use it too."""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from miniport.miniprograms import permissions, purposes, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram


def member_login_request(*, session_key: str) -> QrTicket:
    """A login ticket any identity may confirm: whoever scans logs this browser in."""
    return identity_services.ticket_create(
        purpose=purposes.MEMBER_LOGIN,
        session_key=session_key,
        payload={"member_login": True},
        summary="",
    )


def member_login_confirmed(*, token: str, session_key: str) -> tuple[Identity, list[MiniProgram]]:
    """Use the confirmed member-login ticket; returns the identity and the mini programs
    whose console it may enter (administrator or project member)."""
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=purposes.MEMBER_LOGIN
        )
        if not ticket.payload.get("member_login") or ticket.confirmed_by is None:
            raise PlatformError(IdentityError.TICKET_INVALID)
    miniprograms = selectors.miniprograms_of(ticket.confirmed_by)
    if not miniprograms:
        raise PlatformError(MiniProgramError.NO_CONSOLE_ROLE)
    return ticket.confirmed_by, miniprograms


def member_login_enter(*, identity: Identity, miniprogram: MiniProgram) -> frozenset[str]:
    """The identity enters this mini program's console; returns its roles there."""
    roles = frozenset(selectors.roles_of(identity, miniprogram))
    if not permissions.allowed(roles, "console.enter"):
        raise PlatformError(MiniProgramError.NO_CONSOLE_ROLE)
    audit.record(
        Actor.for_identity(identity),
        "console.member_login",
        target=miniprogram,
        appid=miniprogram.appid,
        after={"roles": sorted(roles)},
    )
    return roles
