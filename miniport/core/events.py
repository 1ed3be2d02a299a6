"""The event outbox. `emit` writes a row in the caller's transaction; after commit
the subscribers run in-process, and `deliver_pending` (the worker's sweep) retries
whatever did not get through, with backoff."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from miniport.core import clock
from miniport.core.models import OutboxEvent

log = logging.getLogger(__name__)
Handler = Callable[[OutboxEvent], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)
MAX_BACKOFF_SECONDS = 3600


def subscribe(kind: str, handler: Handler) -> None:
    if handler not in _subscribers[kind]:
        _subscribers[kind].append(handler)


def emit(kind: str, payload: dict[str, Any] | None = None, *, appid: str = "") -> OutboxEvent:
    import json

    clean = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    event = OutboxEvent.objects.create(kind=kind, appid=appid, payload=clean, created_at=clock.now())
    transaction.on_commit(lambda: deliver(event.pk))
    return event


def deliver(event_id: int) -> bool:
    event = OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True).first()
    if event is None:
        return True
    try:
        for handler in list(_subscribers.get(event.kind, ())) + list(_subscribers.get("*", ())):
            handler(event)
    except Exception as exc:  # a failing subscriber must not lose the event
        event.attempts += 1
        delay = min(MAX_BACKOFF_SECONDS, 2 ** min(event.attempts, 12))
        event.next_attempt_at = clock.now() + timedelta(seconds=delay)
        event.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        event.save(update_fields=["attempts", "next_attempt_at", "last_error"])
        log.warning("event %s (%s) delivery failed: %s", event.pk, event.kind, event.last_error)
        return False
    event.attempts += 1
    event.delivered_at = clock.now()
    event.save(update_fields=["attempts", "delivered_at"])
    return True


def deliver_pending(limit: int = 500) -> int:
    """Retry undelivered events whose backoff has passed; returns how many got through."""
    from django.db.models import Q

    due = OutboxEvent.objects.filter(delivered_at__isnull=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=clock.now())
    )
    return sum(1 for pk in due.values_list("pk", flat=True)[:limit] if deliver(pk))
