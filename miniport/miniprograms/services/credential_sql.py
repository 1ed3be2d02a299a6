"""The server API's hot path as single SQL statements.

/cgi-bin/stable_token and /sns/jscode2session answer every server's token poll and
every user's login. On that path, building ORM querysets costs several times more than
running the queries (scripts/bench.py measures it), so these few reads and the one
write are plain SQL that SQLite and PostgreSQL both run. Table and column names come
from the models' _meta; datetimes are passed the way the ORM passes them
(`connection.ops.adapt_datetimefield_value`), so comparisons match the ORM's own.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from miniport.accounts.models import Registration, Subject
from miniport.miniprograms.models import AccessToken, DevSettings, LoginCode, MiniProgram

_MP = MiniProgram._meta.db_table
_SUBJECT = Subject._meta.db_table
_REGISTRATION = Registration._meta.db_table
_DEV = DevSettings._meta.db_table
_TOKEN = AccessToken._meta.db_table
_CODE = LoginCode._meta.db_table


_sqlite_writes = threading.Lock()


@contextmanager
def serialized_write():
    """On SQLite, one writer per process at a time. Threads that collide on SQLite's
    write lock wait in its busy handler, which sleeps 1, 2, 5, 10 ms and more between
    tries; queueing them on a lock here hands the write lock over at once instead.
    PostgreSQL needs no such thing."""
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_writes:
        yield


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@dataclass(frozen=True)
class AppRow:
    pk: int
    appid: str
    secret_digest: str
    registration_status: str
    ip_whitelist: list[str]


def app_by_appid(appid: str) -> AppRow | None:
    sql = (
        f"SELECT mp.id, mp.appid, mp.secret_digest, r.status, d.ip_whitelist "  # noqa: S608
        f"FROM {_MP} mp "
        f"JOIN {_SUBJECT} s ON s.id = mp.subject_id "
        f"JOIN {_REGISTRATION} r ON r.id = s.registration_id "
        f"LEFT JOIN {_DEV} d ON d.miniprogram_id = mp.id "
        f"WHERE mp.appid = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [appid])
        row = cursor.fetchone()
    if row is None:
        return None
    whitelist = row[4]
    if isinstance(whitelist, str):
        whitelist = json.loads(whitelist)
    return AppRow(row[0], row[1], row[2] or "", row[3], list(whitelist or []))


@dataclass(frozen=True)
class StableRow:
    pk: int
    clear: str
    issued_at: datetime
    expires_at: datetime


def current_stable_token(miniprogram_id: int, now: datetime) -> StableRow | None:
    """The newest stable token of the app that is still valid at `now`."""
    sql = (
        f"SELECT id, clear, issued_at, expires_at FROM {_TOKEN} "  # noqa: S608
        f"WHERE miniprogram_id = %s AND family = %s AND valid_until > %s "
        f"ORDER BY issued_at DESC, id DESC LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [miniprogram_id, "stable", _db_time(now)])
        row = cursor.fetchone()
    if row is None:
        return None
    return StableRow(row[0], row[1], _aware(row[2]), _aware(row[3]))


@dataclass(frozen=True)
class CodeRow:
    pk: int
    miniprogram_id: int
    identity_id: int
    session_key: str
    expired: bool
    used: bool


def login_code_by_digest(digest: str, now: datetime) -> CodeRow | None:
    sql = (
        f"SELECT id, miniprogram_id, identity_id, session_key, "  # noqa: S608
        f"CASE WHEN expires_at <= %s THEN 1 ELSE 0 END, "
        f"CASE WHEN used_at IS NULL THEN 0 ELSE 1 END "
        f"FROM {_CODE} WHERE digest = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_db_time(now), digest])
        row = cursor.fetchone()
    if row is None:
        return None
    return CodeRow(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]))


def redeem_login_code(
    code: CodeRow, *, now: datetime, since: datetime, per_user_limit: int
) -> bool:
    """Mark the code used, in one statement, only if it is still unused and its user
    redeemed fewer than `per_user_limit` codes of this app since `since`."""
    sql = (
        f"UPDATE {_CODE} SET used_at = %s "  # noqa: S608
        f"WHERE id = %s AND used_at IS NULL AND ("
        f"SELECT COUNT(*) FROM {_CODE} WHERE identity_id = %s AND miniprogram_id = %s "
        f"AND used_at > %s) < %s"
    )
    with serialized_write(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                _db_time(now),
                code.pk,
                code.identity_id,
                code.miniprogram_id,
                _db_time(since),
                per_user_limit,
            ],
        )
        return cursor.rowcount == 1


def login_code_used(pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT used_at IS NOT NULL FROM {_CODE} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return bool(row and row[0])
