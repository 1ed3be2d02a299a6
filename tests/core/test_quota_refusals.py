"""A refused consume changes nothing, and a consume is undone with its transaction."""

import pytest
from django.db import transaction

from miniport.accounts.errors import AccountError
from miniport.core import quotas
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import QuotaCounter

RULE = "tests.refusals"
SCOPE = "identity:42"


def counters() -> list[dict]:
    return list(QuotaCounter.objects.order_by("id").values("scope", "rule", "window", "used"))


@pytest.mark.django_db
def test_a_refused_consume_changes_no_counter():
    quotas.consume(SCOPE, RULE, window="day", limit=2)
    quotas.consume(SCOPE, RULE, window="day", limit=2)
    before = counters()
    with pytest.raises(PlatformError) as refused:
        quotas.consume(
            SCOPE, RULE, window="day", limit=2, error=CoreError.DAILY_QUOTA, field="calls"
        )
    assert refused.value.code is CoreError.DAILY_QUOTA
    assert refused.value.field == "calls"
    assert refused.value.params["limit"] == 2
    assert counters() == before


@pytest.mark.django_db
def test_a_refused_first_consume_leaves_no_counter_row_behind():
    with pytest.raises(PlatformError):
        quotas.consume(SCOPE, RULE, window="month", limit=0)
    assert counters() == []


@pytest.mark.django_db
def test_a_consume_that_does_not_fit_whole_takes_nothing():
    quotas.consume(SCOPE, RULE, window="ever", limit=5, amount=3)
    with pytest.raises(PlatformError):
        quotas.consume(SCOPE, RULE, window="ever", limit=5, amount=3)
    assert quotas.used(SCOPE, RULE, "ever") == 3
    assert quotas.consume(SCOPE, RULE, window="ever", limit=5, amount=2) == 0


@pytest.mark.django_db
def test_a_consume_is_rolled_back_with_the_surrounding_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        quotas.consume(SCOPE, RULE, window="day", limit=1)
        raise RuntimeError("the action failed after taking its place")
    assert quotas.used(SCOPE, RULE, "day") == 0
    assert quotas.consume(SCOPE, RULE, window="day", limit=1) == 0


@pytest.mark.django_db
def test_a_later_refusal_in_the_same_transaction_gives_back_the_earlier_place():
    """REG-5 takes the ID-number place, then the phone place; a full phone undoes both."""
    quotas.consume("phone:1", RULE, window="ever", limit=1)
    with pytest.raises(PlatformError) as refused, transaction.atomic():
        quotas.consume("id:1", RULE, window="ever", limit=5)
        quotas.consume("phone:1", RULE, window="ever", limit=1, error=AccountError.PHONE_QUOTA)
    assert refused.value.code is AccountError.PHONE_QUOTA
    assert quotas.used("id:1", RULE, "ever") == 0
    assert quotas.used("phone:1", RULE, "ever") == 1


@pytest.mark.django_db
def test_zero_or_negative_amounts_are_a_programming_error():
    with pytest.raises(ValueError):
        quotas.consume(SCOPE, RULE, window="day", limit=5, amount=0)
    with pytest.raises(ValueError):
        quotas.release(SCOPE, RULE, window="day", amount=-1)
    with pytest.raises(ValueError):
        quotas.consume(SCOPE, RULE, window="fortnight", limit=5)
    assert counters() == []
