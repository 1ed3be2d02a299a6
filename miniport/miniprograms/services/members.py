"""Project and experience members added from the console (MEM-1..MEM-5): additions
pending until the administrator confirms them by scan (MEM-4, ticket purpose
member_add), removal, leaving and roles.

How rows hold their places and how stale requests are released is in `member_rows`;
the tester API, the administrator hand-over and the member scan login live in
`testers`, `handover` and `member_login`.
"""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit, clock
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket, TicketStatus
from miniport.miniprograms import purposes
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberKind, MemberStatus, MiniProgram
from miniport.miniprograms.services import member_rows
from miniport.miniprograms.services.member_rows import manage_action, release_stale

# The server API imports the tester services from here.
from miniport.miniprograms.services.testers import tester_bind, tester_unbind

__all__ = [
    "manage_action",
    "member_confirm",
    "member_leave",
    "member_remove",
    "member_request_add",
    "member_set_roles",
    "release_stale",
    "tester_bind",
    "tester_unbind",
]


def member_request_add(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    wechat_id: str,
    kind: str,
    roles=(),
    session_key: str,
) -> tuple[Member, QrTicket]:
    """MEM-4: a console addition. The row is pending and holds its place until the
    administrator confirms the returned ticket by scan (see `member_confirm`)."""
    member_rows.require(actor, miniprogram, manage_action(kind))
    release_stale(miniprogram)
    with transaction.atomic():
        member = member_rows.insert_member(
            actor=actor,
            miniprogram=miniprogram,
            wechat_id=wechat_id,
            kind=kind,
            roles=roles,
            status=MemberStatus.PENDING,
        )
        # The administrator as stored now (read under the lock `insert_member` took),
        # not the one held in memory: only the current administrator's scan counts.
        admin = Identity.objects.get(pk=member_rows.current_admin_id(miniprogram))
        ticket = identity_services.ticket_create(
            purpose=purposes.MEMBER_ADD,
            session_key=session_key,
            expected_identity=admin,
            payload={
                "appid": miniprogram.appid,
                "member": member.pk,
                "kind": kind,
                "roles": member.roles,
            },
            summary=f"{member.identity.wechat_id} → {miniprogram}",
        )
        member.confirm_ticket = ticket.token
        member.save(update_fields=["confirm_ticket"])
        audit.record(
            actor,
            "member.request_add",
            target=member,
            appid=miniprogram.appid,
            after=member_rows.describe(member),
        )
        member_rows.emit("member.requested", miniprogram, member)
    return member, ticket


def member_confirm(
    *, actor: Actor, miniprogram: MiniProgram, token: str, session_key: str
) -> Member:
    """Finish a console addition once the administrator confirmed its ticket; polled by
    the page that asked. A denied or expired request is released and reported."""
    member_rows.require(actor, miniprogram, "console.enter")
    state = identity_services.ticket_status(
        token=token, session_key=session_key, purpose=purposes.MEMBER_ADD
    )
    if state in (TicketStatus.DENIED, "expired"):
        release_stale(miniprogram)
    if state != TicketStatus.CONFIRMED:
        raise PlatformError(
            member_rows.TICKET_STATE_ERRORS.get(state, IdentityError.TICKET_PENDING)
        )
    with transaction.atomic():
        member = (
            Member.objects.select_related("identity")
            .filter(
                miniprogram=miniprogram, confirm_ticket=token or "-", status=MemberStatus.PENDING
            )
            .first()
        )
        if member is None:
            raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
        member_rows.require(actor, miniprogram, manage_action(member.kind))
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=purposes.MEMBER_ADD
        )
        # The administrator read now, not when the request was made: after a hand-over
        # only the new administrator's scan counts.
        if ticket.confirmed_by_id != member_rows.current_admin_id(miniprogram):
            raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
        now = clock.now()
        if not Member.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
            status=MemberStatus.ACTIVE, confirmed_at=now
        ):
            raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
        member.status, member.confirmed_at = MemberStatus.ACTIVE, now
        audit.record(
            Actor.for_identity(ticket.confirmed_by),
            "member.confirm_add",
            target=member,
            appid=miniprogram.appid,
            before={"status": MemberStatus.PENDING},
            after=member_rows.describe(member),
        )
        member_rows.emit("member.added", miniprogram, member)
    return member


def member_remove(*, actor: Actor, miniprogram: MiniProgram, member: Member) -> None:
    """MEM-1 / MEM-2: remove a member (or withdraw a pending addition)."""
    if member.miniprogram_id != miniprogram.pk:
        raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
    member_rows.require(actor, miniprogram, manage_action(member.kind))
    with transaction.atomic():
        member_rows.delete_member(actor, miniprogram, member, "member.remove")


def member_leave(*, actor: Actor, miniprogram: MiniProgram) -> None:
    """A project member leaves the mini program by himself."""
    member_rows.require(actor, miniprogram, "members.leave")
    with transaction.atomic():
        member = (
            Member.objects.select_related("identity")
            .filter(miniprogram=miniprogram, identity_id=int(actor.id), kind=MemberKind.PROJECT)
            .first()
        )
        if member is None:
            raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
        member_rows.delete_member(actor, miniprogram, member, "member.leave")


def member_set_roles(*, actor: Actor, miniprogram: MiniProgram, member: Member, roles) -> Member:
    """MEM-1 / MEM-5: the administrator sets an active project member's roles."""
    if member.miniprogram_id != miniprogram.pk or member.kind != MemberKind.PROJECT:
        raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
    member_rows.require(actor, miniprogram, "members.manage")
    flags = member_rows.role_flags(roles)
    if member.status != MemberStatus.ACTIVE:
        raise PlatformError(
            CoreError.ILLEGAL_TRANSITION, state=member.status, action="member.set_roles"
        )
    with transaction.atomic():
        before = member.roles
        if not Member.objects.filter(pk=member.pk, status=MemberStatus.ACTIVE).update(**flags):
            raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
        for field, on in flags.items():
            setattr(member, field, on)
        audit.record(
            actor,
            "member.set_roles",
            target=member,
            appid=miniprogram.appid,
            before={"roles": before},
            after={"roles": member.roles},
        )
        member_rows.emit("member.roles_changed", miniprogram, member)
    return member
