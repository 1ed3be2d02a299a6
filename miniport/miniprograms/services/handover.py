"""Administrator hand-over (MEM-1): confirmed by scan by the current administrator and by
the new one, who must be a real-name verified adult.

Only `MiniProgram.admin_identity` changes: the subject's registration record (REG-9)
keeps the administrator it was registered with.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from miniport.core import audit, events
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket, TicketStatus
from miniport.miniprograms import purposes
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MiniProgram
from miniport.miniprograms.services import member_rows

# What the new administrator's scan must satisfy: real-name verified and adult
# (`identities.services.check_requirements` checks both for any non-empty requirement).
NEW_ADMIN_REQUIREMENTS = {"real_name_adult": True}


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


def _confirmation(ticket: QrTicket) -> dict:
    """One side's confirmation as written into the hand-over's audit row."""
    identity = ticket.confirmed_by
    return {
        "identity": ticket.confirmed_by_id,
        "wechat_id": identity.wechat_id if identity is not None else "",
        "at": ticket.decided_at,
    }


def handover_start(
    *, actor: Actor, miniprogram: MiniProgram, wechat_id: str, session_key: str
) -> Handover:
    """Two tickets: one for the current administrator, one for the new administrator,
    who must be a real-name verified adult."""
    member_rows.require(actor, miniprogram, "admin.handover")
    new_admin = identity_selectors.find_by_wechat_id(wechat_id)
    if new_admin is None:
        raise PlatformError(MiniProgramError.USER_NOT_FOUND, field="wechat_id")
    if new_admin.pk == miniprogram.admin_identity_id:
        raise PlatformError(MiniProgramError.HANDOVER_SAME_ADMIN, field="wechat_id")
    _check_new_admin(new_admin)
    payload = {
        "appid": miniprogram.appid,
        "from": miniprogram.admin_identity_id,
        "to": new_admin.pk,
    }
    summary = f"{miniprogram} → {new_admin.wechat_id}"
    with transaction.atomic():
        current_ticket = identity_services.ticket_create(
            purpose=purposes.ADMIN_HANDOVER,
            session_key=session_key,
            expected_identity=miniprogram.admin_identity,
            payload={**payload, "side": "current"},
            summary=summary,
        )
        new_ticket = identity_services.ticket_create(
            purpose=purposes.ADMIN_HANDOVER,
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
            token=token, session_key=session_key, purpose=purposes.ADMIN_HANDOVER
        )
        for token in (current_token, new_token)
    ]
    for bad in (TicketStatus.DENIED, "expired", TicketStatus.CONSUMED):
        if bad in states:
            return bad
    if all(state == TicketStatus.CONFIRMED for state in states):
        return TicketStatus.CONFIRMED
    return TicketStatus.PENDING


def handover_complete(
    *, actor: Actor, miniprogram: MiniProgram, current_token: str, new_token: str, session_key: str
) -> MiniProgram:
    """Make the new identity the administrator once both confirmed. Its member rows go
    (the administrator is never a member); the old administrator keeps nothing."""
    member_rows.require(actor, miniprogram, "admin.handover")
    state = handover_state(
        current_token=current_token, new_token=new_token, session_key=session_key
    )
    if state != TicketStatus.CONFIRMED:
        raise PlatformError(member_rows.TICKET_STATE_ERRORS[state])
    with transaction.atomic():
        current = identity_services.ticket_consume(
            token=current_token, session_key=session_key, purpose=purposes.ADMIN_HANDOVER
        )
        new = identity_services.ticket_consume(
            token=new_token, session_key=session_key, purpose=purposes.ADMIN_HANDOVER
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
            raise PlatformError(IdentityError.TICKET_INVALID)
        new_admin = Identity.objects.get(pk=new_admin_id)
        _check_new_admin(new_admin)
        if not MiniProgram.objects.filter(pk=miniprogram.pk, admin_identity_id=old_admin_id).update(
            admin_identity=new_admin
        ):
            raise PlatformError(MiniProgramError.HANDOVER_ADMIN_CHANGED)
        for member in Member.objects.select_related("identity").filter(
            miniprogram=miniprogram, identity=new_admin
        ):
            member_rows.delete_member(actor, miniprogram, member, "member.remove_new_admin")
        # Who confirmed each side by scan, and when (MEM-1: both confirm).
        confirmed_by = {"current": _confirmation(current), "new": _confirmation(new)}
        audit.record(
            actor,
            "admin.handover",
            target=miniprogram,
            appid=miniprogram.appid,
            before={"admin": old_admin_id, "wechat_id": confirmed_by["current"]["wechat_id"]},
            after={
                "admin": new_admin.pk,
                "wechat_id": new_admin.wechat_id,
                "confirmed_by": confirmed_by,
            },
        )
        events.emit(
            "miniprogram.admin_changed", {"appid": miniprogram.appid}, appid=miniprogram.appid
        )
    miniprogram.refresh_from_db()
    return miniprogram
