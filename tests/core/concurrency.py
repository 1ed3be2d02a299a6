"""Real threads against the real test database, for the races the kernel must win."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections


def assert_shared_database() -> None:
    """Threads only race if they share one database: PostgreSQL, or SQLite in a file."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        assert not connection.is_in_memory_db(), "concurrency tests need a file SQLite database"
        assert os.path.isfile(name), name
    else:
        assert connection.vendor == "postgresql"


def run_concurrently(count: int, work: Callable[[int], Any], *, timeout: float = 120) -> list[Any]:
    """Start `count` threads that call `work(i)` at the same moment; return each result or
    the exception it raised. Every thread closes its own database connection."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index)
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish in time"
    return outcomes
