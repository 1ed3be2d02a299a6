"""Reads of the ops desk (only this surface uses them)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from miniport.accounts.models import Registration
from miniport.core.models import AuditEntry


def registrations(
    *, status: str = "", subject_type: str = "", method: str = "", q: str = ""
) -> QuerySet:
    rows = Registration.objects.select_related("account", "subject", "remittance").order_by("-id")
    if status:
        rows = rows.filter(status=status)
    if subject_type:
        rows = rows.filter(subject__subject_type=subject_type)
    if method:
        rows = rows.filter(subject__verification_method=method)
    q = q.strip()
    if q:
        rows = rows.filter(
            Q(account__email__icontains=q)
            | Q(subject__name__icontains=q)
            | Q(remittance__reference__iexact=q)
        )
    return rows


def registration_detail(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related(
            "account", "subject", "subject__admin_identity", "subject__miniprogram", "remittance"
        )
        .filter(pk=pk)
        .first()
    )


def audit_entries(*, action: str = "", appid: str = "") -> QuerySet:
    rows = AuditEntry.objects.all()
    action = action.strip()
    if action:
        # A prefix ("registration.") narrows to a family of actions; a full name to one.
        # As a range, so the (action, id) index answers it at any size of the log.
        following = action[:-1] + chr(ord(action[-1]) + 1)
        rows = rows.filter(action__gte=action, action__lt=following)
    appid = appid.strip()
    if appid:
        rows = rows.filter(appid=appid)
    return rows


def audit_page(
    rows: QuerySet, *, size: int, before: int | None = None, after: int | None = None
) -> tuple[list[AuditEntry], bool, bool]:
    """One page of `rows`, newest first, by keyset on the id (no COUNT, no OFFSET): the
    page older than `before`, or newer than `after`, or the newest. Returns the entries
    and whether older and newer pages exist."""
    if after is not None:
        newer_first = list(rows.filter(id__gt=after).order_by("id")[: size + 1])
        return list(reversed(newer_first[:size])), True, len(newer_first) > size
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows.order_by("-id")[: size + 1])
    return found[:size], len(found) > size, before is not None


def audit_actions(recent: int) -> list[str]:
    """The actions of the newest `recent` entries (a bounded read, for the filter hints)."""
    newest = AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:recent]
    return sorted(set(newest))
