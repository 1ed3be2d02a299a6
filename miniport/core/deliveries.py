"""Deliveries: events of the outbox carried to their receivers by workers (B-6, VER-5).

A *route* is a handler registered under a name with an event-name pattern (globs,
alternatives joined by "|": ``"code.audit_*|code.released"``). The kernel names no
domain's events: domains and surfaces register their routes from AppConfig.ready().

When the outbox delivers an event (after the change's commit, or in the worker's sweep)
`fan_out` writes one `Delivery` row per matching route and recipient (a route may deliver
to several, e.g. every webhook endpoint of the mini program). That is database work
only: no web request ever makes the outbound call. Workers do, many at a time:

- `miniport worker` runs due deliveries on a thread pool (`deliveries.worker_threads`),
  each under its own lease, so one slow or dead receiver holds one thread and never
  delays the others (no head-of-line blocking);
- with a Celery broker configured (settings.MINIPORT_DELIVERY_DISPATCHER names the
  function that hands delivery ids to it, see `miniport/celery.py`) the same `run` runs
  in Celery workers.

`run(delivery_id)` takes the delivery for one attempt with a conditional UPDATE (the
lease: `next_attempt_at` moved past the attempt's end, attempts counted up), calls the
route's handler, writes the attempt to the delivery log (`DeliveryAttempt`: number, status
code, duration, error, next retry) and either finishes the delivery or schedules the next
attempt with exponential backoff (policy rows `deliveries.*`). After the route's last
attempt the delivery is failed. Delivery is at least once: a worker that dies mid-way
leaves the delivery to be tried again when its lease ends, so handlers tolerate repeats
(receivers get the event id to recognise them).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatchcase

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils.module_loading import import_string

from miniport.core import clock, policy
from miniport.core.models import Delivery, DeliveryAttempt, DeliveryState, OutboxEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """What a handler is given for one attempt."""

    delivery_id: int
    event: OutboxEvent
    recipient: str
    attempt: int  # 1 for the first attempt
    max_attempts: int


@dataclass(frozen=True)
class Sent:
    """A handler's report of a delivered attempt (the receiver's HTTP status, if any)."""

    status_code: int | None = None


class DeliveryFailed(Exception):
    """An attempt that did not get through. `final`: trying again cannot help (the
    receiver is gone), so the delivery fails now instead of after its last attempt."""

    def __init__(self, error: str, *, status_code: int | None = None, final: bool = False):
        super().__init__(error)
        self.error = error
        self.status_code = status_code
        self.final = final


Handler = Callable[[Job], "Sent | None"]
Recipients = Callable[[OutboxEvent], Iterable[str]]


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    handler: Handler
    recipients: Recipients | None = None
    attempts_rule: str = "deliveries.max_attempts"
    # Seconds to wait after the n-th failed attempt, where a route follows a schedule of
    # its own (payment notifications keep WeChat's); None: the exponential backoff.
    backoff: Callable[[int], int] | None = None

    def matches(self, kind: str) -> bool:
        return pattern_matches(self.pattern, kind)


def pattern_matches(pattern: str, kind: str) -> bool:
    """Whether an event kind matches a route pattern (globs joined by "|")."""
    return any(fnmatchcase(kind, part.strip()) for part in pattern.split("|"))


_routes: dict[str, Route] = {}


def register(
    name: str,
    pattern: str,
    handler: Handler,
    *,
    recipients: Recipients | None = None,
    attempts_rule: str = "deliveries.max_attempts",
    backoff: Callable[[int], int] | None = None,
) -> Route:
    """Deliver events whose kind matches `pattern` through `handler`, once per recipient
    `recipients(event)` names (once in all when None). Registering the same route again
    is allowed (ready() may run twice); another route under a taken name is an error."""
    route = Route(name, pattern, handler, recipients, attempts_rule, backoff)
    existing = _routes.get(name)
    if existing is not None and existing != route:
        raise ValueError(f"delivery route {name!r} is registered twice")
    policy.RULES_BY_KEY[attempts_rule]  # an unknown rule is a programming error
    _routes[name] = route
    return route


def unregister(name: str) -> None:
    _routes.pop(name, None)


def routes() -> tuple[Route, ...]:
    return tuple(_routes.values())


def routes_for(kind: str) -> list[Route]:
    return [route for route in _routes.values() if route.matches(kind)]


# -- fan-out ------------------------------------------------------------------------------


def fan_out(event: OutboxEvent) -> list[int]:
    """Write the deliveries of `event` (idempotent: a repeat adds none) and hand the new
    ones to the dispatcher when one is configured; returns the ids still waiting."""
    now = clock.now()
    appid = event.appid or str((event.payload or {}).get("appid", ""))[:32]
    rows: list[Delivery] = []
    for route in routes_for(event.kind):
        recipients = list(route.recipients(event)) if route.recipients else [""]
        attempts = max(1, policy.value(route.attempts_rule))
        rows.extend(
            Delivery(
                event=event,
                route=route.name,
                recipient=str(recipient)[:100],
                appid=appid,
                max_attempts=attempts,
                next_attempt_at=now,
                created_at=now,
            )
            for recipient in dict.fromkeys(recipients)
        )
    if not rows:
        return []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    waiting = list(
        Delivery.objects.filter(event=event, state=DeliveryState.PENDING, attempts=0)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    dispatch(waiting)
    return waiting


def dispatcher() -> Callable[[list[int]], None] | None:
    """The configured hand-over to a task queue (Celery), or None: workers poll."""
    path = getattr(settings, "MINIPORT_DELIVERY_DISPATCHER", "")
    return import_string(path) if path else None


def dispatch(ids: list[int]) -> bool:
    """Hand `ids` to the task queue; False when none is configured (the worker's sweep
    finds them). A queue that does not answer is logged: the sweep still finds them."""
    send = dispatcher()
    if send is None or not ids:
        return False
    try:
        send(ids)
    except Exception as exc:  # the broker is down: deliveries wait for the sweep
        log.warning("deliveries %s not dispatched: %s", ids, exc)
        return False
    return True


# -- one attempt --------------------------------------------------------------------------


def backoff_seconds(failures: int) -> int:
    """Wait after the `failures`-th failed attempt: base, 2×base, 4×base ... capped."""
    base = policy.value("deliveries.retry_base_seconds")
    cap = policy.value("deliveries.retry_max_backoff_seconds")
    return min(cap, base * 2 ** min(max(failures, 1) - 1, 30))


def due_ids(limit: int = 500, exclude: Iterable[int] = ()) -> list[int]:
    query = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=clock.now())
    skip = list(exclude)
    if skip:
        query = query.exclude(pk__in=skip)
    return list(query.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def _claim(delivery_id: int) -> Delivery | None:
    """Take a due delivery for one attempt, or None when it is not due or someone has it."""
    now = clock.now()
    lease = now + timedelta(seconds=policy.value("deliveries.lease_seconds"))
    taken = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease, attempts=F("attempts") + 1)
    if not taken:
        return None
    return Delivery.objects.select_related("event").filter(pk=delivery_id).first()


def run(delivery_id: int) -> bool | None:
    """One attempt at a due delivery: True delivered, False failed (to be retried or for
    good), None when it was not this caller's to attempt."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    route = _routes.get(delivery.route)
    started_at = clock.now()
    began = time.monotonic()
    status_code: int | None = None
    error = ""
    final = False
    if route is None:
        error, final = f"no delivery route {delivery.route!r} is registered", True
    else:
        job = Job(
            delivery_id=delivery.pk,
            event=delivery.event,
            recipient=delivery.recipient,
            attempt=delivery.attempts,
            max_attempts=delivery.max_attempts,
        )
        try:
            sent = route.handler(job)
            status_code = sent.status_code if sent else None
        except DeliveryFailed as failed:
            error, status_code, final = failed.error, failed.status_code, failed.final
        except Exception as exc:  # a handler's bug must not lose the delivery
            error = f"{type(exc).__name__}: {exc}"
            log.exception("delivery %s (%s) raised", delivery.pk, delivery.route)
    duration_ms = int((time.monotonic() - began) * 1000)
    return _record(delivery, started_at, duration_ms, status_code, error[:1000], final)


def _record(
    delivery: Delivery,
    started_at,
    duration_ms: int,
    status_code: int | None,
    error: str,
    final: bool,
) -> bool:
    now = clock.now()
    ok = not error
    if ok:
        state, next_at, finished = DeliveryState.DELIVERED, None, now
    elif final or delivery.attempts >= delivery.max_attempts:
        state, next_at, finished = DeliveryState.FAILED, None, now
    else:
        state = DeliveryState.PENDING
        route = _routes.get(delivery.route)
        wait = route.backoff if route is not None and route.backoff else backoff_seconds
        next_at = now + timedelta(seconds=wait(delivery.attempts))
        finished = None
    try:
        with transaction.atomic():
            DeliveryAttempt.objects.create(
                delivery=delivery,
                number=delivery.attempts,
                started_at=started_at,
                duration_ms=duration_ms,
                status_code=status_code,
                error=error,
                next_retry_at=next_at,
            )
            # Only while the lease is still ours: a later attempt (after a lease that ran
            # out) has counted attempts up and writes its own outcome.
            Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
                state=state,
                next_attempt_at=next_at,
                last_status=status_code,
                last_error=error,
                finished_at=finished,
            )
    except IntegrityError:  # this attempt number was already logged by an earlier run
        log.warning("delivery %s attempt %s logged twice", delivery.pk, delivery.attempts)
    if not ok:
        log.info(
            "delivery %s (%s) attempt %s: %s", delivery.pk, delivery.route, delivery.attempts, error
        )
    return ok


def run_in_thread(delivery_id: int) -> bool | None:
    """`run` for a pool thread: the thread's database connections close when it is done."""
    try:
        return run(delivery_id)
    finally:
        connections.close_all()


# -- the worker's pool --------------------------------------------------------------------


class Pool:
    """Deliveries attempted on threads, each independent of the others: the sweep hands
    every due delivery not already in flight to a free thread (a busy pool queues them)."""

    def __init__(self, threads: int | None = None) -> None:
        self.size = max(1, threads or policy.value("deliveries.worker_threads"))
        self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="miniport-delivery")
        self._in_flight: dict[int, Future] = {}

    def sweep(self, limit: int = 500) -> int:
        """Start every due delivery not in flight; returns how many were started."""
        self._in_flight = {pk: f for pk, f in self._in_flight.items() if not f.done()}
        started = 0
        for pk in due_ids(limit, exclude=self._in_flight):
            self._in_flight[pk] = self._executor.submit(run_in_thread, pk)
            started += 1
        return started

    def in_flight(self) -> int:
        return sum(1 for future in self._in_flight.values() if not future.done())

    def wait(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        for future in list(self._in_flight.values()):
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            # An attempt's outcome is logged by `run`; the wait only waits.
            with contextlib.suppress(Exception):
                future.result(remaining)

    def close(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
