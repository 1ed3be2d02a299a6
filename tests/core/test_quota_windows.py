"""Quota windows follow the platform's clock in Asia/Shanghai: a minute, a day, a month or
a year of use, or for ever."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import clock, policy, quotas
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import PolicyOverride, QuotaCounter

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULE = "tests.windowed"
SCOPE = "app:wx0000000000000001"


def shanghai(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("window", "first_use", "last_moment", "next_window"),
    [
        (
            "minute",
            shanghai(2024, 3, 5, 10, 15, 5),
            shanghai(2024, 3, 5, 10, 15, 59),
            shanghai(2024, 3, 5, 10, 16, 0),
        ),
        (
            "day",
            shanghai(2024, 3, 5, 0, 0, 0),
            shanghai(2024, 3, 5, 23, 59, 59),
            shanghai(2024, 3, 6, 0, 0, 0),
        ),
        (
            "month",
            shanghai(2024, 2, 1, 0, 0, 0),
            shanghai(2024, 2, 29, 23, 59, 59),
            shanghai(2024, 3, 1, 0, 0, 0),
        ),
        (
            "year",
            shanghai(2024, 1, 1, 0, 0, 0),
            shanghai(2024, 12, 31, 23, 59, 59),
            shanghai(2025, 1, 1, 0, 0, 0),
        ),
    ],
)
def test_a_window_grants_its_limit_then_refuses_until_the_next_window(
    window, first_use, last_moment, next_window
):
    with time_machine.travel(first_use, tick=False) as traveller:
        assert quotas.consume(SCOPE, RULE, window=window, limit=2) == 1
        assert quotas.consume(SCOPE, RULE, window=window, limit=2) == 0
        traveller.move_to(last_moment)
        assert quotas.remaining(SCOPE, RULE, window, limit=2) == 0
        with pytest.raises(PlatformError) as refused:
            quotas.consume(SCOPE, RULE, window=window, limit=2)
        assert refused.value.code is CoreError.QUOTA_EXCEEDED
        traveller.move_to(next_window)
        assert quotas.remaining(SCOPE, RULE, window, limit=2) == 2
        assert quotas.consume(SCOPE, RULE, window=window, limit=2) == 1


@pytest.mark.django_db
def test_the_month_turns_at_midnight_in_shanghai_while_utc_is_still_in_the_old_month():
    with time_machine.travel(shanghai(2024, 1, 31, 23, 59, 59), tick=False) as traveller:
        quotas.consume(SCOPE, RULE, window="month", limit=1)
        traveller.move_to(shanghai(2024, 2, 1, 0, 0, 1))
        assert clock.now().astimezone(UTC).month == 1
        assert quotas.remaining(SCOPE, RULE, "month", limit=1) == 1
        quotas.consume(SCOPE, RULE, window="month", limit=1)
    assert sorted(QuotaCounter.objects.values_list("window", flat=True)) == ["202401", "202402"]


@pytest.mark.django_db
def test_the_year_turns_at_midnight_in_shanghai_on_new_years_eve():
    with time_machine.travel(shanghai(2024, 12, 31, 23, 59, 59), tick=False) as traveller:
        quotas.consume(SCOPE, RULE, window="year", limit=1)
        with pytest.raises(PlatformError):
            quotas.consume(SCOPE, RULE, window="year", limit=1)
        traveller.move_to(shanghai(2025, 1, 1, 0, 0, 1))
        assert clock.now().astimezone(UTC).year == 2024
        assert quotas.consume(SCOPE, RULE, window="year", limit=1) == 0


@pytest.mark.django_db
def test_an_ever_window_never_resets_across_months_and_years():
    with time_machine.travel(shanghai(2024, 12, 31, 23, 0), tick=False) as traveller:
        quotas.consume(SCOPE, RULE, window="ever", limit=1)
        for later in (
            shanghai(2025, 1, 1, 1, 0),
            shanghai(2025, 2, 1, 0, 0),
            shanghai(2031, 6, 1, 0, 0),
        ):
            traveller.move_to(later)
            assert quotas.remaining(SCOPE, RULE, "ever", limit=1) == 0
            with pytest.raises(PlatformError):
                quotas.consume(SCOPE, RULE, window="ever", limit=1)
    assert quotas.used(SCOPE, RULE, "ever") == 1


@pytest.mark.django_db
def test_scopes_and_rules_count_separately():
    quotas.consume(SCOPE, RULE, window="day", limit=1)
    assert quotas.remaining("app:other", RULE, "day", limit=1) == 1
    assert quotas.remaining(SCOPE, "tests.other_rule", "day", limit=1) == 1
    quotas.consume("app:other", RULE, window="day", limit=1)
    quotas.consume(SCOPE, "tests.other_rule", window="day", limit=1)
    assert QuotaCounter.objects.count() == 3


@pytest.mark.django_db
def test_without_an_explicit_limit_the_policy_value_in_force_applies():
    rule = "registration.id_number_max_miniprograms"
    default = policy.value(rule)
    PolicyOverride.objects.create(key=rule, value=default - 3)
    policy.forget_cached()
    try:
        for _ in range(default - 3):
            quotas.consume(SCOPE, rule, window="ever")
        with pytest.raises(PlatformError) as refused:
            quotas.consume(SCOPE, rule, window="ever")
    finally:
        policy.forget_cached()
    assert refused.value.params["limit"] == default - 3
    assert quotas.used(SCOPE, rule, "ever") == default - 3


@pytest.mark.django_db
def test_released_uses_can_be_taken_again_in_the_same_window():
    with time_machine.travel(shanghai(2024, 5, 20, 12, 0), tick=False):
        quotas.consume(SCOPE, RULE, window="month", limit=2)
        quotas.consume(SCOPE, RULE, window="month", limit=2)
        quotas.release(SCOPE, RULE, window="month")
        assert quotas.remaining(SCOPE, RULE, "month", limit=2) == 1
        assert quotas.consume(SCOPE, RULE, window="month", limit=2) == 0


@pytest.mark.django_db
def test_releasing_more_than_was_used_leaves_the_counter_untouched():
    quotas.consume(SCOPE, RULE, window="ever", limit=5)
    quotas.release(SCOPE, RULE, window="ever", amount=2)
    assert quotas.used(SCOPE, RULE, "ever") == 1
    quotas.release("app:never-used", RULE, window="ever")
    assert quotas.used("app:never-used", RULE, "ever") == 0
    assert not QuotaCounter.objects.filter(scope="app:never-used").exists()


@pytest.mark.parametrize("window", ["minute", "day", "month", "year"])
def test_the_remembered_window_always_names_the_window_of_the_current_moment(window):
    """window_key remembers the last window's bounds; whatever order the clock visits
    instants in (forwards, backwards, across month and year ends), it answers the key
    that formatting the local time gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    formats = {"minute": "%Y%m%d%H%M", "day": "%Y%m%d", "month": "%Y%m", "year": "%Y"}

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.datetimes(min_value=datetime(2023, 12, 30), max_value=datetime(2025, 1, 2)),
            min_size=1,
            max_size=6,
        )
    )
    def check(instants):
        for instant in instants:
            moment = instant.replace(tzinfo=SHANGHAI)
            with time_machine.travel(moment, tick=False):
                assert quotas.window_key(window) == moment.strftime(formats[window])

    check()
