"""Periodic work of the domains, run by the worker on every sweep.

Correctness never waits for a sweep (deadlines are computed when read, DESIGN "Clock"):
a sweep writes down what time has already decided (a refund whose settlement time has
come, a reminder due before a certification runs out) and starts what that entails
(notifications, mails). Domains register their sweeps from AppConfig.ready(); the kernel
names none. A sweep must be idempotent: two workers may run it at once."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

# name -> function returning how many rows it handled.
SWEEPS: dict[str, Callable[[], int]] = {}


def register(name: str, run: Callable[[], int]) -> None:
    """Add a periodic sweep; a name registered twice with another function is a bug."""
    existing = SWEEPS.get(name)
    if existing is not None and existing is not run:
        raise ValueError(f"sweep {name!r} is registered twice")
    SWEEPS[name] = run


def run_all() -> dict[str, int]:
    """Run every sweep once; one that fails is logged and does not stop the others."""
    done: dict[str, int] = {}
    for name, run in list(SWEEPS.items()):
        try:
            done[name] = run()
        except Exception:  # the next sweep tries again
            log.exception("sweep %s failed", name)
    return done
