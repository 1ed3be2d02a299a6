"""The server API's hot path as single SQL statements.

/cgi-bin/stable_token and /sns/jscode2session answer every server's token poll and
every user's login, and every other server API call presents an access_token. On that
path, building ORM querysets costs several times more than running the queries
(scripts/hotpath_timing.py measures it), so the app's credentials, its current stable
token, the login code or the access_token with its mini program come back from one plain
SQL statement, and a code is redeemed by one conditional UPDATE; SQLite and PostgreSQL
run both. The
statements are this module's; running them, passing datetimes as the ORM does, queueing
writers on SQLite and remembering answers while SQLite is unchanged is the kernel's
plumbing (`miniport.core.hotpath`). Table names come from the models' _meta, rows are
read by column name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import transaction

from miniport.accounts.models import Registration, Subject
from miniport.core import clock, hotpath, ids, vault
from miniport.core.hotpath import aware, db_time
from miniport.miniprograms.models import AccessToken, DevSettings, LoginCode, MiniProgram

_MP = MiniProgram._meta.db_table
_SUBJECT = Subject._meta.db_table
_REGISTRATION = Registration._meta.db_table
_DEV = DevSettings._meta.db_table
_TOKEN = AccessToken._meta.db_table
_CODE = LoginCode._meta.db_table


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
    session_key: str  # the sealed envelope, as stored
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
    # With a login code: the values of LOGIN_COLUMNS, by name.
    login_values: dict[str, object] = field(default_factory=dict)


# Table names from _meta, never input: the only values are %s parameters. Every column
# has its own name, since the joined tables share theirs ("id").
_APP = (
    "SELECT mp.id AS app_id, mp.appid AS appid, mp.secret_digest AS secret_digest, "  # noqa: S608
    "r.status AS registration_status, d.ip_whitelist AS ip_whitelist{columns} "
    f"FROM {_MP} mp "
    f"JOIN {_SUBJECT} s ON s.id = mp.subject_id "
    f"JOIN {_REGISTRATION} r ON r.id = s.registration_id "
    f"LEFT JOIN {_DEV} d ON d.miniprogram_id = mp.id "
    "{joins}WHERE mp.appid = %s"
)
_SQL_APP = _APP.format(columns="", joins="")
_STABLE_COLUMNS = (
    "t.id AS stable_id, t.clear AS stable_clear, t.issued_at AS stable_issued_at, "
    "t.expires_at AS stable_expires_at, t.valid_until AS stable_valid_until"
)
# ... with the app's newest stable token still valid at a given time
_SQL_APP_STABLE = _APP.format(
    columns=f", {_STABLE_COLUMNS}",
    joins=(
        f"LEFT JOIN {_TOKEN} t ON t.id = ("  # noqa: S608
        f"SELECT id FROM {_TOKEN} WHERE miniprogram_id = mp.id AND family = 'stable' "
        "AND valid_until > %s ORDER BY issued_at DESC, id DESC LIMIT 1) "
    ),
)
# ... with one login code, whichever app it belongs to (the caller compares)
_CODE_COLUMNS = (
    ", c.id AS code_id, c.miniprogram_id AS code_app_id, c.identity_id AS code_identity_id, "
    "c.session_key AS code_session_key, "
    "CASE WHEN c.expires_at <= %s THEN 1 ELSE 0 END AS code_expired, "
    "CASE WHEN c.used_at IS NULL THEN 0 ELSE 1 END AS code_used"
)
_CODE_JOIN = f"LEFT JOIN {_CODE} c ON c.digest = %s "

# Per-app values of higher floors that the login answer carries (links.open_platform:
# the open_appid behind the unionid), read by the login statement itself instead of one
# more query per login: name -> a scalar subquery over the app's row `mp` taking no
# parameters. Filled at start-up (`register_login_column`).
LOGIN_COLUMNS: dict[str, str] = {}
_LOGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
# LOGIN_COLUMNS as registered -> the login statement with them
_SQL_APP_CODE: dict[tuple[tuple[str, str], ...], str] = {}


def register_login_column(name: str, subquery: str) -> None:
    """Read `subquery` with every login (its value in AppRow.login_values[name])."""
    if not _LOGIN_NAME.match(name) or "%s" in subquery:
        raise ValueError(f"login column {name!r}: a lower-case name, a subquery without parameters")
    LOGIN_COLUMNS[name] = subquery


def _sql_app_code() -> str:
    key = tuple(LOGIN_COLUMNS.items())
    sql = _SQL_APP_CODE.get(key)
    if sql is None:
        extra = "".join(f", ({subquery}) AS login_{name}" for name, subquery in key)
        sql = _SQL_APP_CODE[key] = _APP.format(columns=_CODE_COLUMNS + extra, joins=_CODE_JOIN)
    return sql


def _whitelist(value) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def _app(
    row: hotpath.Row,
    stable: StableRow | None = None,
    code: CodeRow | None = None,
    login_values: dict[str, object] | None = None,
) -> AppRow:
    return AppRow(
        row["app_id"],
        row["appid"],
        row["secret_digest"] or "",
        row["registration_status"],
        _whitelist(row["ip_whitelist"]),
        stable,
        code,
        login_values or {},
    )


def _stable(row: hotpath.Row) -> StableRow:
    return StableRow(
        row["stable_id"],
        vault.open_personal(row["stable_clear"]),
        aware(row["stable_issued_at"]),
        aware(row["stable_expires_at"]),
        aware(row["stable_valid_until"]),
    )


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
    if code_digest is None:
        row = hotpath.first_row(_SQL_APP, [appid])
        return None if row is None else _app(row)
    row = hotpath.first_row(_sql_app_code(), [db_time(now or clock.now()), code_digest, appid])
    if row is None:
        return None
    code = None
    if row["code_id"] is not None:
        code = CodeRow(
            row["code_id"],
            row["code_app_id"],
            row["code_identity_id"],
            row["code_session_key"],
            bool(row["code_expired"]),
            bool(row["code_used"]),
        )
    return _app(row, code=code, login_values={name: row[f"login_{name}"] for name in LOGIN_COLUMNS})


# Servers poll /cgi-bin/stable_token and get the same answer until something changes, so
# each process remembers the last lookup per app while the SQLite database is unchanged
# (hotpath.Remembered; on PostgreSQL the statement runs every time). Only time can still
# change the answer: a remembered token past its valid_until is no token (the newest
# token always has the latest valid_until, so no older one can be the answer instead).
_remembered: hotpath.Remembered[AppRow] = hotpath.Remembered(size=1024)


def _app_with_stable_token(appid: str, at: datetime) -> AppRow | None:
    stamp = hotpath.change_stamp()
    app = _remembered.get(appid, stamp)
    if app is not None:
        return _valid_at(app, at)
    row = hotpath.first_row(_SQL_APP_STABLE, [db_time(at), appid])
    if row is None:
        return None
    app = _app(row, stable=None if row["stable_id"] is None else _stable(row))
    _remembered.put(appid, stamp, app)
    return app


def _valid_at(app: AppRow, at: datetime) -> AppRow:
    if app.stable is not None and app.stable.valid_until <= at:
        return replace(app, stable=None)
    return app


def forget_remembered() -> None:
    """Drop the remembered lookups (tests that rewrite the database under the process)."""
    _remembered.clear()
    _remembered_tokens.clear()


# --- the access_token every other call presents ---------------------------------------------

# The token's row with its mini program, as
# AccessToken.objects.select_related("miniprogram").filter(digest=...).first() reads them.
_TOKEN_WITH_APP = hotpath.Joined(AccessToken, ("miniprogram",), by="digest", order_by="id")

# Each process remembers the row of a token while the SQLite database is unchanged (a new
# token superseding it, a deletion, any change to its mini program are all writes, seen
# by the very next call); time alone can still end it, and the caller checks its times
# on every call. Remembered by the token itself, so a remembered call computes no digest;
# unknown tokens are not remembered (a flood of made-up ones would only push the real ones
# out). On PostgreSQL the statement runs every time.
_remembered_tokens: hotpath.Remembered[hotpath.JoinedRow] = hotpath.Remembered(size=1024)


def access_token_row(token: str) -> AccessToken | None:
    """The access token `token` (looked up by its digest), its mini program loaded with
    it, as new instances on every call; or None."""
    stamp = hotpath.change_stamp()
    row = _remembered_tokens.get(token, stamp)
    if row is None:
        row = _TOKEN_WITH_APP.first(ids.digest(token))
        if row is None:
            return None
        _remembered_tokens.put(token, stamp, row)
    return _TOKEN_WITH_APP.build(row)  # type: ignore[return-value]


_SQL_CURRENT_STABLE = (
    f"SELECT {_STABLE_COLUMNS} FROM {_TOKEN} t "  # noqa: S608
    "WHERE t.miniprogram_id = %s AND t.family = %s AND t.valid_until > %s "
    "ORDER BY t.issued_at DESC, t.id DESC LIMIT 1"
)


def current_stable_token(miniprogram_id: int, now: datetime) -> StableRow | None:
    """The newest stable token of the app that is still valid at `now`."""
    row = hotpath.first_row(_SQL_CURRENT_STABLE, [miniprogram_id, "stable", db_time(now)])
    return None if row is None else _stable(row)


# --- the one write ----------------------------------------------------------------------

# The count reads the index on (identity, miniprogram, created_at): a code redeemed since
# `since` was created at most one code lifetime before it.
# The code's session_key (sealed, core.vault) is erased by the same statement: it is handed
# out once, by the redemption that read it, and kept nowhere after.
_SQL_REDEEM = (
    f"UPDATE {_CODE} SET used_at = %s, session_key = '' "  # noqa: S608
    "WHERE id = %s AND used_at IS NULL AND ("
    f"SELECT COUNT(*) FROM {_CODE} WHERE identity_id = %s AND miniprogram_id = %s "
    "AND created_at > %s AND used_at > %s) < %s"
)


# PostgreSQL's transaction-scoped advisory lock on (identity, mini program): two int4 keys,
# ids past 2**31 wrap, so two users may share a lock and only wait for each other.
_SQL_USER_LOCK = (
    "SELECT pg_advisory_xact_lock((%s::bigint %% 2147483648)::int, (%s::bigint %% 2147483648)::int)"
)


def redeem_login_code(
    code: CodeRow, *, now: datetime, since: datetime, created_since: datetime, per_user_limit: int
) -> bool:
    """Mark the code used, in one statement, only if it is still unused and its user
    redeemed fewer than `per_user_limit` codes of this app since `since` (codes that
    could have been: created after `created_since`)."""
    params = [
        db_time(now), code.pk, code.identity_id, code.miniprogram_id,
        db_time(created_since), db_time(since), per_user_limit,
    ]  # fmt: skip
    if hotpath.db().vendor == "postgresql":
        # The count reads the statement's snapshot: two redemptions of one user's codes
        # at once (on two web processes) would each miss the other's and both pass the
        # limit. They queue on a lock of the user and app held until commit instead, so
        # each counts after the one before it committed (SQLite's write lock does this).
        with transaction.atomic():
            hotpath.first_values(_SQL_USER_LOCK, [code.identity_id, code.miniprogram_id])
            return hotpath.rowcount(_SQL_REDEEM, params) == 1
    with hotpath.serialized_write():
        return hotpath.rowcount(_SQL_REDEEM, params) == 1


_SQL_CODE_USED = f"SELECT used_at IS NOT NULL AS used FROM {_CODE} WHERE id = %s"  # noqa: S608


def login_code_used(pk: int) -> bool:
    row = hotpath.first_row(_SQL_CODE_USED, [pk])
    return bool(row and row["used"])
