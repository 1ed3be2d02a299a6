"""Issue 9 item 7: audit chains under real threads, on a file SQLite database and on
PostgreSQL. Concurrent writers of one chain never fork it (every place taken once, each
entry linked to the one before); writers of different chains do not wait for each other
(on PostgreSQL, where writers run in parallel: SQLite serialises every writer anyway)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditChainHead, AuditEntry
from tests.core.concurrency import assert_shared_database, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)

ACTOR = Actor.system("race")


def _chain_rows(chain: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=chain).order_by("seq"))


def _assert_linear(chain: str, count: int) -> None:
    rows = _chain_rows(chain)
    assert [r.seq for r in rows] == list(range(1, count + 1))
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    head = AuditChainHead.objects.get(chain=chain)
    assert (head.seq, head.hash) == (count, rows[-1].hash)


def test_twenty_writers_of_one_chain_never_fork_it(settings):
    assert_shared_database()

    def write(i: int) -> int:
        for n in range(5):
            audit.record(ACTOR, "race.write", appid="wx00000000000000d1", after={"i": i, "n": n})
        return i

    outcomes = run_concurrently(20, write)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    _assert_linear("wx00000000000000d1", 100)
    assert audit.verify_full() is None


def test_writers_of_several_chains_at_once_keep_each_chain_linear():
    assert_shared_database()
    chains = ["", "wx00000000000000d2", "wx00000000000000d3", "wx00000000000000d4"]

    def write(i: int) -> int:
        for n in range(4):
            audit.record(ACTOR, "race.write", appid=chains[i % 4], after={"i": i, "n": n})
        return i

    outcomes = run_concurrently(16, write)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    for chain in chains:
        _assert_linear(chain, 16)
    assert audit.verify_full() is None


def test_a_writer_of_another_chain_does_not_wait_for_an_open_transaction():
    """While one transaction holds the head of app A's chain, a writer of app B finishes
    at once and a writer of app A waits for it (PostgreSQL: the only lock is the head)."""
    assert_shared_database()
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers of the database")
    holding = threading.Event()
    release = threading.Event()
    done: dict[str, float] = {}

    def hold(_i: int) -> None:
        with transaction.atomic():
            audit.record(ACTOR, "race.hold", appid="wx00000000000000a1")
            holding.set()
            release.wait(30)

    def other_app(_i: int) -> None:
        holding.wait(30)
        audit.record(ACTOR, "race.other", appid="wx00000000000000b1")
        audit.record(ACTOR, "race.platform", appid="")
        done["other"] = time.monotonic()

    def same_app(_i: int) -> None:
        holding.wait(30)
        audit.record(ACTOR, "race.same", appid="wx00000000000000a1")
        done["same"] = time.monotonic()

    def watch(_i: int) -> None:
        holding.wait(30)
        deadline = time.monotonic() + 10
        while "other" not in done and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # the same-chain writer had time to finish, were it not blocked
        done["released_at"] = time.monotonic()
        release.set()

    work = [hold, other_app, same_app, watch]
    outcomes = run_concurrently(4, lambda i: work[i](i), timeout=60)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert done["other"] < done["released_at"], "a writer of app B waited for app A's lock"
    assert done["same"] >= done["released_at"], "two writers of app A's chain ran together"
    _assert_linear("wx00000000000000a1", 2)
    _assert_linear("wx00000000000000b1", 1)
