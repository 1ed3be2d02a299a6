"""Reads of the ops desk (only this surface uses them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
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


def audit_entries(*, action: str = "", appid: str = "") -> AuditRows:
    """The audit rows the filters select: a full action name (`member.confirm_add`) or a
    prefix naming a family (`registration.`), and an AppID."""
    return AuditRows(action=action.strip(), appid=appid.strip())


@dataclass(frozen=True)
class AuditRows:
    """What `audit_entries` selected, read a page at a time by `audit_page`.

    An action filter is answered per action, by equality, so the (action, id) index gives
    each action's newest rows in order at any size of the log. (As a range over a family,
    `action >= X AND action < Y ORDER BY id DESC`, the index is not in id order and the
    database sorts every matching row: 66k at a million, 200 ms.)"""

    action: str = ""
    appid: str = ""

    def base(self) -> QuerySet:
        rows = AuditEntry.objects.all()
        if self.appid:
            rows = rows.filter(appid=self.appid)
        return rows

    def actions(self) -> list[str] | None:
        """The distinct actions starting with the filter (None when there is no action
        filter), in one statement that steps through the action index from one name to
        the next (a skip scan): as many index seeks as there are actions in the family,
        which the code bounds, not the log. None as well past MAX_FAMILY names, where the
        page falls back to the range."""
        if not self.action:
            return None
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        following = _following(self.action)
        sql = (
            "WITH RECURSIVE named(action) AS ("  # noqa: S608 - the table name from _meta
            f" SELECT (SELECT action FROM {table} WHERE action >= %s AND action < %s"
            "  ORDER BY action LIMIT 1)"
            " UNION ALL"
            f" SELECT (SELECT action FROM {table} WHERE action > named.action AND action < %s"
            "  ORDER BY action LIMIT 1)"
            " FROM named WHERE named.action IS NOT NULL"
            f") SELECT action FROM named WHERE action IS NOT NULL LIMIT {MAX_FAMILY + 1}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.action, following, following])
            names = [name for (name,) in cursor.fetchall()]
        return names if len(names) <= MAX_FAMILY else None


# Beyond this many actions under one prefix the union of per-action reads would pass
# SQLite's limit of 500 terms in a compound statement; the platform records far fewer
# actions than this, so it only guards against a future one that records actions by
# the thousand.
MAX_FAMILY = 400


def _following(prefix: str) -> str:
    """The first string after every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def audit_page(
    rows: AuditRows, *, size: int, before: int | None = None, after: int | None = None
) -> tuple[list[AuditEntry], bool, bool]:
    """One page of `rows`, newest first, by keyset on the id (no COUNT, no OFFSET): the
    page older than `before`, or newer than `after`, or the newest. Returns the entries
    and whether older and newer pages exist: past a position, one more row (at most) is
    read to know whether anything lies on its other side (a position past the newest
    entry, or before the oldest, has nothing there)."""
    if after is not None:
        newer_first = _read(rows, size + 1, id__gt=after, order="id")
        older = bool(_read(rows, 1, id__lte=after, order="-id"))
        return list(reversed(newer_first[:size])), older, len(newer_first) > size
    bound = {"id__lt": before} if before is not None else {}
    found = _read(rows, size + 1, order="-id", **bound)
    newer = before is not None and bool(_read(rows, 1, id__gte=before, order="id"))
    return found[:size], len(found) > size, newer


def _read(rows: AuditRows, limit: int, *, order: str, **bound) -> list[AuditEntry]:
    """The first `limit` rows in `order` (by the id, either way) past `bound`."""
    base = rows.base().filter(**bound)
    # With an AppID the (appid, id) index gives the mini program's rows in order and the
    # action is checked on each; split per action, an action the program never recorded
    # would walk all of its rows to find none.
    names = rows.actions() if not rows.appid else None
    if names is None and rows.action:
        base = base.filter(action__gte=rows.action, action__lt=_following(rows.action))
    if names is None:
        return list(base.order_by(order)[:limit])
    if len(names) <= 1:
        return list(base.filter(action__in=names).order_by(order)[:limit])
    # Each action's first `limit` rows by its index, merged in one statement: the page is
    # among them, whatever the size of the log.
    parts: list[str] = []
    params: list[object] = []
    for n, name in enumerate(names):
        sql, part_params = base.filter(action=name).order_by(order)[:limit].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{n}")  # noqa: S608 - Django's SQL
        params.extend(part_params)
    direction = "DESC" if order.startswith("-") else "ASC"
    union = " UNION ALL ".join(parts)
    merged = f"SELECT * FROM ({union}) AS merged ORDER BY id {direction}"  # noqa: S608
    merged += f" LIMIT {int(limit)}"
    return list(AuditEntry.objects.raw(merged, params))


def audit_actions(recent: int) -> list[str]:
    """The actions of the newest `recent` entries (a bounded read, for the filter hints)."""
    newest = AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:recent]
    return sorted(set(newest))
