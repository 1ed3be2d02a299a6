"""Rows kept only as long as a policy row says (issue 9 item 6): expired login codes,
access tokens, QR tickets, sessions, old sign-in failures; and secrets a row keeps no
longer than its own life (the session_key of a login code that expired unredeemed).

Correctness never waits for a purge (every reader checks the stored times); the purge
keeps expired secrets and personal traces from piling up. The kernel holds the registry
and the schedule; each domain registers what it owns, with its retention policy row, from
its AppConfig.ready(). The background worker (`miniport worker`, or the Celery beat)
calls `run_due()` on every sweep, which runs a pass at most every
`purge.interval_minutes`; `miniport purge` runs one pass at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_noop

from miniport.core import clock, policy
from miniport.core.policy import Rule


@dataclass(frozen=True)
class Target:
    name: str
    # The rows past their retention at `now`, as a queryset to delete.
    rows: Callable[[datetime], models.QuerySet]
    # Instead of deleting, set these columns (a secret the row no longer needs); `rows`
    # then selects only the rows that still hold it.
    erase: tuple[tuple[str, object], ...] = ()


TARGETS: dict[str, Target] = {}


def register(
    name: str,
    rows: Callable[[datetime], models.QuerySet],
    *,
    erase: dict[str, object] | None = None,
) -> None:
    """Add a kind of row to purge; a name registered twice is a programming error."""
    target = Target(name, rows, tuple(sorted((erase or {}).items())))
    existing = TARGETS.get(name)
    if existing is not None and existing != target:
        raise ValueError(f"purge target {name!r} is registered twice")
    TARGETS[name] = target


def _erase(queryset: models.QuerySet, values: dict[str, object], batch: int) -> int:
    erased = 0
    model = queryset.model
    while True:
        keys = list(queryset.order_by().values_list("pk", flat=True)[:batch])
        if not keys:
            return erased
        erased += model._default_manager.filter(pk__in=keys).update(**values)


def _delete(queryset: models.QuerySet, batch: int) -> int:
    """Delete in batches of primary keys, so no statement holds a long lock."""
    removed = 0
    model = queryset.model
    while True:
        keys = list(queryset.order_by().values_list("pk", flat=True)[:batch])
        if not keys:
            return removed
        with transaction.atomic():
            _, per_model = model._default_manager.filter(pk__in=keys).delete()
        removed += per_model.get(model._meta.label, 0)


def run_once(now: datetime | None = None, *, batch: int = 500) -> dict[str, int]:
    """One pass: every registered kind of row past its retention deleted. Returns the
    number of rows deleted per kind."""
    now = now or clock.now()
    return {
        name: _erase(target.rows(now), dict(target.erase), batch)
        if target.erase
        else _delete(target.rows(now), batch)
        for name, target in TARGETS.items()
    }


_DUE_KEY = "miniport:purge:next"


def run_due(now: datetime | None = None) -> dict[str, int] | None:
    """A pass when the last one is `purge.interval_minutes` old, else None. Processes
    sharing the cache share the schedule; two passes at once are harmless."""
    interval = policy.value("purge.interval_minutes") * 60
    if not cache.add(_DUE_KEY, 1, timeout=interval):
        return None
    return run_once(now)


def reset_schedule() -> None:
    """Forget when the last pass ran (the next `run_due` runs one)."""
    cache.delete(_DUE_KEY)


def _expired_sessions(now: datetime) -> models.QuerySet:
    from datetime import timedelta

    from django.contrib.sessions.models import Session

    hours = policy.value("purge.sessions_after_hours")
    return Session.objects.filter(expire_date__lt=now - timedelta(hours=hours))


policy.register(
    Rule(
        "purge.interval_minutes",
        10,
        gettext_noop("minutes"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("Time between two purges of expired codes, tokens, tickets and sessions"),
        minimum=1,
    ),
    Rule(
        "purge.sessions_after_hours",
        1,
        gettext_noop("hours"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("How long an expired browser session is kept before it is deleted"),
    ),
)
register("sessions", _expired_sessions)
