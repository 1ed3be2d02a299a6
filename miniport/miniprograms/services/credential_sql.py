"""The server API's hot path as single SQL statements.

/cgi-bin/stable_token and /sns/jscode2session answer every server's token poll and
every user's login. On that path, building ORM querysets costs several times more than
running the queries (scripts/bench.py measures it), so the app's credentials, its
current stable token or the login code come back from one plain SQL statement, and a
code is redeemed by one conditional UPDATE; SQLite and PostgreSQL run both. Table and
column names come from the models' _meta; datetimes are passed the way the ORM passes
them (`connection.ops.adapt_datetimefield_value`), so comparisons match the ORM's own.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from miniport.accounts.models import Registration, Subject
from miniport.core import clock
from miniport.miniprograms.models import AccessToken, DevSettings, LoginCode, MiniProgram

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

_MP = MiniProgram._meta.db_table
_SUBJECT = Subject._meta.db_table
_REGISTRATION = Registration._meta.db_table
_DEV = DevSettings._meta.db_table
_TOKEN = AccessToken._meta.db_table
_CODE = LoginCode._meta.db_table

# --- writers on SQLite --------------------------------------------------------------------

_thread_lock = threading.Lock()
_lock_files: dict[tuple[int, str], int] = {}


def _lock_file() -> int | None:
    """This process's descriptor of the lock file beside the SQLite database."""
    name = str(_db().settings_dict["NAME"])
    if fcntl is None or not os.path.isabs(name):  # an in-memory database has one process
        return None
    key = (os.getpid(), name)  # a forked worker opens its own
    if key not in _lock_files:
        _lock_files[key] = os.open(name + ".writers", os.O_RDWR | os.O_CREAT, 0o600)
    return _lock_files[key]


@contextmanager
def serialized_write():
    """On SQLite, one hot-path writer at a time across threads and processes.

    Writers that collide on SQLite's own write lock wait in its busy handler, which
    sleeps 1, 2, 5, 10 ms and longer between tries; under load that sleep, not the
    write, sets throughput and the tail latency. Queued here (a thread lock, then an
    flock on a file beside the database), the next writer starts the moment the last
    one is done. PostgreSQL needs none of it."""
    if _db().vendor != "sqlite":
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


def _db() -> BaseDatabaseWrapper:
    # `django.db.connection` is a proxy that looks the connection up again on every
    # attribute; the hot path takes it once per statement.
    return connections[DEFAULT_DB_ALIAS]


def _connected() -> BaseDatabaseWrapper:
    """The connection, opened if it is not yet (its driver object is used directly)."""
    db = _db()
    if db.connection is None:
        db.ensure_connection()
    return db


@cache
def _stores_naive_utc_text() -> bool:
    db = _db()
    return db.vendor == "sqlite" and db.timezone_name == "UTC"


def _db_time(value: datetime):
    """A datetime as the ORM passes it: SQLite keeps naive UTC text (what
    adapt_datetimefield_value makes of an aware datetime on a UTC connection, without its
    checks, which cost more than the query on this path); PostgreSQL takes it as it is."""
    if _stores_naive_utc_text():
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return _db().ops.adapt_datetimefield_value(value)


# Statements run on the driver's own cursor, inside Django's error wrapping: Django's
# cursor wrapper (thread and event-loop checks, placeholder rewriting on SQLite, query
# logging) costs as much as the statement itself here. The connection, its transaction
# state and its autocommit are Django's, so these statements join an atomic block like
# any other. SQLite's driver takes "?" placeholders; the SQL here is written with "%s".
_QMARK: dict[str, str] = {}


def _driver_sql(db: BaseDatabaseWrapper, sql: str) -> str:
    if db.vendor != "sqlite":
        return sql
    converted = _QMARK.get(sql)
    if converted is None:
        converted = _QMARK[sql] = sql.replace("%s", "?")
    return converted


def _execute(sql: str, params: list, *, want: str):
    """Run one statement; `want` is "row" (the first row) or "count" (rows changed)."""
    db = _connected()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:
            cursor.execute(_driver_sql(db, sql), params)
            return cursor.fetchone() if want == "row" else cursor.rowcount
        finally:
            cursor.close()


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite keeps UTC datetimes as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StableRow:
    pk: int
    clear: str
    issued_at: datetime
    expires_at: datetime
    valid_until: datetime


@dataclass(frozen=True)
class CodeRow:
    pk: int
    miniprogram_id: int
    identity_id: int
    session_key: str
    expired: bool
    used: bool


@dataclass(frozen=True)
class AppRow:
    pk: int
    appid: str
    secret_digest: str
    registration_status: str
    ip_whitelist: list[str]
    # Read in the same statement when asked for (see `app_by_appid`).
    stable: StableRow | None = None
    code: CodeRow | None = None


# Table names from _meta, never input: the only values are %s parameters.
_APP = (
    "SELECT mp.id, mp.appid, mp.secret_digest, r.status, d.ip_whitelist{columns} "  # noqa: S608
    f"FROM {_MP} mp "
    f"JOIN {_SUBJECT} s ON s.id = mp.subject_id "
    f"JOIN {_REGISTRATION} r ON r.id = s.registration_id "
    f"LEFT JOIN {_DEV} d ON d.miniprogram_id = mp.id "
    "{joins}WHERE mp.appid = %s"
)
_SQL_APP = _APP.format(columns="", joins="")
# ... with the app's newest stable token still valid at a given time
_SQL_APP_STABLE = _APP.format(
    columns=", t.id, t.clear, t.issued_at, t.expires_at, t.valid_until",
    joins=(
        f"LEFT JOIN {_TOKEN} t ON t.id = ("  # noqa: S608
        f"SELECT id FROM {_TOKEN} WHERE miniprogram_id = mp.id AND family = 'stable' "
        "AND valid_until > %s ORDER BY issued_at DESC, id DESC LIMIT 1) "
    ),
)
# ... with one login code, whichever app it belongs to (the caller compares)
_SQL_APP_CODE = _APP.format(
    columns=(
        ", c.id, c.miniprogram_id, c.identity_id, c.session_key, "
        "CASE WHEN c.expires_at <= %s THEN 1 ELSE 0 END, "
        "CASE WHEN c.used_at IS NULL THEN 0 ELSE 1 END"
    ),
    joins=f"LEFT JOIN {_CODE} c ON c.digest = %s ",
)


def _whitelist(value) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def app_by_appid(
    appid: str,
    *,
    stable_at: datetime | None = None,
    code_digest: str | None = None,
    now: datetime | None = None,
) -> AppRow | None:
    """The app's credentials, in one statement; with `stable_at`, also its newest stable
    token valid then; with `code_digest` and `now`, also that login code. Nothing here is
    checked yet."""
    if stable_at is not None:
        return _app_with_stable_token(appid, stable_at)
    if code_digest is not None:
        sql, params = _SQL_APP_CODE, [_db_time(now or clock.now()), code_digest, appid]
    else:
        sql, params = _SQL_APP, [appid]
    row = _execute(sql, params, want="row")
    if row is None:
        return None
    code = None
    if code_digest is not None and row[5] is not None:
        code = CodeRow(row[5], row[6], row[7], row[8], bool(row[9]), bool(row[10]))
    return AppRow(row[0], row[1], row[2] or "", row[3], _whitelist(row[4]), None, code)


def _app_with_stable_token(appid: str, at: datetime) -> AppRow | None:
    stamp = _unchanged_since_stamp(_connected())
    if stamp is not None:
        remembered = _remembered.get(appid)
        if remembered is not None and remembered[0] == stamp:
            return _valid_at(remembered[1], at)
    row = _execute(_SQL_APP_STABLE, [_db_time(at), appid], want="row")
    if row is None:
        return None
    stable = None
    if row[5] is not None:
        stable = StableRow(row[5], row[6], _aware(row[7]), _aware(row[8]), _aware(row[9]))
    app = AppRow(row[0], row[1], row[2] or "", row[3], _whitelist(row[4]), stable)
    if stamp is not None:
        if len(_remembered) >= _REMEMBERED_APPS:
            _remembered.clear()
        _remembered[appid] = (stamp, app)
    return app


# --- the stable-token lookup, remembered while the SQLite database is unchanged -----------
#
# Servers poll /cgi-bin/stable_token and get the same answer until something changes, so
# each process remembers the last lookup per app, stamped with SQLite's change counters:
# `PRAGMA data_version` moves when another connection (any thread or process) commits a
# change to the database file, and the connection's `total_changes` when this connection
# writes anything, committed or not. An unchanged stamp means no row of the database can
# differ from what the lookup read, so it is answered from memory. Only time can still
# change the answer: a remembered token past its valid_until is no token (the newest
# token always has the latest valid_until, so no older one can be the answer instead).
# Inside a transaction nothing is remembered or reused: its reads may be rolled back.
# PostgreSQL has no such counter; there the statement runs every time.
_REMEMBERED_APPS = 1024
_remembered: dict[str, tuple[tuple, AppRow]] = {}


def _unchanged_since_stamp(db: BaseDatabaseWrapper) -> tuple | None:
    if db.vendor != "sqlite" or db.in_atomic_block:
        return None
    raw = db.connection
    if raw.in_transaction:
        return None
    with db.wrap_database_errors:
        version = raw.execute("PRAGMA data_version").fetchone()[0]
    # The connection object itself: a reconnected one counts from zero again.
    return (raw, version, raw.total_changes)


def _valid_at(app: AppRow, at: datetime) -> AppRow:
    if app.stable is not None and app.stable.valid_until <= at:
        return replace(app, stable=None)
    return app


def forget_remembered() -> None:
    """Drop the remembered lookups (tests that rewrite the database under the process)."""
    _remembered.clear()


def current_stable_token(miniprogram_id: int, now: datetime) -> StableRow | None:
    """The newest stable token of the app that is still valid at `now`."""
    sql = (
        f"SELECT id, clear, issued_at, expires_at, valid_until FROM {_TOKEN} "  # noqa: S608
        "WHERE miniprogram_id = %s AND family = %s AND valid_until > %s "
        "ORDER BY issued_at DESC, id DESC LIMIT 1"
    )
    row = _execute(sql, [miniprogram_id, "stable", _db_time(now)], want="row")
    if row is None:
        return None
    return StableRow(row[0], row[1], _aware(row[2]), _aware(row[3]), _aware(row[4]))


# --- the one write ----------------------------------------------------------------------

# The count reads the index on (identity, miniprogram, created_at): a code redeemed since
# `since` was created at most one code lifetime before it.
_SQL_REDEEM = (
    f"UPDATE {_CODE} SET used_at = %s "  # noqa: S608
    "WHERE id = %s AND used_at IS NULL AND ("
    f"SELECT COUNT(*) FROM {_CODE} WHERE identity_id = %s AND miniprogram_id = %s "
    "AND created_at > %s AND used_at > %s) < %s"
)


def redeem_login_code(
    code: CodeRow, *, now: datetime, since: datetime, created_since: datetime, per_user_limit: int
) -> bool:
    """Mark the code used, in one statement, only if it is still unused and its user
    redeemed fewer than `per_user_limit` codes of this app since `since` (codes that
    could have been: created after `created_since`)."""
    params = [
        _db_time(now), code.pk, code.identity_id, code.miniprogram_id,
        _db_time(created_since), _db_time(since), per_user_limit,
    ]  # fmt: skip
    with serialized_write():
        return _execute(_SQL_REDEEM, params, want="count") == 1


def login_code_used(pk: int) -> bool:
    sql = f"SELECT used_at IS NOT NULL FROM {_CODE} WHERE id = %s"  # noqa: S608
    row = _execute(sql, [pk], want="row")
    return bool(row and row[0])
