"""Celery on Redis: the scale-out path of the background work (DESIGN "Background work",
B-6, VER-5). The tasks are the ones `miniport worker` runs on its thread pool
(`core.deliveries.run`, the outbox sweep); Celery only carries them to more processes
and machines.

Configure a broker and run workers beside the web processes:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A miniport.celery worker -B

With CELERY_BROKER_URL set, settings name `dispatch` below as the deliveries'
dispatcher: a fanned-out event's deliveries are queued at once, and the beat's sweep
(or a `miniport worker` running beside) queues retries when their backoff has passed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miniport.settings")

app = Celery("miniport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "miniport-sweep": {"task": "miniport.worker.sweep", "schedule": 5.0},
    # Runs a pass when `purge.interval_minutes` have passed since the last (core.purge).
    "miniport-purge": {"task": "miniport.worker.purge", "schedule": 60.0},
    # Anchors and verifies the audit chains every `audit.anchor_interval_minutes`.
    "miniport-audit": {"task": "miniport.worker.audit", "schedule": 60.0},
}


@app.task(name="miniport.deliveries.run", ignore_result=True)
def run_delivery(delivery_id: int) -> bool | None:
    """One attempt at one delivery, exactly as the worker's thread pool runs it."""
    from miniport.core import deliveries

    return deliveries.run(delivery_id)


@app.task(name="miniport.worker.sweep", ignore_result=True)
def sweep() -> int:
    """The outbox sweep and the deadlines, then every due delivery queued."""
    from miniport.accounts.services import registrations_fail_overdue
    from miniport.core import deliveries, sweeps
    from miniport.core.events import deliver_pending

    deliver_pending()
    registrations_fail_overdue()
    sweeps.run_all()
    due = deliveries.due_ids()
    dispatch(due)
    return len(due)


@app.task(name="miniport.worker.purge", ignore_result=True)
def purge() -> dict[str, int] | None:
    """Expired codes, tokens, tickets and sessions past their retention deleted, at most
    once per `purge.interval_minutes`."""
    from miniport.core import purge as purging

    return purging.run_due()


@app.task(name="miniport.worker.audit", ignore_result=True)
def audit() -> int | None:
    """Each moved audit chain anchored in a signed checkpoint and every chain verified
    from its latest one, at most once per `audit.anchor_interval_minutes`."""
    from miniport.core import audit as auditing

    done = auditing.run_due()
    return None if done is None else done[0]


def dispatch(ids: list[int]) -> None:
    """settings.MINIPORT_DELIVERY_DISPATCHER when a broker is configured."""
    for pk in ids:
        run_delivery.delay(pk)
