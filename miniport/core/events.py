"""The event outbox. `emit` writes a row in the caller's transaction; after commit
the event is fanned out to its delivery routes (`core.deliveries`: rows only, the
outbound calls are the workers') and the subscribers run in-process, and
`deliver_pending` (the worker's sweep) retries whatever did not get through, with
exponential backoff. Subscribers are for in-process reactions that make no outbound
call; anything that leaves the process is a delivery route (B-6, VER-5).

Delivery is at least once: a deliverer first claims the event for a lease (a
conditional UPDATE), so the after-commit delivery and a concurrent sweep do not both
run the subscribers; a deliverer that dies mid-way leaves the event to be retried once
its lease ends. When one subscriber fails, all of them run again on the next attempt,
so subscribers must tolerate repeats."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from miniport.core import clock, deliveries, policy
from miniport.core.models import OutboxEvent

log = logging.getLogger(__name__)
Handler = Callable[[OutboxEvent], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)
ALL_KINDS = "*"


def subscribe(kind: str, handler: Handler) -> None:
    """Run `handler` for every delivered event of `kind` ("*" for every kind)."""
    if handler not in _subscribers[kind]:
        _subscribers[kind].append(handler)


def unsubscribe(kind: str, handler: Handler) -> None:
    if handler in _subscribers.get(kind, ()):
        _subscribers[kind].remove(handler)


def emit(kind: str, payload: dict[str, Any] | None = None, *, appid: str = "") -> OutboxEvent:
    clean = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    event = OutboxEvent.objects.create(
        kind=kind, appid=appid, payload=clean, created_at=clock.now()
    )
    # robust: the change is committed by then; a delivery problem is logged and left to the
    # sweep, never raised into the request that made the change.
    transaction.on_commit(partial(deliver, event.pk), robust=True)
    return event


def _due() -> Q:
    return Q(delivered_at__isnull=True) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=clock.now())
    )


def _claim(event_id: int) -> OutboxEvent | None:
    """Take the event for one delivery attempt, or None when it is not due or someone has it."""
    lease = clock.now() + timedelta(seconds=policy.value("events.delivery_lease_seconds"))
    claimed = OutboxEvent.objects.filter(_due(), pk=event_id).update(next_attempt_at=lease)
    return OutboxEvent.objects.filter(pk=event_id).first() if claimed else None


def backoff_seconds(attempts: int) -> int:
    """Wait after the `attempts`-th failed attempt: 2, 4, 8, ... seconds, capped."""
    return min(policy.value("events.retry_max_backoff_seconds"), 2 ** min(attempts, 20))


def deliver(event_id: int) -> bool:
    """One delivery attempt of a due event; True when this call delivered it."""
    event = _claim(event_id)
    if event is None:
        return False
    handlers = list(_subscribers.get(event.kind, ())) + list(_subscribers.get(ALL_KINDS, ()))
    try:
        deliveries.fan_out(event)
        for handler in handlers:
            handler(event)
    except Exception as exc:  # a failing subscriber must not lose the event
        attempts = event.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:1000]
        OutboxEvent.objects.filter(pk=event.pk).update(
            attempts=attempts,
            next_attempt_at=clock.now() + timedelta(seconds=backoff_seconds(attempts)),
            last_error=error,
        )
        log.warning("event %s (%s) delivery failed: %s", event.pk, event.kind, error)
        return False
    OutboxEvent.objects.filter(pk=event.pk).update(
        attempts=event.attempts + 1, delivered_at=clock.now(), next_attempt_at=None
    )
    return True


def deliver_pending(limit: int = 500) -> int:
    """Retry undelivered events whose backoff has passed; returns how many got through."""
    due = OutboxEvent.objects.filter(_due()).order_by("id").values_list("pk", flat=True)[:limit]
    return sum(1 for pk in list(due) if deliver(pk))
