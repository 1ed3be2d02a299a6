"""Driver-level SQL for the few paths where the ORM costs more than the query.

A server API call that every server polls and every user's login makes (the credential
lookups of the domains above) runs a single statement; there, building a queryset costs
several times more than running it (scripts/bench.py and scripts/hotpath_timing.py
measure it). This module is the plumbing such statements share, and knows nothing of
what they read:

- `first_row` and `rowcount` run one statement on the driver's own cursor of Django's
  connection, inside Django's error wrapping. Django's cursor wrapper (thread and
  event-loop checks, placeholder rewriting on SQLite, query logging) costs as much as
  the statement itself here. The connection, its transaction state and its autocommit
  stay Django's, so these statements join an atomic block like any other. SQL is
  written with "%s" placeholders (rewritten once per statement for SQLite's "?"); rows
  come back as dicts keyed by column name (alias every column that could be ambiguous).
- `db_time` passes a datetime the way the ORM does, so comparisons match the ORM's own;
  `aware` reads one back.
- `serialized_write` queues hot-path writers on SQLite, across threads and processes.
- `Remembered` keeps answers while an SQLite database is unchanged (`change_stamp`).

Table and column names in callers' SQL come from their models' `_meta`, never from input;
every value is a parameter.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

Row = dict[str, Any]
V = TypeVar("V")


def db() -> BaseDatabaseWrapper:
    # `django.db.connection` is a proxy that looks the connection up again on every
    # attribute; the hot path takes it once per statement.
    return connections[DEFAULT_DB_ALIAS]


def connected() -> BaseDatabaseWrapper:
    """The connection, opened if it is not yet (its driver object is used directly)."""
    wrapper = db()
    if wrapper.connection is None:
        wrapper.ensure_connection()
    return wrapper


# --- statements -----------------------------------------------------------------------------

# SQL as written -> [the vendor, the SQL as its driver takes it, the column names of its
# rows once known] (one process talks to one kind of database; a key per vendor would
# cost a tuple on every call)
_STATEMENTS: dict[str, list[Any]] = {}


def _statement(wrapper: BaseDatabaseWrapper, sql: str) -> list[Any]:
    known = _STATEMENTS.get(sql)
    if known is None or known[0] != wrapper.vendor:
        driver_sql = sql.replace("%s", "?") if wrapper.vendor == "sqlite" else sql
        known = _STATEMENTS[sql] = [wrapper.vendor, driver_sql, None]
    return known


def first_row(sql: str, params: list | tuple) -> Row | None:
    """The first row of one statement, keyed by column name, or None."""
    wrapper = connected()
    statement = _statement(wrapper, sql)
    with wrapper.wrap_database_errors:
        cursor = wrapper.connection.cursor()
        try:
            cursor.execute(statement[1], params)
            row = cursor.fetchone()
            if row is None:
                return None
            names = statement[2]
            if names is None:
                names = statement[2] = tuple(column[0] for column in cursor.description)
        finally:
            cursor.close()
    return dict(zip(names, row))  # noqa: B905 - one statement, one width


def rowcount(sql: str, params: list | tuple) -> int:
    """Run one statement that changes rows; how many it changed."""
    wrapper = connected()
    statement = _statement(wrapper, sql)
    with wrapper.wrap_database_errors:
        cursor = wrapper.connection.cursor()
        try:
            cursor.execute(statement[1], params)
            return cursor.rowcount
        finally:
            cursor.close()


# --- datetimes --------------------------------------------------------------------------


@cache
def _stores_naive_utc_text() -> bool:
    wrapper = db()
    return wrapper.vendor == "sqlite" and wrapper.timezone_name == "UTC"


def db_time(value: datetime) -> Any:
    """A datetime as the ORM passes it: SQLite keeps naive UTC text (what
    adapt_datetimefield_value makes of an aware datetime on a UTC connection, without its
    checks, which cost more than the query on this path); PostgreSQL takes it as it is."""
    if _stores_naive_utc_text():
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return db().ops.adapt_datetimefield_value(value)


def aware(value: Any) -> datetime:
    """A datetime column as read by the driver, as an aware datetime."""
    if isinstance(value, str):  # SQLite keeps UTC datetimes as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- writers on SQLite --------------------------------------------------------------------

_thread_lock = threading.Lock()
_lock_files: dict[tuple[int, str], int] = {}


def _lock_file() -> int | None:
    """This process's descriptor of the lock file beside the SQLite database."""
    name = str(db().settings_dict["NAME"])
    if fcntl is None or not os.path.isabs(name):  # an in-memory database has one process
        return None
    key = (os.getpid(), name)  # a forked worker opens its own
    if key not in _lock_files:
        _lock_files[key] = os.open(name + ".writers", os.O_RDWR | os.O_CREAT, 0o600)
    return _lock_files[key]


@contextmanager
def serialized_write() -> Iterator[None]:
    """On SQLite, one hot-path writer at a time across threads and processes.

    Writers that collide on SQLite's own write lock wait in its busy handler, which
    sleeps 1, 2, 5, 10 ms and longer between tries; under load that sleep, not the
    write, sets throughput and the tail latency. Queued here (a thread lock, then an
    flock on a file beside the database), the next writer starts the moment the last
    one is done. PostgreSQL needs none of it."""
    if db().vendor != "sqlite":
        yield
        return
    with _thread_lock:
        descriptor = _lock_file()
        if descriptor is None:
            yield
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


# --- answers remembered while the SQLite database is unchanged -----------------------------
#
# A lookup that is polled and gets the same answer until something changes can be kept in
# the process, stamped with SQLite's change counters: `PRAGMA data_version` moves when
# another connection (any thread or process) commits a change to the database file, and
# the connection's `total_changes` when this connection writes anything, committed or
# not. An unchanged stamp means no row of the database can differ from what the lookup
# read. Inside a transaction nothing is stamped: its reads may be rolled back.
# PostgreSQL has no such counter; there nothing is remembered.


def change_stamp() -> tuple | None:
    """The database's change counters now, or None where answers may not be remembered
    (not SQLite, or inside a transaction)."""
    wrapper = connected()
    if wrapper.vendor != "sqlite" or wrapper.in_atomic_block:
        return None
    raw = wrapper.connection
    if raw.in_transaction:
        return None
    with wrapper.wrap_database_errors:
        version = raw.execute("PRAGMA data_version").fetchone()[0]
    # The connection object itself: a reconnected one counts from zero again.
    return (raw, version, raw.total_changes)


class Remembered(Generic[V]):
    """Answers by key, each valid while the database's change stamp is the one it was
    read under; at most `size` keys (all are dropped when it is full)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: dict[Hashable, tuple[tuple, V]] = {}

    def get(self, key: Hashable, stamp: tuple | None) -> V | None:
        if stamp is None:
            return None
        remembered = self._answers.get(key)
        if remembered is not None and remembered[0] == stamp:
            return remembered[1]
        return None

    def put(self, key: Hashable, stamp: tuple | None, value: V) -> None:
        if stamp is None:
            return
        if len(self._answers) >= self.size:
            self._answers.clear()
        self._answers[key] = (stamp, value)

    def clear(self) -> None:
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
