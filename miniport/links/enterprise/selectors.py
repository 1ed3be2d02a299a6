"""Reads of enterprises used by the consoles, the workbench and the launch (WW-1..WW-5)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from miniport.core import clock, policy
from miniport.identities.models import Identity
from miniport.links.enterprise.models import (
    Association,
    AssociationStatus,
    Department,
    Enterprise,
    Member,
    RangeEntry,
)
from miniport.miniprograms.models import MiniProgram
from miniport.releases import selectors as release_selectors

S = AssociationStatus
WAITING = (S.WAITING_MINIPROGRAM, S.WAITING_ENTERPRISE)
_CORP_ID = re.compile(r"^ww[0-9a-f]{16}\Z")


def is_corp_id(value: object) -> bool:
    return isinstance(value, str) and _CORP_ID.match(value) is not None


def by_corp_id(corp_id: object) -> Enterprise | None:
    corp_id = corp_id.strip() if isinstance(corp_id, str) else corp_id
    return Enterprise.objects.filter(corp_id=corp_id).first() if is_corp_id(corp_id) else None


def administered(identity: Identity) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(administrators=identity).order_by("name", "id")


def administered_by(identity: Identity, corp_id: object) -> Enterprise | None:
    """The enterprise this identity administers (the enterprise console's permission
    check); None for any other, so the console answers 404."""
    if not is_corp_id(corp_id):
        return None
    return administered(identity).filter(corp_id=corp_id).first()


def is_released(miniprogram: MiniProgram) -> bool:
    """WW-1: the enterprise edition runs only mini programs with an online version."""
    return release_selectors.online_version(miniprogram) is not None


def request_window() -> timedelta:
    return timedelta(days=policy.value("enterprise.request_days"))


def effective_status(association: Association, now=None) -> str:
    """A waiting association older than `enterprise.request_days` reads as ended
    (expired); it is closed in the database when a new request of the pair replaces it."""
    if association.status in WAITING:
        now = now or clock.now()
        if now >= association.requested_at + request_window():
            return S.ENDED
    return association.status


def is_expired(association: Association, now=None) -> bool:
    return association.status in WAITING and effective_status(association, now) == S.ENDED


def department_tree(enterprise: Enterprise) -> list[Department]:
    """Depth-first: each department right after its parent."""
    rows = list(Department.objects.filter(enterprise=enterprise))
    children: dict[int | None, list[Department]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Department] = []

    def walk(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda d: (d.name, d.pk)):
            ordered.append(row)
            walk(row.pk)

    walk(None)
    return ordered


def members(enterprise: Enterprise) -> QuerySet[Member]:
    return (
        Member.objects.filter(enterprise=enterprise)
        .select_related("identity")
        .prefetch_related("departments")
        .order_by("id")
    )


def member_of(enterprise: Enterprise, identity: Identity) -> Member | None:
    return Member.objects.filter(enterprise=enterprise, identity=identity).first()


def associations_of_enterprise(enterprise: Enterprise) -> list[Association]:
    """The live associations and the recently ended ones, newest first."""
    return list(
        Association.objects.filter(enterprise=enterprise)
        .select_related("miniprogram")
        .order_by("-id")
    )


def associations_of_miniprogram(miniprogram: MiniProgram) -> list[Association]:
    """WW-5: every enterprise association of the mini program, live or ended."""
    return list(
        Association.objects.filter(miniprogram=miniprogram)
        .select_related("enterprise")
        .order_by("-id")
    )


def _association(pk: object, **owner: object) -> Association | None:
    """The association numbered `pk` (a typed value: anything else is not found) of the
    owner named, so a page never reaches another enterprise's or mini program's row."""
    try:
        number = int(str(pk))
    except (TypeError, ValueError):
        return None
    return (
        Association.objects.select_related("miniprogram", "enterprise")
        .filter(pk=number, **owner)
        .first()
    )


def association_of_enterprise(enterprise: Enterprise, pk: object) -> Association | None:
    return _association(pk, enterprise=enterprise)


def association_of_miniprogram(miniprogram: MiniProgram, pk: object) -> Association | None:
    return _association(pk, miniprogram=miniprogram)


def active_association(enterprise: Enterprise, miniprogram: MiniProgram) -> Association | None:
    return Association.objects.filter(
        enterprise=enterprise, miniprogram=miniprogram, status=S.ACTIVE
    ).first()


def range_of(association: Association) -> tuple[set[int], set[int]]:
    """(department pks, member pks) of the visibility range."""
    rows = RangeEntry.objects.filter(association=association).values_list("department", "member")
    return {d for d, _m in rows if d}, {m for _d, m in rows if m}


def _range_filter(member: Member) -> Q:
    """Range entries that include `member`: itself, or one of its departments or any
    department above one of them (a department's range covers its subdepartments)."""
    ancestors: set[int] = set()
    for path in member.departments.values_list("path", flat=True):
        ancestors.update(int(part) for part in path.strip("/").split("/") if part)
    return Q(member=member) | Q(department__in=ancestors)


def in_range(association: Association, member: Member) -> bool:
    """WW-4: the member sees the mini program."""
    return RangeEntry.objects.filter(_range_filter(member), association=association).exists()


@dataclass(frozen=True)
class WorkbenchEntry:
    enterprise: Enterprise
    miniprograms: list[MiniProgram]


def workbench(identity: Identity) -> list[WorkbenchEntry]:
    """Per enterprise the identity belongs to, the released mini programs of active
    associations whose range includes it (WW-1, WW-4)."""
    entries = []
    for member in Member.objects.filter(identity=identity).select_related("enterprise"):
        shown = (
            RangeEntry.objects.filter(
                _range_filter(member),
                association__enterprise=member.enterprise,
                association__status=S.ACTIVE,
            )
            .values_list("association__miniprogram", flat=True)
            .distinct()
        )
        found = MiniProgram.objects.filter(pk__in=list(shown)).order_by("name", "pk")
        entries.append(
            WorkbenchEntry(
                enterprise=member.enterprise,
                miniprograms=[mp for mp in found if is_released(mp)],
            )
        )
    return sorted(entries, key=lambda entry: (entry.enterprise.name, entry.enterprise.pk))
