"""Atomic quota counting.

`consume` adds to a counter row with a conditional UPDATE (`used <= limit - n`),
so two writers can never both take the last place: on PostgreSQL the row lock
serialises the updates, on SQLite the IMMEDIATE transactions do. A refused
consume changes nothing, and a consume inside a transaction that later rolls
back is rolled back with it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from miniport.core import clock, policy
from miniport.core.errors import ErrorCode, PlatformError
from miniport.core.models import QuotaCounter

WINDOWS = ("minute", "day", "month", "year", "ever")


def window_key(window: str) -> str:
    now = clock.local_now()
    if window == "minute":
        return now.strftime("%Y%m%d%H%M")
    if window == "day":
        return now.strftime("%Y%m%d")
    if window == "month":
        return now.strftime("%Y%m")
    if window == "year":
        return now.strftime("%Y")
    if window == "ever":
        return "ever"
    raise ValueError(f"unknown quota window {window!r}")


def _counter(scope: str, rule: str, window: str) -> QuotaCounter:
    key = window_key(window)
    try:
        with transaction.atomic():
            counter, _ = QuotaCounter.objects.get_or_create(scope=scope, rule=rule, window=key)
    except IntegrityError:
        counter = QuotaCounter.objects.get(scope=scope, rule=rule, window=key)
    return counter


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
    error: ErrorCode = ErrorCode.QUOTA_EXCEEDED,
    limit: int | None = None,
    amount: int = 1,
    field: str | None = None,
) -> int:
    """Take `amount` uses of `rule` for `scope`; return what is left, or raise `error`."""
    if amount < 1:
        raise ValueError("a quota is consumed by at least one use")
    limit = policy.value(rule) if limit is None else limit
    with transaction.atomic():
        counter = _counter(scope, rule, window)
        taken = QuotaCounter.objects.filter(pk=counter.pk, used__lte=limit - amount).update(
            used=F("used") + amount
        )
        if not taken:
            raise PlatformError(error, field=field, limit=limit, rule=rule)
        counter.refresh_from_db(fields=["used"])
        return max(0, limit - counter.used)


def release(scope: str, rule: str, *, window: str, amount: int = 1) -> None:
    """Give back uses, e.g. when a registration that took a place fails."""
    if amount < 1:
        raise ValueError("a quota is released by at least one use")
    QuotaCounter.objects.filter(
        scope=scope, rule=rule, window=window_key(window), used__gte=amount
    ).update(used=F("used") - amount)
