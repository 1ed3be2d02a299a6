"""High-rate daily API quotas (stable_token's 500,000 a day) are counted in leases: a
web process takes up to api.call_count_lease uses with one write and serves them from
memory; near the limit it counts one by one, so no call ever passes the limit."""

from __future__ import annotations

import pytest

from miniport.core import quotas
from miniport.core.errors import CoreError, PlatformError
from tests.core.concurrency import assert_shared_database, run_concurrently

RULE = "api.stable_token_daily_quota"
LEASE = "api.call_count_lease"


def set_policy(key: str, value: int) -> None:
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key=key, value=value)


@pytest.fixture(autouse=True)
def _fresh_leases():
    quotas.forget_leases()
    yield
    quotas.forget_leases()


def take(scope: str = "app:wxtest") -> None:
    quotas.take_leased(scope, RULE, window="day", error=CoreError.DAILY_QUOTA, lease_rule=LEASE)


def test_a_small_quota_is_counted_exactly(db):
    set_policy(RULE, 3)
    for _ in range(3):
        take()
    with pytest.raises(PlatformError) as refused:
        take()
    assert refused.value.code == CoreError.DAILY_QUOTA
    assert quotas.used("app:wxtest", RULE, "day") == 3


def test_a_large_quota_is_counted_in_leases(db):
    set_policy(LEASE, 10)
    for _ in range(25):
        take()
    # The first call counts alone (nothing known yet), then leases of 10 follow.
    assert quotas.used("app:wxtest", RULE, "day") == 31


def test_the_last_uses_are_counted_one_by_one(db):
    set_policy(LEASE, 10)
    set_policy(RULE, 105)
    served = 0
    # Bounded: a quota that never refuses fails here instead of looping forever
    # (issue 9 item 10).
    with pytest.raises(PlatformError) as refused:
        for _ in range(105 + 2 * 10):  # the limit plus two leases
            take()
            served += 1
    assert refused.value.code == CoreError.DAILY_QUOTA
    assert served == 105 == quotas.used("app:wxtest", RULE, "day")


@pytest.mark.django_db(transaction=True)
def test_leases_never_grant_past_the_limit_under_concurrency():
    """Threads racing for leases of 7 on a counter of 50: together they get at most 50,
    and the counter says exactly what was granted."""
    assert_shared_database()
    outcomes = run_concurrently(
        16, lambda _i: quotas._take_lease("app:race", RULE, quotas.window_key("day"), 50, 7)
    )
    granted = [o for o in outcomes if isinstance(o, int)]
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len(granted) == 7  # 7 x 7 = 49; the eighth would pass 50
    assert quotas.used("app:race", RULE, "day") == 49
    assert sorted(granted) == [7, 14, 21, 28, 35, 42, 49]
