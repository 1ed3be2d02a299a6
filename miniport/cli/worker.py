"""`miniport worker`: the background work (DESIGN "Background work", B-6, VER-5).

Each loop: the outbox sweep (events whose after-commit delivery did not get through are
fanned out again), overdue registrations failed, the purge of expired codes, tokens,
tickets and sessions when `purge.interval_minutes` have passed (`core.purge`), the audit
chains anchored and verified every `audit.anchor_interval_minutes` (`core.audit`), and every
due delivery started. With no
task queue configured the deliveries run here, on a thread pool (`--threads`, default the
policy row `deliveries.worker_threads`), each under its own lease: a slow or dead receiver
holds one thread until its time limit and the others go on. With a Celery broker
configured (settings.MINIPORT_DELIVERY_DISPATCHER) the due deliveries are handed to the
Celery workers instead, which run the same `core.deliveries.run`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import Any

from miniport.cli.base import describe, positive, seconds


def register(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver events and apply deadlines in a loop")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit")
    worker.add_argument(
        "--interval", type=seconds, default=5.0, help="seconds between sweeps (default: 5)"
    )
    worker.add_argument(
        "--poll",
        type=seconds,
        default=1.0,
        help="seconds between looks for due deliveries (default: 1)",
    )
    worker.add_argument(
        "--threads",
        type=positive,
        default=None,
        help="deliveries attempted at the same time (default: the policy row)",
    )
    worker.set_defaults(handler=cmd_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    from django.db import close_old_connections

    from miniport.core import deliveries

    stopping = {"now": False}

    def stop(_signum, _frame):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    queue = deliveries.dispatcher() is not None
    pool = None if queue else deliveries.Pool(args.threads)
    handed: dict[int, float] = {}  # delivery id -> when it was handed to the queue
    if args.once:
        delivered, failed = sweep()
        started = start_deliveries(pool, handed)
        if pool is not None:
            pool.wait()
            pool.close()
        print(
            f"delivered {delivered} events, failed {failed} overdue registrations, "
            f"attempted {started} deliveries"
        )
        return 0
    where = "the task queue" if queue else f"{pool.size if pool else 0} threads"
    print(
        f"miniport worker: sweeping every {args.interval:g}s, deliveries on {where} "
        "(Ctrl+C to stop)",
        flush=True,
    )
    next_sweep = 0.0
    try:
        while not stopping["now"]:
            close_old_connections()
            try:
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + args.interval
                    delivered, failed = sweep()
                    if delivered or failed:
                        print(
                            f"delivered {delivered} events, failed {failed} overdue registrations",
                            flush=True,
                        )
                start_deliveries(pool, handed)
            except Exception as exc:  # one bad sweep must not end the worker; the next retries
                sys.stderr.write(f"miniport worker: sweep failed: {describe(exc)}\n")
            deadline = time.monotonic() + args.poll
            while not stopping["now"] and time.monotonic() < deadline:
                time.sleep(min(0.1, args.poll))
    except KeyboardInterrupt:
        pass
    finally:
        if pool is not None:
            pool.close(wait=False)
    return 0


def sweep() -> tuple[int, int]:
    """One pass of the outbox and the deadlines: retry undelivered events (fanning them out
    to their deliveries), fail overdue registrations, run the domains' sweeps, purge expired
    rows when due."""
    from miniport.accounts.services import registrations_fail_overdue
    from miniport.core import audit, purge, sweeps
    from miniport.core.events import deliver_pending

    delivered, failed = deliver_pending(), registrations_fail_overdue()
    # The domains' periodic work (core.sweeps): refunds settling, reminders falling due.
    handled = sweeps.run_all()
    if any(handled.values()):
        counts = ", ".join(f"{name} {count}" for name, count in handled.items() if count)
        print(f"swept {counts}", flush=True)
    purged = purge.run_due()
    if purged and any(purged.values()):
        counts = ", ".join(f"{name} {count}" for name, count in purged.items() if count)
        print(f"purged {counts}", flush=True)
    anchored = audit.run_due()
    if anchored is not None and anchored[1] is not None:
        print(f"{anchored[1]}", file=sys.stderr, flush=True)
    return delivered, failed


def start_deliveries(pool: Any, handed: dict[int, float]) -> int:
    """Start the due deliveries: on the pool, or handed to the task queue (each id at most
    once per lease, so a queue that is slow to pick them up is not flooded)."""
    from miniport.core import deliveries, policy

    if pool is not None:
        return pool.sweep()
    now = time.monotonic()
    lease = policy.value("deliveries.lease_seconds")
    for pk in [pk for pk, at in handed.items() if now - at > lease]:
        del handed[pk]
    due = deliveries.due_ids(exclude=handed)
    if due and deliveries.dispatch(due):
        handed.update(dict.fromkeys(due, now))
    return len(due)
