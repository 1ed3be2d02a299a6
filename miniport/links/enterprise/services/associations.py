"""Associations of mini programs with enterprises (WW-1..WW-5) and their visibility
ranges.

The walk (decided here, see README's "Enterprises"): both sides agree, and the mini
program's administrator always authorises by scan (WW-3).
- Started by the enterprise (`request_from_enterprise`): waiting for the mini program
  administrator's scan; the scan makes it active.
- Started by the mini program (`request_from_miniprogram`, its administrator): waiting
  for the same scan; the scan makes it wait for the enterprise, whose administrator
  accepts it (`association_accept`) — an enterprise never finds a mini program on its
  workbench that it did not take.
- Either side ends it at any time (`association_end`: cancel, refuse, remove); a request
  unanswered for `enterprise.request_days` reads as expired and is closed when the pair
  is requested again. An active association shows nothing until its range is set.

Refusals (`EnterpriseError`), after which nothing changed:
- requests: no such mini program / enterprise: MINIPROGRAM_NOT_FOUND (field `appid`) /
  ENTERPRISE_NOT_FOUND (field `corp_id`); no online version: NOT_RELEASED (WW-1, field
  `appid`); a live association of the pair: ALREADY_ASSOCIATED (the database's
  one-live-association constraint decides under concurrency).
- the scan (`authorize_confirmed`, run in the ticket's confirmation): not waiting for it
  or expired: NOT_WAITING; confirmed by someone who is no longer the administrator:
  WRONG_ADMINISTRATOR; not released any more: NOT_RELEASED. The phone shows the refusal
  and the ticket stays unconfirmed.
- `association_accept`: not waiting for the enterprise: NOT_WAITING; NOT_RELEASED.
- `association_end`: already ended: NOT_WAITING.
- `range_set`: the association is not active: NOT_WAITING; a department or member of
  another enterprise: DEPARTMENT_NOT_FOUND / MEMBER_NOT_FOUND; more than
  `enterprise.range_max` entries: RANGE_LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.enterprise import selectors
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import (
    Association,
    AssociationStatus,
    Department,
    Enterprise,
    Member,
    RangeEntry,
    StartedBy,
)
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram

S = AssociationStatus
# The ticket purpose of the administrator's scan (registered in `purposes.py`).
AUTHORIZE = "ww_authorize"
ASSOCIATED = "enterprise.associated"
ENDED = "enterprise.association_ended"

# Why an association ended, by which side.
END_REASONS = {
    "cancelled": _("Cancelled"),
    "refused": _("Refused"),
    "removed": _("Removed"),
    "expired": _("Expired"),
}


def _label(actor: Actor) -> str:
    return (actor.label or f"{actor.kind}:{actor.id}")[:200]


def _payload(association: Association, **extra: Any) -> dict[str, Any]:
    return {
        "association": association.pk,
        "corp_id": association.enterprise.corp_id,
        "enterprise": association.enterprise.name,
        "appid": association.miniprogram.appid,
        "status": association.status,
        **extra,
    }


def _released_or_refuse(miniprogram: MiniProgram) -> None:
    if not selectors.is_released(miniprogram):
        raise PlatformError(EnterpriseError.NOT_RELEASED, field="appid")


def _ticket(association: Association, session_key: str) -> QrTicket:
    """A scan for the mini program's current administrator (it also waits on that
    identity's phone among its pending confirmations)."""
    mp, corp = association.miniprogram, association.enterprise
    return identity_services.ticket_create(
        purpose=AUTHORIZE,
        session_key=session_key,
        expected_identity=mp.admin_identity,
        payload={"association": association.pk, "corp_id": corp.corp_id, "appid": mp.appid},
        summary=f"{corp.name} ({corp.corp_id}) → {mp.name or mp.appid} ({mp.appid})",
    )


def _close_expired(enterprise: Enterprise, miniprogram: MiniProgram, now) -> None:
    """A stale request of the pair is closed (expired) so the new one may take its place."""
    for stale in Association.objects.select_for_update().filter(
        enterprise=enterprise, miniprogram=miniprogram, status__in=selectors.WAITING
    ):
        if selectors.is_expired(stale, now):
            stale.status, stale.ended_at, stale.end_reason = S.ENDED, now, "expired"
            stale.save(update_fields=["status", "ended_at", "end_reason"])


def _request(
    *,
    actor: Actor,
    enterprise: Enterprise,
    miniprogram: MiniProgram,
    started_by: str,
    session_key: str,
) -> tuple[Association, QrTicket]:
    _released_or_refuse(miniprogram)
    with transaction.atomic():
        now = clock.now()
        _close_expired(enterprise, miniprogram, now)
        try:
            with transaction.atomic():
                association = Association.objects.create(
                    enterprise=enterprise,
                    miniprogram=miniprogram,
                    status=S.WAITING_MINIPROGRAM,
                    started_by=started_by,
                    requested_by=_label(actor),
                    requested_at=now,
                )
        except IntegrityError:
            field = "appid" if started_by == StartedBy.ENTERPRISE else "corp_id"
            raise PlatformError(EnterpriseError.ALREADY_ASSOCIATED, field=field) from None
        ticket = _ticket(association, session_key)
        audit.record(
            actor,
            "enterprise.association_request",
            target=association,
            appid=miniprogram.appid,
            after=_payload(association, started_by=started_by),
        )
    return association, ticket


def request_from_enterprise(
    *, actor: Actor, enterprise: Enterprise, appid: str, session_key: str
) -> tuple[Association, QrTicket]:
    """WW-2 from the enterprise console: associate the mini program of `appid`."""
    miniprogram = mp_selectors.by_appid((appid or "").strip())
    if miniprogram is None:
        shown = str(appid or "").replace("\x00", "")[:40]
        raise PlatformError(EnterpriseError.MINIPROGRAM_NOT_FOUND, field="appid", appid=shown)
    return _request(
        actor=actor,
        enterprise=enterprise,
        miniprogram=miniprogram,
        started_by=StartedBy.ENTERPRISE,
        session_key=session_key,
    )


def request_from_miniprogram(
    *, actor: Actor, miniprogram: MiniProgram, corp_id: str, session_key: str
) -> tuple[Association, QrTicket]:
    """WW-2 from the mini program's association settings: associate with `corp_id`."""
    enterprise = selectors.by_corp_id(corp_id)
    if enterprise is None:
        shown = str(corp_id or "").replace("\x00", "")[:40]
        raise PlatformError(EnterpriseError.ENTERPRISE_NOT_FOUND, field="corp_id", corp_id=shown)
    return _request(
        actor=actor,
        enterprise=enterprise,
        miniprogram=miniprogram,
        started_by=StartedBy.MINIPROGRAM,
        session_key=session_key,
    )


def _refuse_unless(association: Association, status: str) -> None:
    if selectors.effective_status(association) != status:
        shown = S(selectors.effective_status(association)).label
        raise PlatformError(EnterpriseError.NOT_WAITING, status=shown)


def authorize_ticket(*, association: Association, session_key: str) -> QrTicket:
    """A fresh scan for a request still waiting for it (the first QR expired or was
    shown on the other side's screen)."""
    _refuse_unless(association, S.WAITING_MINIPROGRAM)
    return _ticket(association, session_key)


def authorize_confirmed(ticket: QrTicket) -> None:
    """WW-3, the ticket's on_confirm: the administrator's scan authorises the request."""
    pk = (ticket.payload or {}).get("association")
    with transaction.atomic():
        association = (
            Association.objects.select_for_update()
            .select_related("enterprise", "miniprogram")
            .filter(pk=pk if isinstance(pk, int) else 0)
            .first()
        )
        if association is None:
            raise PlatformError(EnterpriseError.NOT_WAITING, status=S.ENDED.label)
        _refuse_unless(association, S.WAITING_MINIPROGRAM)
        mp = MiniProgram.objects.select_for_update().get(pk=association.miniprogram_id)
        if ticket.confirmed_by_id is None or ticket.confirmed_by_id != mp.admin_identity_id:
            raise PlatformError(EnterpriseError.WRONG_ADMINISTRATOR)
        _released_or_refuse(mp)
        now = clock.now()
        by_enterprise = association.started_by == StartedBy.ENTERPRISE
        association.status = S.ACTIVE if by_enterprise else S.WAITING_ENTERPRISE
        association.authorized_by_id = ticket.confirmed_by_id
        association.authorized_at = now
        association.activated_at = now if by_enterprise else None
        association.save(update_fields=["status", "authorized_by", "authorized_at", "activated_at"])
        payload = _payload(association)
        audit.record(
            Actor.for_identity(ticket.confirmed_by),
            "enterprise.association_authorize",
            target=association,
            appid=mp.appid,
            after=payload,
        )
        if by_enterprise:
            events.emit(ASSOCIATED, payload, appid=mp.appid)


def association_accept(*, actor: Actor, association: Association) -> Association:
    """WW-2 from the mini program side: the enterprise takes the authorised request."""
    with transaction.atomic():
        found = Association.objects.select_for_update().get(pk=association.pk)
        _refuse_unless(found, S.WAITING_ENTERPRISE)
        _released_or_refuse(found.miniprogram)
        found.status, found.activated_at = S.ACTIVE, clock.now()
        found.save(update_fields=["status", "activated_at"])
        payload = _payload(found)
        audit.record(
            actor,
            "enterprise.association_accept",
            target=found,
            appid=found.miniprogram.appid,
            after=payload,
        )
        events.emit(ASSOCIATED, payload, appid=found.miniprogram.appid)
    return found


def ensure_endable(association: Association) -> None:
    """Refuse ending an association that has ended already (expired included):
    NOT_WAITING. `association_end` asks this under its lock; the consoles' confirmation
    pages ask it, so they refuse what the ending would."""
    if selectors.effective_status(association) == S.ENDED:
        raise PlatformError(EnterpriseError.NOT_WAITING, status=S.ENDED.label)


def association_end(
    *, actor: Actor, association: Association, side: str, reason: str = "removed"
) -> Association:
    """Either side cancels a request, refuses one or removes an association; its range
    goes with it (a new association starts with an empty range)."""
    if reason not in END_REASONS or reason == "expired":
        raise ValueError(f"end reason {reason!r}")
    with transaction.atomic():
        found = Association.objects.select_for_update().get(pk=association.pk)
        ensure_endable(found)
        before = found.status
        found.status, found.ended_at = S.ENDED, clock.now()
        found.end_reason = f"{reason}:{side}"[:40]
        found.save(update_fields=["status", "ended_at", "end_reason"])
        RangeEntry.objects.filter(association=found).delete()
        payload = _payload(found, side=side, reason=reason)
        audit.record(
            actor,
            "enterprise.association_end",
            target=found,
            appid=found.miniprogram.appid,
            before={"status": before},
            after=payload,
        )
        if before == S.ACTIVE:
            events.emit(ENDED, payload, appid=found.miniprogram.appid)
    return found


def range_set(
    *,
    actor: Actor,
    association: Association,
    departments: Iterable[Department | int] = (),
    members: Iterable[Member | int] = (),
) -> tuple[set[int], set[int]]:
    """WW-4: the whole range at once (departments cover their subdepartments)."""
    department_pks = {d.pk if isinstance(d, Department) else int(d) for d in departments}
    member_pks = {m.pk if isinstance(m, Member) else int(m) for m in members}
    with transaction.atomic():
        # The enterprise's lock first, as the directory takes it: a member or department
        # removed meanwhile waits, then takes its entries with it (otherwise the entry
        # written for it breaks the foreign key at commit).
        corp = Enterprise.objects.select_for_update().get(pk=association.enterprise_id).pk
        found = Association.objects.select_for_update().get(pk=association.pk)
        _refuse_unless(found, S.ACTIVE)
        if Department.objects.filter(enterprise_id=corp, pk__in=department_pks).count() != len(
            department_pks
        ):
            raise PlatformError(EnterpriseError.DEPARTMENT_NOT_FOUND, field="departments")
        if Member.objects.filter(enterprise_id=corp, pk__in=member_pks).count() != len(member_pks):
            raise PlatformError(EnterpriseError.MEMBER_NOT_FOUND, field="members")
        limit = policy.value("enterprise.range_max")
        if len(department_pks) + len(member_pks) > limit:
            raise PlatformError(EnterpriseError.RANGE_LIMIT, field="departments", limit=limit)
        before = selectors.range_of(found)
        RangeEntry.objects.filter(association=found).delete()
        RangeEntry.objects.bulk_create(
            [RangeEntry(association=found, department_id=pk) for pk in sorted(department_pks)]
            + [RangeEntry(association=found, member_id=pk) for pk in sorted(member_pks)]
        )
        audit.record(
            actor,
            "enterprise.range_set",
            target=found,
            appid=found.miniprogram.appid,
            before={"departments": sorted(before[0]), "members": sorted(before[1])},
            after={"departments": sorted(department_pks), "members": sorted(member_pks)},
        )
    return department_pks, member_pks
