"""Quotas hold under real concurrency, on a file SQLite database and on PostgreSQL."""

import pytest

from miniport.core import quotas
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import QuotaCounter
from tests.core.concurrency import assert_shared_database, run_concurrently

RULE = "tests.race"


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_racing_for_five_places_leave_exactly_five_winners():
    assert_shared_database()
    outcomes = run_concurrently(
        50, lambda _i: quotas.consume("race:a", RULE, window="day", limit=5)
    )
    refusals = [o for o in outcomes if isinstance(o, PlatformError)]
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, PlatformError)
    ] == []
    assert len(winners) == 5
    assert sorted(winners) == [0, 1, 2, 3, 4]  # each winner saw a different number of places left
    assert len(refusals) == 45
    assert {r.code for r in refusals} == {CoreError.QUOTA_EXCEEDED}
    assert quotas.used("race:a", RULE, "day") == 5
    assert QuotaCounter.objects.filter(scope="race:a").count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_places_of_a_used_counter_grants_only_those():
    assert_shared_database()
    quotas.consume("race:b", RULE, window="ever", limit=5, amount=3)
    outcomes = run_concurrently(
        20, lambda _i: quotas.consume("race:b", RULE, window="ever", limit=5)
    )
    assert sum(1 for o in outcomes if isinstance(o, int)) == 2
    assert sum(1 for o in outcomes if isinstance(o, PlatformError)) == 18
    assert quotas.used("race:b", RULE, "ever") == 5
