"""Reading official accounts and their associations (OA-1..OA-3).

A waiting request older than `official_account.request_hours` counts as expired when
read (and no longer takes an OA-2 place); the row is closed when a new request of the
same pair replaces it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from miniport.core import clock, policy
from miniport.identities.models import Identity
from miniport.links.official_accounts.models import (
    LinkStatus,
    OfficialAccount,
    OfficialAccountLink,
)
from miniport.miniprograms.models import MiniProgram

_MAX_ID = 32


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_ID or "\x00" in value:
        return None
    return value


def official_account_by_appid(appid: object) -> OfficialAccount | None:
    appid = _clean(appid)
    return None if appid is None else OfficialAccount.objects.filter(appid=appid).first()


def miniprogram_by_appid(appid: object) -> MiniProgram | None:
    appid = _clean(appid)
    return None if appid is None else MiniProgram.objects.filter(appid=appid).first()


def managed_official_account(identity: Identity, appid: object) -> OfficialAccount | None:
    """The official account `identity` administers, or None (the console answers 404)."""
    oa = official_account_by_appid(appid)
    if oa is None or oa.admin_identity_id != identity.pk:
        return None
    return oa


def official_accounts_of(identity: Identity) -> QuerySet[OfficialAccount]:
    return OfficialAccount.objects.filter(admin_identity=identity)


def request_cutoff(now: datetime | None = None) -> datetime:
    hours = policy.value("official_account.request_hours")
    return (now or clock.now()) - timedelta(hours=hours)


def live_q(now: datetime | None = None) -> Q:
    """Rows that take an OA-2 place: associations, and requests still waiting."""
    return Q(status=LinkStatus.LINKED) | Q(
        status=LinkStatus.WAITING, requested_at__gt=request_cutoff(now)
    )


def effective_status(link: OfficialAccountLink, now: datetime | None = None) -> int:
    if link.status == LinkStatus.WAITING and link.requested_at <= request_cutoff(now):
        return LinkStatus.EXPIRED
    return link.status


def linked_appids(oa: OfficialAccount) -> set[str]:
    return set(
        OfficialAccountLink.objects.filter(
            official_account=oa, status=LinkStatus.LINKED
        ).values_list("miniprogram__appid", flat=True)
    )


def is_linked(oa_appid: str, miniprogram: MiniProgram) -> bool:
    return OfficialAccountLink.objects.filter(
        official_account__appid=oa_appid, miniprogram=miniprogram, status=LinkStatus.LINKED
    ).exists()


# Listed on both sides and by wxamplinkget: associations, waiting and refused requests.
LISTED = (LinkStatus.LINKED, LinkStatus.WAITING, LinkStatus.REFUSED)


def _listed(rows: QuerySet[OfficialAccountLink]) -> list[OfficialAccountLink]:
    now = clock.now()
    seen: set[tuple[int, int]] = set()
    listed = []
    for link in rows.filter(status__in=LISTED).select_related(
        "official_account", "miniprogram", "miniprogram__subject", "miniprogram__account"
    ):
        pair = (link.official_account_id, link.miniprogram_id)
        if pair in seen:
            continue  # only the newest row of a pair
        seen.add(pair)
        link.effective = effective_status(link, now)  # type: ignore[attr-defined]
        if link.effective != LinkStatus.EXPIRED:  # type: ignore[attr-defined]
            listed.append(link)
    return listed


def links_of_official_account(oa: OfficialAccount) -> list[OfficialAccountLink]:
    return _listed(OfficialAccountLink.objects.filter(official_account=oa))


def links_of_miniprogram(miniprogram: MiniProgram) -> list[OfficialAccountLink]:
    return _listed(OfficialAccountLink.objects.filter(miniprogram=miniprogram))


# How an ended row ended, as the official-account console's history names it.
ENDED_UNLINKED, ENDED_WITHDRAWN, ENDED_REFUSED, ENDED_EXPIRED = (
    "unlinked",
    "withdrawn",
    "refused",
    "expired",
)


def ended_links_of_official_account(
    oa: OfficialAccount, limit: int = 100
) -> list[OfficialAccountLink]:
    """The history: every ended association or request, newest first, each with `ended`
    (how it ended) and `ended_on` (when). An unlinked row that was never confirmed was a
    withdrawn request; a request left waiting ended when its confirmation time ran out."""
    now = clock.now()
    cutoff = request_cutoff(now)
    hours = timedelta(hours=policy.value("official_account.request_hours"))
    rows = (
        OfficialAccountLink.objects.filter(official_account=oa)
        .filter(
            Q(status__in=(LinkStatus.UNLINKED, LinkStatus.REFUSED, LinkStatus.EXPIRED))
            | Q(status=LinkStatus.WAITING, requested_at__lte=cutoff)
        )
        .select_related("miniprogram")[:limit]
    )
    ended = []
    for row in rows:
        if row.status == LinkStatus.UNLINKED:
            kind = ENDED_UNLINKED if row.decided_at else ENDED_WITHDRAWN
            when = row.ended_at
        elif row.status == LinkStatus.REFUSED:
            kind, when = ENDED_REFUSED, row.ended_at or row.decided_at
        else:
            kind, when = ENDED_EXPIRED, row.requested_at + hours
        row.ended, row.ended_on = kind, when  # type: ignore[attr-defined]
        ended.append(row)
    return ended


def live_link(oa: OfficialAccount, miniprogram: MiniProgram) -> OfficialAccountLink | None:
    return (
        OfficialAccountLink.objects.filter(official_account=oa, miniprogram=miniprogram)
        .filter(live_q())
        .first()
    )


def link_of_miniprogram(miniprogram: MiniProgram, pk: object) -> OfficialAccountLink | None:
    try:
        number = int(str(pk))
    except ValueError:
        return None
    if not 0 < number < 2**31:
        return None
    return (
        OfficialAccountLink.objects.select_related("official_account")
        .filter(miniprogram=miniprogram, pk=number)
        .first()
    )


def stale_menu_buttons(oa: OfficialAccount) -> dict[int, dict[str, str]]:
    """The stored menu's mini program buttons whose mini program is no longer associated,
    by position: the runtime serves their fallback web page instead (`menu.served_menu`),
    so the console says so rather than letting the button look as it was."""
    buttons = oa.menu if isinstance(oa.menu, list) else []
    linked = linked_appids(oa)
    stale = {
        index: button
        for index, button in enumerate(buttons)
        if isinstance(button, dict)
        and button.get("type") == "miniprogram"
        and button.get("appid") not in linked
    }
    names = dict(
        MiniProgram.objects.filter(
            appid__in=[str(b.get("appid", "")) for b in stale.values()]
        ).values_list("appid", "name")
    )
    return {
        index: {
            "name": str(button.get("name", "")),
            "appid": str(button.get("appid", "")),
            "miniprogram": names.get(str(button.get("appid", ""))) or "",
            "url": str(button.get("url", "")),
        }
        for index, button in stale.items()
    }
