"""Associations of official accounts with mini programs (OA-2, OA-3).

The official account asks (console or wxamplink); the request waits for the mini
program's administrator, who confirms it by scanning (a ticket naming them as
`expected_identity`, also listed on their phone) or refuses it from the mini program's
console. Either side may unlink; the official account may also withdraw a waiting
request (wxampunlink does both).

OA-2 places. A place is taken at request and held while the request waits and once it
is linked; it is given back by a refusal, an unlink, a withdrawal, and by expiry (a
request unanswered for `official_account.request_hours`, computed when read: an expired
request simply no longer counts). The standing limits are therefore counts of live rows
(`selectors.live_q`), checked under the row locks of the official account and then the
mini program (always in that order, so two requests cannot deadlock; SQLite's IMMEDIATE
transactions serialise writers): `official_account.same_subject_links` (89016) and
`official_account.other_subject_links` (89017) per official account, by the subjects'
principal keys; `official_account.links_per_miniprogram` (89009) per mini program.
The monthly additions (`official_account.additions_per_month` per official account,
`official_account.miniprogram_additions_per_month` per mini program, both 89007) are
`core.quotas` counters taken at request and never given back: a request made is an
addition of that month, whatever becomes of it. A refused request rolls all of it back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from miniport.accounts.selectors import principal_key
from miniport.core import audit, clock, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import purposes
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import selectors
from miniport.links.official_accounts.errors import OfficialAccountError
from miniport.links.official_accounts.models import (
    LinkStatus,
    OfficialAccount,
    OfficialAccountLink,
)
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram

E = OfficialAccountError


def _on_confirm(ticket: QrTicket) -> None:
    link_confirm(ticket)


CONFIRM = purposes.register(
    "oa_link_confirm",
    owner="official_accounts",
    label=_("association with an official account"),
    shows=_(
        "Confirming associates the official account with the mini program you administer: "
        "it may then open the mini program from its menu and articles."
    ),
    on_confirm=_on_confirm,
)


def _payload(link: OfficialAccountLink) -> dict:
    return {
        "link": link.pk,
        "official_account": link.official_account.appid,
        "official_account_name": link.official_account.name,
        "appid": link.miniprogram.appid,
        "status": int(link.status),
        "same_subject": link.same_subject,
    }


def confirmation_ticket(link: OfficialAccountLink, *, session_key: str = "") -> QrTicket:
    """A ticket for the mini program's administrator to confirm `link` with; it shows in
    their pending confirmations on the phone. A ticket asked from no browser (the API,
    the official account's console) is bound to a key no browser has."""
    return identity_services.ticket_create(
        purpose=CONFIRM,
        session_key=session_key or f"oa-link:{link.pk}",
        expected_identity=link.miniprogram.admin_identity,
        payload={"link": link.pk},
        summary=f"{link.official_account.name} → {link.miniprogram}",
    )


def _count(oa: OfficialAccount | None = None, mp: MiniProgram | None = None, **where) -> int:
    rows = OfficialAccountLink.objects.filter(selectors.live_q(), **where)
    if oa is not None:
        rows = rows.filter(official_account=oa)
    if mp is not None:
        rows = rows.filter(miniprogram=mp)
    return rows.count()


def _check_places(oa: OfficialAccount, mp: MiniProgram, same: bool) -> None:
    if same:
        limit = policy.value("official_account.same_subject_links")
        if _count(oa=oa, same_subject=True) >= limit:
            raise PlatformError(E.SAME_SUBJECT_LIMIT, field="appid", limit=limit)
    else:
        limit = policy.value("official_account.other_subject_links")
        if _count(oa=oa, same_subject=False) >= limit:
            raise PlatformError(E.OTHER_SUBJECT_LIMIT, field="appid", limit=limit)
    limit = policy.value("official_account.links_per_miniprogram")
    if _count(mp=mp) >= limit:
        raise PlatformError(E.MINIPROGRAM_LINK_LIMIT, field="appid", limit=limit)


def link_request(
    *,
    actor: Actor,
    official_account: OfficialAccount,
    appid: str,
    notify_users: bool = False,
    show_profile: bool = False,
) -> OfficialAccountLink:
    """OA-3: the official account asks to associate the mini program `appid`."""
    target = selectors.miniprogram_by_appid(appid)
    if target is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    with transaction.atomic():
        oa = OfficialAccount.objects.select_for_update().get(pk=official_account.pk)
        mp = MiniProgram.objects.select_for_update().select_related("subject").get(pk=target.pk)
        now = clock.now()
        existing = (
            OfficialAccountLink.objects.select_for_update()
            .filter(official_account=oa, miniprogram=mp, status__in=(1, 2))
            .first()
        )
        if existing is not None:
            status = selectors.effective_status(existing, now)
            if status == LinkStatus.LINKED:
                raise PlatformError(E.ALREADY_LINKED, field="appid")
            if status == LinkStatus.WAITING:
                raise PlatformError(E.ALREADY_WAITING, field="appid")
            # Expired: closed now that a new request replaces it.
            existing.status, existing.ended_at = LinkStatus.EXPIRED, now
            existing.save(update_fields=["status", "ended_at"])
        same = oa.principal_key == principal_key(mp.subject)
        _check_places(oa, mp, same)
        quotas.consume(
            f"oa-additions:{oa.appid}",
            "official_account.additions_per_month",
            window="month",
            error=E.MONTHLY_LIMIT,
            field="appid",
        )
        quotas.consume(
            f"oa-additions-mp:{mp.appid}",
            "official_account.miniprogram_additions_per_month",
            window="month",
            error=E.MINIPROGRAM_MONTHLY_LIMIT,
            field="appid",
        )
        try:
            with transaction.atomic():
                link = OfficialAccountLink.objects.create(
                    official_account=oa,
                    miniprogram=mp,
                    status=LinkStatus.WAITING,
                    same_subject=same,
                    notify_users=notify_users,
                    show_profile=show_profile,
                    requested_by=(actor.label or f"{actor.kind}:{actor.id}")[:200],
                    requested_at=now,
                )
        except IntegrityError:
            raise PlatformError(E.ALREADY_WAITING, field="appid") from None
        confirmation_ticket(link)
        audit.record(
            actor,
            "official_account.link_request",
            target=link,
            appid=mp.appid,
            after=_payload(link),
        )
    return link


def link_confirm(ticket: QrTicket) -> OfficialAccountLink:
    """The administrator's scan confirmed `ticket` (in its transaction): the request,
    still waiting, becomes an association."""
    link = (
        OfficialAccountLink.objects.select_for_update()
        .select_related("official_account", "miniprogram")
        .filter(pk=int((ticket.payload or {}).get("link") or 0))
        .first()
    )
    if link is None or selectors.effective_status(link) != LinkStatus.WAITING:
        raise PlatformError(E.NOT_WAITING)
    if ticket.confirmed_by_id != link.miniprogram.admin_identity_id:
        raise PlatformError(E.NOT_WAITING)
    link.status, link.decided_at = LinkStatus.LINKED, clock.now()
    link.save(update_fields=["status", "decided_at"])
    audit.record(
        Actor.for_identity(ticket.confirmed_by),
        "official_account.link_confirm",
        target=link,
        appid=link.miniprogram.appid,
        after=_payload(link),
    )
    return link


def _end(
    actor: Actor, link: OfficialAccountLink, *, to: int, allowed: tuple[int, ...], action: str
) -> OfficialAccountLink:
    with transaction.atomic():
        row = (
            OfficialAccountLink.objects.select_for_update()
            .select_related("official_account", "miniprogram")
            .get(pk=link.pk)
        )
        if selectors.effective_status(row) not in allowed:
            raise PlatformError(E.NOT_WAITING if to == LinkStatus.REFUSED else E.NOT_LINKED)
        before = _payload(row)
        now = clock.now()
        row.status, row.ended_at = to, now
        if to == LinkStatus.REFUSED:
            row.decided_at = now
        row.save(update_fields=["status", "ended_at", "decided_at"])
        audit.record(
            actor,
            action,
            target=row,
            appid=row.miniprogram.appid,
            before=before,
            after=_payload(row),
        )
    return row


def link_refuse(*, actor: Actor, link: OfficialAccountLink) -> OfficialAccountLink:
    """The mini program's administrator refuses a waiting request; its place is given back."""
    return _end(
        actor,
        link,
        to=LinkStatus.REFUSED,
        allowed=(LinkStatus.WAITING,),
        action="official_account.link_refuse",
    )


def unlink(*, actor: Actor, link: OfficialAccountLink) -> OfficialAccountLink:
    """Either side ends an association, or withdraws a waiting request."""
    return _end(
        actor,
        link,
        to=LinkStatus.UNLINKED,
        allowed=(LinkStatus.LINKED, LinkStatus.WAITING),
        action="official_account.unlink",
    )


def unlink_by_appid(
    *, actor: Actor, official_account: OfficialAccount, appid: str
) -> OfficialAccountLink:
    mp = selectors.miniprogram_by_appid(appid)
    if mp is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    link = selectors.live_link(official_account, mp)
    if link is None:
        # wxampunlink answers a mini program not associated as an unknown one.
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    return unlink(actor=actor, link=link)
