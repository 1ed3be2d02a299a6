"""Members of a mini program (MEM-1..MEM-5) and the administrator hand-over.

Places (MEM-3): every member row, pending or active, holds one place of its kind in
a quota counter (`core.quotas`, window "ever", limit from policy for the subject).
The place is taken in the transaction that inserts the row and given back when the
row goes (removal, leaving, denial, expiry, hand-over), so concurrent additions
never overfill a list. An experience row also holds one place in its identity's own
"tester of" counter (wechat-api 85003).

Console additions stay pending until the administrator confirms them by scan
(MEM-4, ticket purpose member_add). A pending row whose ticket was denied or expired
is released the next time the members are read (`release_stale`): no scheduler.
The server API (`tester_bind`) binds at once: the app's access token is the authority.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, ids, quotas
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.identities.models import Identity, QrTicket, TicketPurpose, TicketStatus
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.models import Member, MemberKind, MemberStatus, MiniProgram

ROLE_FIELDS = {
    permissions.OPERATOR: "is_operator",
    permissions.DEVELOPER: "is_developer",
    permissions.DATA_ANALYST: "is_data_analyst",
}
TESTER_OF_RULE = "members.tester_of_max_miniprograms"
# What the new administrator's scan must satisfy: real-name verified and adult
# (`identities.services.check_requirements` checks both for any non-empty requirement).
NEW_ADMIN_REQUIREMENTS = {"real_name_adult": True}


def _require(actor: Actor, miniprogram: MiniProgram, action: str) -> None:
    if not permissions.allowed(selectors.actor_roles(actor, miniprogram), action):
        raise PlatformError(ErrorCode.PERMISSION_DENIED)


def manage_action(kind: str) -> str:
    """MEM-1 / MEM-2: who adds and removes members of this kind."""
    return "members.manage" if kind == MemberKind.PROJECT else "experience.manage"


def _role_flags(roles) -> dict[str, bool]:
    chosen = {str(role) for role in roles or ()}
    if chosen - ROLE_FIELDS.keys():
        raise PlatformError(ErrorCode.FIELD_INVALID, field="roles", reason="unknown role")
    if not chosen:
        raise PlatformError(ErrorCode.MEMBER_ROLE_REQUIRED, field="roles")
    return {field: role in chosen for role, field in ROLE_FIELDS.items()}


def _tester_scope(identity_id: int) -> str:
    return f"members.tester_of:{identity_id}"


def _take_places(miniprogram: MiniProgram, identity: Identity, kind: str) -> None:
    full = ErrorCode.PROJECT_MEMBER_LIMIT if kind == MemberKind.PROJECT else ErrorCode.TESTER_LIMIT
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
            error=ErrorCode.TESTER_OF_TOO_MANY,
            field="wechat_id",
        )


def _give_back_places(miniprogram: MiniProgram, member: Member) -> None:
    quotas.release(
        selectors.place_scope(miniprogram, member.kind), selectors.PLACES_RULE, window="ever"
    )
    if member.kind == MemberKind.EXPERIENCE:
        quotas.release(_tester_scope(member.identity_id), TESTER_OF_RULE, window="ever")


def _describe(member: Member) -> dict:
    return {
        "wechat_id": member.identity.wechat_id,
        "kind": member.kind,
        "status": member.status,
        "roles": member.roles,
        "userstr": member.userstr,
    }


def _event(kind: str, miniprogram: MiniProgram, member: Member) -> None:
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


def _add(
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
        raise PlatformError(ErrorCode.FIELD_INVALID, field="kind", reason="unknown member kind")
    flags = _role_flags(roles) if kind == MemberKind.PROJECT else {}
    identity = identity_selectors.find_by_wechat_id(wechat_id)
    if identity is None:
        raise PlatformError(ErrorCode.USER_NOT_FOUND, field="wechat_id")
    if identity.pk == miniprogram.admin_identity_id:
        raise PlatformError(ErrorCode.ADMIN_CANNOT_BE_MEMBER, field="wechat_id")
    if selectors.membership(miniprogram, identity, kind) is not None:
        raise PlatformError(ErrorCode.ALREADY_MEMBER, field="wechat_id")
    _take_places(miniprogram, identity, kind)
    now = clock.now()
    member = Member(
        miniprogram=miniprogram,
        identity=identity,
        kind=kind,
        status=status,
        userstr=ids.new_token(16),
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
        raise PlatformError(ErrorCode.ALREADY_MEMBER, field="wechat_id")
    return member


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
    _require(actor, miniprogram, manage_action(kind))
    release_stale(miniprogram)
    with transaction.atomic():
        member = _add(
            actor=actor,
            miniprogram=miniprogram,
            wechat_id=wechat_id,
            kind=kind,
            roles=roles,
            status=MemberStatus.PENDING,
        )
        label = (
            "项目成员 / project member"
            if kind == MemberKind.PROJECT
            else "体验成员 / experience member"
        )
        ticket = identity_services.ticket_create(
            purpose=TicketPurpose.MEMBER_ADD,
            session_key=session_key,
            expected_identity=miniprogram.admin_identity,
            payload={
                "appid": miniprogram.appid,
                "member": member.pk,
                "kind": kind,
                "roles": member.roles,
            },
            summary=f"添加{label}: {member.identity.wechat_id} → {miniprogram}",
        )
        member.confirm_ticket = ticket.token
        member.save(update_fields=["confirm_ticket"])
        audit.record(
            actor,
            "member.request_add",
            target=member,
            appid=miniprogram.appid,
            after=_describe(member),
        )
        _event("member.requested", miniprogram, member)
    return member, ticket


def member_confirm(
    *, actor: Actor, miniprogram: MiniProgram, token: str, session_key: str
) -> Member:
    """Finish a console addition once the administrator confirmed its ticket; polled by
    the page that asked. A denied or expired request is released and reported."""
    _require(actor, miniprogram, "console.enter")
    state = identity_services.ticket_status(
        token=token, session_key=session_key, purpose=TicketPurpose.MEMBER_ADD
    )
    if state in (TicketStatus.DENIED, "expired"):
        release_stale(miniprogram)
        raise PlatformError(
            ErrorCode.TICKET_DENIED if state == TicketStatus.DENIED else ErrorCode.TICKET_EXPIRED
        )
    if state == TicketStatus.CONSUMED:
        raise PlatformError(ErrorCode.TICKET_USED)
    if state != TicketStatus.CONFIRMED:
        raise PlatformError(ErrorCode.TICKET_PENDING)
    with transaction.atomic():
        member = (
            Member.objects.select_related("identity")
            .filter(
                miniprogram=miniprogram, confirm_ticket=token or "-", status=MemberStatus.PENDING
            )
            .first()
        )
        if member is None:
            raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
        _require(actor, miniprogram, manage_action(member.kind))
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=TicketPurpose.MEMBER_ADD
        )
        current_admin = MiniProgram.objects.filter(pk=miniprogram.pk).values_list(
            "admin_identity_id", flat=True
        )
        if ticket.confirmed_by_id not in current_admin:
            raise PlatformError(ErrorCode.TICKET_WRONG_IDENTITY)
        now = clock.now()
        if not Member.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
            status=MemberStatus.ACTIVE, confirmed_at=now
        ):
            raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
        member.status, member.confirmed_at = MemberStatus.ACTIVE, now
        audit.record(
            Actor.for_identity(ticket.confirmed_by),
            "member.confirm_add",
            target=member,
            appid=miniprogram.appid,
            before={"status": MemberStatus.PENDING},
            after=_describe(member),
        )
        _event("member.added", miniprogram, member)
    return member


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
                before=_describe(member),
            )
            _event("member.request_released", miniprogram, member)
            released += 1
    return released


def _remove(actor: Actor, miniprogram: MiniProgram, member: Member, action: str) -> None:
    """Delete a member row and give its places back; the caller holds the transaction."""
    if not Member.objects.filter(pk=member.pk, miniprogram=miniprogram).delete()[0]:
        raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
    _give_back_places(miniprogram, member)
    audit.record(actor, action, target=member, appid=miniprogram.appid, before=_describe(member))
    _event("member.removed", miniprogram, member)


def member_remove(*, actor: Actor, miniprogram: MiniProgram, member: Member) -> None:
    """MEM-1 / MEM-2: remove a member (or withdraw a pending addition)."""
    if member.miniprogram_id != miniprogram.pk:
        raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
    _require(actor, miniprogram, manage_action(member.kind))
    with transaction.atomic():
        _remove(actor, miniprogram, member, "member.remove")


def member_leave(*, actor: Actor, miniprogram: MiniProgram) -> None:
    """A project member leaves the mini program by himself."""
    _require(actor, miniprogram, "members.leave")
    with transaction.atomic():
        member = (
            Member.objects.select_related("identity")
            .filter(miniprogram=miniprogram, identity_id=int(actor.id), kind=MemberKind.PROJECT)
            .first()
        )
        if member is None:
            raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
        _remove(actor, miniprogram, member, "member.leave")


def member_set_roles(*, actor: Actor, miniprogram: MiniProgram, member: Member, roles) -> Member:
    """MEM-1 / MEM-5: the administrator sets an active project member's roles."""
    if member.miniprogram_id != miniprogram.pk or member.kind != MemberKind.PROJECT:
        raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
    _require(actor, miniprogram, "members.manage")
    flags = _role_flags(roles)
    if member.status != MemberStatus.ACTIVE:
        raise PlatformError(
            ErrorCode.ILLEGAL_TRANSITION, state=member.status, action="member.set_roles"
        )
    with transaction.atomic():
        before = member.roles
        if not Member.objects.filter(pk=member.pk, status=MemberStatus.ACTIVE).update(**flags):
            raise PlatformError(ErrorCode.MEMBER_NOT_FOUND)
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
        _event("member.roles_changed", miniprogram, member)
    return member


# Server API (wechat-api section 5): immediate, same places and limits as the console.


def tester_bind(*, actor: Actor, miniprogram: MiniProgram, wechat_id: str) -> Member:
    _require(actor, miniprogram, "experience.manage")
    release_stale(miniprogram)
    with transaction.atomic():
        member = _add(
            actor=actor,
            miniprogram=miniprogram,
            wechat_id=wechat_id,
            kind=MemberKind.EXPERIENCE,
            roles=(),
            status=MemberStatus.ACTIVE,
        )
        audit.record(
            actor,
            "member.bind_tester",
            target=member,
            appid=miniprogram.appid,
            after=_describe(member),
        )
        _event("member.added", miniprogram, member)
    return member


def tester_unbind(
    *, actor: Actor, miniprogram: MiniProgram, wechat_id: str = "", userstr: str = ""
) -> None:
    _require(actor, miniprogram, "experience.manage")
    testers = Member.objects.select_related("identity").filter(
        miniprogram=miniprogram, kind=MemberKind.EXPERIENCE
    )
    if userstr:
        member = testers.filter(userstr=userstr).first()
        if member is None:
            raise PlatformError(ErrorCode.USERSTR_INVALID, field="userstr")
    elif wechat_id:
        member = testers.filter(identity__wechat_id=wechat_id.strip()).first()
        if member is None:
            raise PlatformError(ErrorCode.MEMBER_NOT_FOUND, field="wechatid")
    else:
        raise PlatformError(ErrorCode.FIELD_REQUIRED, field="wechatid")
    with transaction.atomic():
        _remove(actor, miniprogram, member, "member.unbind_tester")


# Administrator hand-over: confirmed by the current administrator and the new one.


@dataclass(frozen=True)
class Handover:
    current_ticket: QrTicket
    new_ticket: QrTicket
    new_admin: Identity


def _check_new_admin(identity: Identity) -> None:
    try:
        identity_services.check_requirements(identity, NEW_ADMIN_REQUIREMENTS)
    except PlatformError as exc:
        raise PlatformError(exc.code, field="wechat_id", **exc.params)


def handover_start(
    *, actor: Actor, miniprogram: MiniProgram, wechat_id: str, session_key: str
) -> Handover:
    """Two tickets: one for the current administrator, one for the new administrator,
    who must be a real-name verified adult."""
    _require(actor, miniprogram, "admin.handover")
    new_admin = identity_selectors.find_by_wechat_id(wechat_id)
    if new_admin is None:
        raise PlatformError(ErrorCode.USER_NOT_FOUND, field="wechat_id")
    if new_admin.pk == miniprogram.admin_identity_id:
        raise PlatformError(ErrorCode.HANDOVER_SAME_ADMIN, field="wechat_id")
    _check_new_admin(new_admin)
    payload = {
        "appid": miniprogram.appid,
        "from": miniprogram.admin_identity_id,
        "to": new_admin.pk,
    }
    summary = f"更换管理员 / administrator hand-over: {miniprogram} → {new_admin.wechat_id}"
    with transaction.atomic():
        current_ticket = identity_services.ticket_create(
            purpose=TicketPurpose.ADMIN_HANDOVER,
            session_key=session_key,
            expected_identity=miniprogram.admin_identity,
            payload={**payload, "side": "current"},
            summary=summary,
        )
        new_ticket = identity_services.ticket_create(
            purpose=TicketPurpose.ADMIN_HANDOVER,
            session_key=session_key,
            expected_identity=new_admin,
            requirements=NEW_ADMIN_REQUIREMENTS,
            payload={**payload, "side": "new"},
            summary=summary,
        )
        audit.record(
            actor,
            "admin.handover_start",
            target=miniprogram,
            appid=miniprogram.appid,
            after={"to": new_admin.wechat_id},
        )
    return Handover(current_ticket, new_ticket, new_admin)


def handover_state(*, current_token: str, new_token: str, session_key: str) -> str:
    """ "confirmed" when both sides confirmed; else the first open or failed state."""
    states = [
        identity_services.ticket_status(
            token=token, session_key=session_key, purpose=TicketPurpose.ADMIN_HANDOVER
        )
        for token in (current_token, new_token)
    ]
    for bad in (TicketStatus.DENIED, "expired", TicketStatus.CONSUMED):
        if bad in states:
            return bad
    if all(state == TicketStatus.CONFIRMED for state in states):
        return TicketStatus.CONFIRMED
    return TicketStatus.PENDING


_STATE_ERRORS = {
    TicketStatus.DENIED: ErrorCode.TICKET_DENIED,
    "expired": ErrorCode.TICKET_EXPIRED,
    TicketStatus.CONSUMED: ErrorCode.TICKET_USED,
    TicketStatus.PENDING: ErrorCode.TICKET_PENDING,
}


def handover_complete(
    *, actor: Actor, miniprogram: MiniProgram, current_token: str, new_token: str, session_key: str
) -> MiniProgram:
    """Make the new identity the administrator once both confirmed. Its member rows go
    (the administrator is never a member); the old administrator keeps nothing."""
    _require(actor, miniprogram, "admin.handover")
    state = handover_state(
        current_token=current_token, new_token=new_token, session_key=session_key
    )
    if state != TicketStatus.CONFIRMED:
        raise PlatformError(_STATE_ERRORS[state])
    with transaction.atomic():
        current = identity_services.ticket_consume(
            token=current_token, session_key=session_key, purpose=TicketPurpose.ADMIN_HANDOVER
        )
        new = identity_services.ticket_consume(
            token=new_token, session_key=session_key, purpose=TicketPurpose.ADMIN_HANDOVER
        )
        old_admin_id = current.payload.get("from")
        new_admin_id = current.payload.get("to")
        if (
            current.payload.get("side") != "current"
            or new.payload.get("side") != "new"
            or {current.payload.get("appid"), new.payload.get("appid")} != {miniprogram.appid}
            or new.payload.get("to") != new_admin_id
            or current.confirmed_by_id != old_admin_id
            or new.confirmed_by_id != new_admin_id
        ):
            raise PlatformError(ErrorCode.TICKET_INVALID)
        new_admin = Identity.objects.get(pk=new_admin_id)
        _check_new_admin(new_admin)
        if not MiniProgram.objects.filter(pk=miniprogram.pk, admin_identity_id=old_admin_id).update(
            admin_identity=new_admin
        ):
            raise PlatformError(ErrorCode.HANDOVER_ADMIN_CHANGED)
        for member in Member.objects.select_related("identity").filter(
            miniprogram=miniprogram, identity=new_admin
        ):
            _remove(actor, miniprogram, member, "member.remove_new_admin")
        audit.record(
            actor,
            "admin.handover",
            target=miniprogram,
            appid=miniprogram.appid,
            before={"admin": old_admin_id},
            after={"admin": new_admin.pk, "wechat_id": new_admin.wechat_id},
        )
        events.emit(
            "miniprogram.admin_changed", {"appid": miniprogram.appid}, appid=miniprogram.appid
        )
    miniprogram.refresh_from_db()
    return miniprogram


# Member login: an identity enters the console by scan alone (no account, no email).


def member_login_request(*, session_key: str) -> QrTicket:
    """A login ticket any identity may confirm: whoever scans logs this browser in."""
    return identity_services.ticket_create(
        purpose=TicketPurpose.LOGIN,
        session_key=session_key,
        payload={"member_login": True},
        summary="扫码登录小程序管理后台 / scan to log in to the console",
    )


def member_login_confirmed(*, token: str, session_key: str) -> tuple[Identity, list[MiniProgram]]:
    """Use the confirmed member-login ticket; returns the identity and the mini programs
    whose console it may enter (administrator or project member)."""
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=TicketPurpose.LOGIN
        )
        if not ticket.payload.get("member_login") or ticket.confirmed_by is None:
            raise PlatformError(ErrorCode.TICKET_INVALID)
    miniprograms = selectors.miniprograms_of(ticket.confirmed_by)
    if not miniprograms:
        raise PlatformError(ErrorCode.NO_CONSOLE_ROLE)
    return ticket.confirmed_by, miniprograms


def member_login_enter(*, identity: Identity, miniprogram: MiniProgram) -> frozenset[str]:
    """The identity enters this mini program's console; returns its roles there."""
    roles = frozenset(selectors.roles_of(identity, miniprogram))
    if not permissions.allowed(roles, "console.enter"):
        raise PlatformError(ErrorCode.NO_CONSOLE_ROLE)
    audit.record(
        Actor.for_identity(identity),
        "console.member_login",
        target=miniprogram,
        appid=miniprogram.appid,
        after={"roles": sorted(roles)},
    )
    return roles
