"""Member rows and the places they hold: the checks, inserts and deletes shared by the
console additions (`members`), the tester API (`testers`) and the hand-over (`handover`).

Places (MEM-3): every member row, pending or active, holds one place of its kind in
a quota counter (`core.quotas`, window "ever", limit from policy for the subject).
The place is taken in the transaction that inserts the row and given back when the
row goes (removal, leaving, denial, expiry, hand-over), so concurrent additions
never overfill a list. An experience row also holds one place in its identity's own
"tester of" counter (wechat-api 85003).

A pending row whose ticket was denied or expired is released the next time the members
are read (`release_stale`): no scheduler.

A row's `userstr` (wechat-api 5.1, the tester API's opaque per-person id) is derived
from the mini program, the person and the kind (`userstr_for`), so unbinding and binding
the same person again gives the same userstr; rows stored before keep theirs.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, ids, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket, TicketStatus
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberKind, MemberStatus, MiniProgram

TESTER_OF_RULE = "members.tester_of_max_miniprograms"


def userstr_for(miniprogram: MiniProgram, identity: Identity, kind: str) -> str:
    """The member row's userstr: a keyed digest (settings.ID_KEY, as openids are) of the
    AppID, the identity and the member kind, unrelated across mini programs; 22 URL-safe
    characters like the random ones of earlier rows."""
    message = "|".join(("userstr", miniprogram.appid, str(identity.pk), kind)).encode()
    mac = ids.keyed_sha256(settings.ID_KEY, message)
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


# Why a scan confirmation cannot be used (the states of `identities.services.ticket_status`);
# any other open state means the scan is still awaited.
TICKET_STATE_ERRORS = {
    TicketStatus.DENIED: IdentityError.TICKET_DENIED,
    "expired": IdentityError.TICKET_EXPIRED,
    TicketStatus.CONSUMED: IdentityError.TICKET_USED,
    TicketStatus.PENDING: IdentityError.TICKET_PENDING,
}


def require(actor: Actor, miniprogram: MiniProgram, action: str) -> None:
    if not permissions.allowed(selectors.actor_roles(actor, miniprogram), action):
        raise PlatformError(CoreError.PERMISSION_DENIED)


def manage_action(kind: str) -> str:
    """MEM-1 / MEM-2: who adds and removes members of this kind."""
    return "members.manage" if kind == MemberKind.PROJECT else "experience.manage"


def role_flags(roles) -> dict[str, bool]:
    chosen = {str(role) for role in roles or ()}
    if chosen - selectors.ROLE_FIELDS.keys():
        raise PlatformError(CoreError.FIELD_INVALID, field="roles", reason="unknown role")
    if not chosen:
        raise PlatformError(MiniProgramError.MEMBER_ROLE_REQUIRED, field="roles")
    return {field: role in chosen for role, field in selectors.ROLE_FIELDS.items()}


def _tester_scope(identity_id: int) -> str:
    return f"members.tester_of:{identity_id}"


def _take_places(miniprogram: MiniProgram, identity: Identity, kind: str) -> None:
    full = (
        MiniProgramError.PROJECT_MEMBER_LIMIT
        if kind == MemberKind.PROJECT
        else MiniProgramError.TESTER_LIMIT
    )
    quotas.consume(
        selectors.place_scope(miniprogram, kind),
        selectors.PLACES_RULE,
        window="ever",
        limit=selectors.member_limit(miniprogram, kind),
        error=full,
        field="wechat_id",
    )
    if kind == MemberKind.EXPERIENCE:
        quotas.consume(
            _tester_scope(identity.pk),
            TESTER_OF_RULE,
            window="ever",
            error=MiniProgramError.TESTER_OF_TOO_MANY,
            field="wechat_id",
        )


def _give_back_places(miniprogram: MiniProgram, member: Member) -> None:
    quotas.release(
        selectors.place_scope(miniprogram, member.kind), selectors.PLACES_RULE, window="ever"
    )
    if member.kind == MemberKind.EXPERIENCE:
        quotas.release(_tester_scope(member.identity_id), TESTER_OF_RULE, window="ever")


def describe(member: Member) -> dict:
    """A member as written into audit rows."""
    return {
        "wechat_id": member.identity.wechat_id,
        "kind": member.kind,
        "status": member.status,
        "roles": member.roles,
        "userstr": member.userstr,
    }


def emit(kind: str, miniprogram: MiniProgram, member: Member) -> None:
    events.emit(
        kind,
        {
            "appid": miniprogram.appid,
            "kind": member.kind,
            "userstr": member.userstr,
            "roles": member.roles,
        },
        appid=miniprogram.appid,
    )


def current_admin_id(miniprogram: MiniProgram) -> int:
    """The administrator as stored now, read inside the caller's transaction, not the one
    held in memory: a hand-over that completed meanwhile counts. On PostgreSQL the mini
    program's row stays locked until the caller commits, so a hand-over waits for this
    transaction (and then removes what it added for the new administrator) or this
    transaction waits for the hand-over and sees the new administrator. On SQLite the
    write transaction (BEGIN IMMEDIATE) serializes both."""
    return (
        MiniProgram.objects.select_for_update(no_key=True)
        .filter(pk=miniprogram.pk)
        .values_list("admin_identity_id", flat=True)
        .get()
    )


def insert_member(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    wechat_id: str,
    kind: str,
    roles,
    status: str,
) -> Member:
    """Checks, place-taking and insert of one addition; the caller holds the transaction."""
    if kind not in MemberKind.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="kind", reason="unknown member kind")
    flags = role_flags(roles) if kind == MemberKind.PROJECT else {}
    identity = identity_selectors.find_by_wechat_id(wechat_id)
    if identity is None:
        raise PlatformError(MiniProgramError.USER_NOT_FOUND, field="wechat_id")
    if identity.pk == current_admin_id(miniprogram):
        raise PlatformError(MiniProgramError.ADMIN_CANNOT_BE_MEMBER, field="wechat_id")
    if selectors.membership(miniprogram, identity, kind) is not None:
        raise PlatformError(MiniProgramError.ALREADY_MEMBER, field="wechat_id")
    _take_places(miniprogram, identity, kind)
    now = clock.now()
    member = Member(
        miniprogram=miniprogram,
        identity=identity,
        kind=kind,
        status=status,
        userstr=userstr_for(miniprogram, identity, kind),
        added_by=actor.label[:200],
        created_at=now,
        confirmed_at=now if status == MemberStatus.ACTIVE else None,
        **flags,
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        # A concurrent addition of the same identity won; the caller's transaction
        # rolls back the place taken above with this error.
        raise PlatformError(MiniProgramError.ALREADY_MEMBER, field="wechat_id")
    return member


def delete_member(actor: Actor, miniprogram: MiniProgram, member: Member, action: str) -> None:
    """Delete a member row and give its places back; the caller holds the transaction."""
    if not Member.objects.filter(pk=member.pk, miniprogram=miniprogram).delete()[0]:
        raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND)
    _give_back_places(miniprogram, member)
    audit.record(actor, action, target=member, appid=miniprogram.appid, before=describe(member))
    emit("member.removed", miniprogram, member)


def _ticket_closed(ticket: QrTicket | None, now) -> bool:
    if ticket is None or ticket.status == TicketStatus.DENIED:
        return True
    return ticket.status != TicketStatus.CONSUMED and now >= ticket.expires_at


def release_stale(miniprogram: MiniProgram) -> int:
    """MEM-4: give back the places of pending additions whose ticket was denied or
    expired. Runs whenever members are read or added; returns how many went."""
    pending = dict(
        Member.objects.filter(miniprogram=miniprogram, status=MemberStatus.PENDING).values_list(
            "pk", "confirm_ticket"
        )
    )
    if not pending:
        return 0
    tickets = {
        t.token: t for t in QrTicket.objects.filter(token__in=[t for t in pending.values() if t])
    }
    now = clock.now()
    released = 0
    for pk, token in pending.items():
        if not _ticket_closed(tickets.get(token), now):
            continue
        with transaction.atomic():
            member = (
                Member.objects.select_related("identity")
                .filter(pk=pk, status=MemberStatus.PENDING)
                .first()
            )
            # Conditional: a confirmation that committed meanwhile keeps its row.
            if (
                member is None
                or not Member.objects.filter(pk=pk, status=MemberStatus.PENDING).delete()[0]
            ):
                continue
            _give_back_places(miniprogram, member)
            audit.record(
                Actor.system("member request expiry"),
                "member.request_released",
                target=member,
                appid=miniprogram.appid,
                before=describe(member),
            )
            emit("member.request_released", miniprogram, member)
            released += 1
    return released
