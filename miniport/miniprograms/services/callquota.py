"""Daily quotas of high-rate API calls (stable_token's 500,000 a day), without a database
write on every call.

The shared count is core's QuotaCounter row, so `core.quotas.used/remaining` read it.
Each web process takes uses from it in leases: one conditional upsert (core.quotas.take)
takes up to api.call_count_lease uses at once (never past the limit, atomically on SQLite and
PostgreSQL alike), and the process then serves that many calls from memory. Near the
limit the leases shrink to a single use, so the last calls are counted one by one and
the quota never lets a call through past the limit. What a process leaves unused when
it stops stays counted: the quota can run out up to (processes x lease) calls early,
never late.
"""

from __future__ import annotations

import threading

from miniport.core import policy, quotas
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms.services import credential_sql

_lock = threading.Lock()
# (scope, rule, window, window key) -> uses this process holds and has not served yet
_leased: dict[tuple[str, str, str, str], int] = {}
# (scope, rule, window, window key) -> what the shared counter had left after our last lease
_left: dict[tuple[str, str, str, str], int] = {}


def _take_shared(scope: str, rule: str, window_key: str, limit: int, amount: int) -> int | None:
    """The kernel's one-statement conditional upsert, queued behind this process's other
    hot-path writers on SQLite (see credential_sql.serialized_write)."""
    with credential_sql.serialized_write():
        return quotas.take(scope, rule, window_key, limit=limit, amount=amount)


def take(scope: str, rule: str, *, window: str, error: ErrorCode) -> None:
    """Count one call of `rule` for `scope`, or raise `error` when the quota is used up."""
    key = (scope, rule, window, quotas.window_key(window))
    with _lock:
        if _leased.get(key, 0) > 0:
            _leased[key] -= 1
            return
    limit = policy.value(rule)
    lease = policy.value("api.call_count_lease")
    known_left = _left.get(key)
    # Lease only while plenty is left; near the limit (or not knowing) count one by one.
    amount = lease if known_left is not None and known_left > 10 * lease else 1
    used = _take_shared(scope, rule, key[3], limit, amount)
    if used is None and amount > 1:
        amount = 1
        used = _take_shared(scope, rule, key[3], limit, amount)
    if used is None:
        raise PlatformError(error, limit=limit, rule=rule)
    with _lock:
        _forget_past_windows()
        _left[key] = limit - used
        _leased[key] = _leased.get(key, 0) + amount - 1


def _forget_past_windows() -> None:
    for table in (_leased, _left):
        for stale in [k for k in table if k[3] != quotas.window_key(k[2])]:
            del table[stale]


def forget() -> None:
    """Drop this process's leases (tests, after the database was rolled back)."""
    with _lock:
        _leased.clear()
        _left.clear()
