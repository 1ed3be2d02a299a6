"""Atomic quota counting.

`consume` takes uses with one conditional upsert (`take`): the counter row is created
or raised only while `used + n <= limit`, so two writers can never both take the last
place: on PostgreSQL the conflicting row is locked and the condition re-checked, on
SQLite the write lock serialises the statements. A refused consume changes nothing,
and a consume inside a transaction that later rolls back is rolled back with it.

High-rate calls (stable_token's 500,000 a day) are counted in leases instead, without a
database write on every call (`take_leased`): each web process takes up to a lease of
uses from the same counter row with one `take`, and then serves that many calls from
memory. Near the limit the leases shrink to a single use, so the last calls are counted
one by one and the quota never lets a call through past the limit. What a process leaves
unused when it stops stays counted: such a quota can run out up to (processes x lease)
calls early, never late. `used` and `remaining` read the shared counter either way.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F

from miniport.core import clock, hotpath, policy
from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.core.models import QuotaCounter

WINDOWS = ("minute", "day", "month", "year", "ever")


# window name and time zone -> (start, end, key) of the window last asked for: the hot
# API paths count calls per day, and formatting the local date costs more than the
# rest of counting one call from a lease.
_spans: dict[tuple[str, str], tuple[datetime, datetime, str]] = {}


def window_key(window: str) -> str:
    now = clock.now()
    memo_key = (window, settings.TIME_ZONE)
    span = _spans.get(memo_key)
    if span is not None and span[0] <= now < span[1]:
        return span[2]
    start, end, key = _span(window, clock.local_now())
    _spans[memo_key] = (start, end, key)
    return key


def _span(window: str, local: datetime) -> tuple[datetime, datetime, str]:
    """The window containing the local time `local`: its start, its end and its key."""
    zone = local.tzinfo
    if window == "minute":
        start = local.replace(second=0, microsecond=0)
        return start, start + timedelta(minutes=1), local.strftime("%Y%m%d%H%M")
    if window == "day":
        day = local.date()
        start = datetime.combine(day, time(), zone)
        end = datetime.combine(day + timedelta(days=1), time(), zone)
        return start, end, local.strftime("%Y%m%d")
    if window == "month":
        start = datetime(local.year, local.month, 1, tzinfo=zone)
        following = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        return start, datetime(*following, 1, tzinfo=zone), local.strftime("%Y%m")
    if window == "year":
        start = datetime(local.year, 1, 1, tzinfo=zone)
        return start, datetime(local.year + 1, 1, 1, tzinfo=zone), local.strftime("%Y")
    if window == "ever":
        return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), "ever"
    raise ValueError(f"unknown quota window {window!r}")


_TABLE = QuotaCounter._meta.db_table
# Table name from _meta, never input; every value is a %s parameter.
_TAKE_SQL = (
    f'INSERT INTO {_TABLE} (scope, rule, "window", used, updated_at) '  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s) "
    f'ON CONFLICT (scope, rule, "window") DO UPDATE SET used = {_TABLE}.used + %s, '
    f"updated_at = excluded.updated_at WHERE {_TABLE}.used + %s <= %s "
    "RETURNING used"
)


def take(scope: str, rule: str, key: str, *, limit: int, amount: int) -> int | None:
    """Add `amount` to the counter of window `key` if it stays within `limit`, in one
    statement; return the count after, or None (and change nothing) when it would not fit."""
    if amount > limit:
        return None
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_SQL, [scope, rule, key, amount, now, amount, amount, limit])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def used(scope: str, rule: str, window: str) -> int:
    row = QuotaCounter.objects.filter(scope=scope, rule=rule, window=window_key(window)).first()
    return row.used if row else 0


def remaining(scope: str, rule: str, window: str, *, limit: int | None = None) -> int:
    limit = policy.value(rule) if limit is None else limit
    return max(0, limit - used(scope, rule, window))


def consume(
    scope: str,
    rule: str,
    *,
    window: str,
    error: ErrorCode = CoreError.QUOTA_EXCEEDED,
    limit: int | None = None,
    amount: int = 1,
    field: str | None = None,
) -> int:
    """Take `amount` uses of `rule` for `scope`; return what is left, or raise `error`."""
    if amount < 1:
        raise ValueError("a quota is consumed by at least one use")
    limit = policy.value(rule) if limit is None else limit
    after = take(scope, rule, window_key(window), limit=limit, amount=amount)
    if after is None:
        raise PlatformError(error, field=field, limit=limit, rule=rule)
    return max(0, limit - after)


def release(scope: str, rule: str, *, window: str, amount: int = 1) -> None:
    """Give back uses, e.g. when a registration that took a place fails."""
    if amount < 1:
        raise ValueError("a quota is released by at least one use")
    QuotaCounter.objects.filter(
        scope=scope, rule=rule, window=window_key(window), used__gte=amount
    ).update(used=F("used") - amount)


# --- leases of high-rate quotas, held by this process ---------------------------------------

_lease_lock = threading.Lock()
# (scope, rule, window, window key) -> uses this process holds and has not served yet
_leased: dict[tuple[str, str, str, str], int] = {}
# (scope, rule, window, window key) -> what the shared counter had left after our last lease
_left: dict[tuple[str, str, str, str], int] = {}


def _take_lease(scope: str, rule: str, key: str, limit: int, amount: int) -> int | None:
    """`take`, queued behind this process's other hot-path writers on SQLite (see
    hotpath.serialized_write)."""
    with hotpath.serialized_write():
        return take(scope, rule, key, limit=limit, amount=amount)


def take_leased(scope: str, rule: str, *, window: str, error: ErrorCode, lease_rule: str) -> None:
    """Count one call of `rule` for `scope` from this process's lease, taking a new lease
    of up to policy `lease_rule` uses when it is spent; raise `error` when the quota is
    used up. Call it outside a transaction: a lease taken in one that rolls back would
    still be served from memory."""
    key = (scope, rule, window, window_key(window))
    with _lease_lock:
        if _leased.get(key, 0) > 0:
            _leased[key] -= 1
            return
    limit = policy.value(rule)
    lease = policy.value(lease_rule)
    known_left = _left.get(key)
    # Lease only while plenty is left; near the limit (or not knowing) count one by one.
    amount = lease if known_left is not None and known_left > 10 * lease else 1
    used = _take_lease(scope, rule, key[3], limit, amount)
    if used is None and amount > 1:
        amount = 1
        used = _take_lease(scope, rule, key[3], limit, amount)
    if used is None:
        raise PlatformError(error, limit=limit, rule=rule)
    with _lease_lock:
        _forget_past_windows()
        _left[key] = limit - used
        _leased[key] = _leased.get(key, 0) + amount - 1


def _forget_past_windows() -> None:
    for table in (_leased, _left):
        for stale in [k for k in table if k[3] != window_key(k[2])]:
            del table[stale]


def forget_leases() -> None:
    """Drop this process's leases (tests, after the database was rolled back)."""
    with _lease_lock:
        _leased.clear()
        _left.clear()
