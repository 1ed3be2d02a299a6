"""Counters of high-volume events that are traffic, not actions: an access token issued,
a login code redeemed (issue 9 item 7). They are counted per scope (a mini program's
`app:<appid>`), kind and local day in the quota counters' table, one upsert per event,
instead of adding an audit entry each."""

from __future__ import annotations

from miniport.core import quotas

_PREFIX = "metric."
# A counter, not a limit: the largest value the counter column holds.
_NO_LIMIT = 2**31 - 1


def count(scope: str, kind: str, *, amount: int = 1) -> None:
    """Add `amount` events of `kind` to today's counter of `scope`."""
    quotas.take(scope, _PREFIX + kind, quotas.window_key("day"), limit=_NO_LIMIT, amount=amount)


def today(scope: str, kind: str) -> int:
    """Events of `kind` counted for `scope` today."""
    return quotas.used(scope, _PREFIX + kind, "day")
