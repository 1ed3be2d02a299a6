"""`miniport worker`: deliver events and apply deadlines in a loop (or once)."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import Any

from miniport.cli.base import describe, seconds


def register(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver events and apply deadlines in a loop")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit")
    worker.add_argument(
        "--interval", type=seconds, default=5.0, help="seconds between sweeps (default: 5)"
    )
    worker.set_defaults(handler=cmd_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    from django.db import close_old_connections

    stopping = {"now": False}

    def stop(_signum, _frame):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    if args.once:
        delivered, failed = sweep()
        print(f"delivered {delivered} events, failed {failed} overdue registrations")
        return 0
    print(f"miniport worker: sweeping every {args.interval:g}s (Ctrl+C to stop)", flush=True)
    while not stopping["now"]:
        close_old_connections()
        try:
            delivered, failed = sweep()
        except Exception as exc:  # one bad sweep must not end the worker; the next one retries
            sys.stderr.write(f"miniport worker: sweep failed: {describe(exc)}\n")
        else:
            if delivered or failed:
                print(
                    f"delivered {delivered} events, failed {failed} overdue registrations",
                    flush=True,
                )
        deadline = time.monotonic() + args.interval
        while not stopping["now"] and time.monotonic() < deadline:
            time.sleep(min(0.2, args.interval))
    return 0


def sweep() -> tuple[int, int]:
    """One pass of the background work: retry undelivered events, fail overdue remittances."""
    from miniport.accounts.services import registrations_fail_overdue
    from miniport.core.events import deliver_pending

    return deliver_pending(), registrations_fail_overdue()
