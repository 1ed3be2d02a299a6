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
- `Joined` reads one model's row with the related rows `select_related` would join, in
  one statement, and builds model instances from it exactly as the ORM would (every
  column through the ORM's converters, related instances cached): for hot paths whose
  callers want model instances. Its rows are plain driver values, safe to remember.

Statements are logged like the ORM's own while Django logs queries (DEBUG, or a test's
query count), so a hot-path statement counts as a query there.

Table and column names in callers' SQL come from their models' `_meta`, never from input;
every value is a parameter.
"""

from __future__ import annotations

import inspect
import os
import pickle
import threading
import time
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init

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


def _logged(wrapper: BaseDatabaseWrapper, sql: str, started: float) -> None:
    """Record the statement as Django's debug cursor does (only while it logs)."""
    wrapper.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


# What `_execute` reads once the statement ran.
_COUNT, _VALUES, _NAMED = 0, 1, 2


def _execute(sql: str, params: list | tuple, read: int) -> tuple[Any, list[Any]]:
    """Run one statement and read, as `read` says, the number of rows it changed
    (`_COUNT`) or its first row (`_VALUES`; `_NAMED` also remembers the statement's column
    names on its first row). Returns what was read and the statement."""
    wrapper = connected()
    statement = _statement(wrapper, sql)
    logged = wrapper.queries_logged
    started = time.monotonic() if logged else 0.0
    with wrapper.wrap_database_errors:
        cursor = wrapper.connection.cursor()
        try:
            cursor.execute(statement[1], params)
            if read == _COUNT:
                result = cursor.rowcount
            else:
                result = cursor.fetchone()
                if read == _NAMED and result is not None and statement[2] is None:
                    statement[2] = tuple(column[0] for column in cursor.description)
        finally:
            cursor.close()
    if logged:
        _logged(wrapper, sql, started)
    return result, statement


def first_values(sql: str, params: list | tuple) -> tuple | None:
    """The first row of one statement as the driver gives it (a tuple), or None."""
    return _execute(sql, params, _VALUES)[0]


def first_row(sql: str, params: list | tuple) -> Row | None:
    """The first row of one statement, keyed by column name, or None."""
    row, statement = _execute(sql, params, _NAMED)
    if row is None:
        return None
    return dict(zip(statement[2], row))  # noqa: B905 - one statement, one width


def rowcount(sql: str, params: list | tuple) -> int:
    """Run one statement that changes rows; how many it changed."""
    return _execute(sql, params, _COUNT)[0]


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


# --- model instances from one statement ------------------------------------------------------

# Values a converter may hand to several instances: nothing can change them in place.
_IMMUTABLE = (str, int, float, bool, bytes, type(None), datetime, date, time_of_day, timedelta,
              Decimal, UUID)  # fmt: skip


# Descriptors that only store the value on a new instance (a foreign key's id, a file's
# name); any other descriptor with __set__ may convert it, so Model.__init__ must run.
_STORING = (ForeignKeyDeferredAttribute, FileDescriptor)


def _plain(model: type[models.Model]) -> bool:
    """Whether Model.__init__ would only store the values of `model`'s columns: no own
    __init__ or from_db, no descriptor that converts on assignment."""
    if model.__init__ is not models.Model.__init__:  # type: ignore[misc]
        return False
    if getattr(model.from_db, "__func__", None) is not models.Model.from_db.__func__:  # type: ignore[attr-defined]
        return False
    for field in model._meta.concrete_fields:
        descriptor = inspect.getattr_static(model, field.attname, None)
        if hasattr(descriptor, "__set__") and type(descriptor) not in _STORING:
            return False
    return True


@dataclass(frozen=True)
class _Part:
    """One model of a `Joined` statement: its columns' place in the row and how its
    instance hangs from the instance of another part."""

    model: type[models.Model]
    start: int
    end: int
    pk_index: int  # within the part's columns
    parent: int | None  # the part it hangs from
    link: Any = None  # the parent's forward field pointing here
    attnames: tuple[str, ...] = ()
    plain: bool = False  # `_plain(model)`

    def instance(self, values: list[Any]) -> models.Model:
        """`model.from_db` with every column, as the ORM calls it. For a plain model
        without init signal receivers, what Model.__init__ would leave behind is made
        directly (its state, then each column's value), at a tenth of the cost."""
        model = self.model
        if not self.plain or (
            (pre_init.receivers or post_init.receivers)
            and (pre_init.has_listeners(model) or post_init.has_listeners(model))
        ):
            return model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)
        made = model.__new__(model)
        state = made._state = ModelState()
        state.adding = False
        state.db = DEFAULT_DB_ALIAS
        made.__dict__.update(zip(self.attnames, values))  # noqa: B905 - one width
        return made


@dataclass(frozen=True)
class _Plan:
    vendor: str
    sql: str
    parts: tuple[_Part, ...]
    columns: tuple[Any, ...]  # the ORM's column expressions, in row order
    converters: tuple[tuple[Any, ...], ...]  # per column, the ORM's converters


@dataclass(frozen=True)
class JoinedRow:
    """A row read by `Joined.first`, its values converted once. A value that can change
    in place (a JSON list or dict) is handed to each instance as its own copy: unpickled
    from the bytes pickled here (a tenth of the converter's cost), or, if it does not
    pickle faithfully, converted again from the driver's value. Safe to remember and to
    build from any number of times."""

    plan: _Plan
    values: tuple
    pickled: tuple[tuple[int, bytes], ...] = ()
    raw: tuple[tuple[int, Any], ...] = ()


def _pickled(value: Any) -> bytes | None:
    try:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        faithful = pickle.loads(data) == value  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any value that does not survive is converted again
        return None
    return data if faithful else None


class Joined:
    """One model's first row (by one field's value, in one field's order) with the related
    rows that `select_related(*related)` would join, read by one driver statement, and
    built into model instances as the ORM builds them: every concrete column, in the
    model's order, through the backend's and the field's converters (`from_db`), each
    related instance cached on its parent (None for a null link) and, over a one-to-one,
    the parent on it. Forward foreign keys and one-to-ones only, on models without
    parents; "a__b" joins "a" too; LEFT OUTER below a nullable link, INNER otherwise.

    `first` reads a `JoinedRow` (safe to remember); `build` makes new instances from one
    every time it is called, so no caller shares an instance with another."""

    def __init__(
        self, model: type[models.Model], related: tuple[str, ...] = (), *, by: str, order_by: str
    ) -> None:
        self.model = model
        self.related = related
        self.by = by
        self.order_by = order_by  # a field name, "-" first for descending
        self._plan_made: _Plan | None = None

    def _plan(self) -> _Plan:
        wrapper = db()
        plan = self._plan_made
        if plan is None or plan.vendor != wrapper.vendor:
            plan = self._plan_made = self._make_plan(wrapper)
        return plan

    def _make_plan(self, wrapper: BaseDatabaseWrapper) -> _Plan:
        parts: list[_Part] = []
        columns: list[Any] = []
        joins: list[str] = []
        paths: dict[str, int] = {"": 0}
        outer: dict[int, bool] = {0: False}

        def add(model: type[models.Model], parent: int | None, link: Any) -> str:
            if model._meta.parents:
                raise ValueError(f"{model.__name__}: models with parents are not joined here")
            alias = f"t{len(parts)}"
            concrete = list(model._meta.concrete_fields)
            parts.append(_Part(model, len(columns), len(columns) + len(concrete),
                               concrete.index(model._meta.pk), parent, link,  # type: ignore[arg-type]
                               tuple(field.attname for field in concrete), _plain(model)))  # fmt: skip
            columns.extend(field.get_col(alias) for field in concrete)
            return alias

        add(self.model, None, None)
        every = {"__".join(path.split("__")[: n + 1]) for path in self.related
                 for n in range(path.count("__") + 1)}  # fmt: skip
        for path in sorted(every, key=lambda p: (p.count("__"), p)):  # parents first
            parent_path, _, name = path.rpartition("__")
            parent = paths[parent_path]
            link: Any = parts[parent].model._meta.get_field(name)
            if link.auto_created or not (link.many_to_one or link.one_to_one):
                raise ValueError(f"{path}: only forward foreign keys and one-to-ones")
            alias = add(link.related_model, parent, link)
            index = paths[path] = len(parts) - 1
            outer[index] = outer[parent] or link.null
            joins.append(
                f"{'LEFT OUTER' if outer[index] else 'INNER'} JOIN "
                f"{link.related_model._meta.db_table} {alias} "
                f"ON {alias}.{link.target_field.column} = t{parent}.{link.column}"
            )
        meta = self.model._meta
        by: Any = meta.get_field(self.by)
        order: Any = meta.get_field(self.order_by.lstrip("-"))
        sql = (
            f"SELECT {', '.join(f'{col.alias}.{col.target.column}' for col in columns)} "  # noqa: S608 - names from _meta
            f"FROM {meta.db_table} t0 {' '.join(joins)} WHERE t0.{by.column} = %s "
            f"ORDER BY t0.{order.column} {'DESC' if self.order_by[0] == '-' else 'ASC'} LIMIT 1"
        )
        converters = tuple(
            tuple(wrapper.ops.get_db_converters(col) + col.get_db_converters(wrapper))
            for col in columns
        )
        return _Plan(wrapper.vendor, sql, tuple(parts), tuple(columns), converters)

    @property
    def sql(self) -> str:
        return self._plan().sql

    def first(self, value: Any) -> JoinedRow | None:
        """The first row whose `by` field equals `value`, or None."""
        plan = self._plan()
        row = first_values(plan.sql, [value])
        if row is None:
            return None
        wrapper = db()
        values = list(row)
        pickled, raw = [], []
        for index, driver_value in enumerate(row):
            converted = self._converted(plan, index, driver_value, wrapper)
            if not isinstance(converted, _IMMUTABLE):
                data = _pickled(converted)
                if data is not None:
                    pickled.append((index, data))
                else:
                    raw.append((index, driver_value))
            values[index] = converted
        return JoinedRow(plan, tuple(values), tuple(pickled), tuple(raw))

    @staticmethod
    def _converted(plan: _Plan, index: int, value: Any, wrapper: BaseDatabaseWrapper) -> Any:
        for converter in plan.converters[index]:
            value = converter(value, plan.columns[index], wrapper)
        return value

    def build(self, row: JoinedRow) -> models.Model:
        """New instances from `row`: the root model's, its related ones cached on it."""
        plan = row.plan  # the one it was read with: the database it came from
        values = list(row.values)
        for index, data in row.pickled:
            values[index] = pickle.loads(data)  # noqa: S301 - pickled by `first`
        if row.raw:
            wrapper = db()
            for index, value in row.raw:
                values[index] = self._converted(plan, index, value, wrapper)
        made: list[Any] = []
        for part in plan.parts:
            parent = None if part.parent is None else made[part.parent]
            if part.parent is not None and parent is None:
                made.append(None)  # below a null link, as the ORM leaves it
                continue
            own = values[part.start : part.end]
            instance = None if own[part.pk_index] is None else part.instance(own)
            if part.link is not None:
                part.link.set_cached_value(parent, instance)
                if instance is not None and part.link.unique:
                    part.link.remote_field.set_cached_value(instance, parent)
            made.append(instance)
        return made[0]
