"""The queue over every kind: filters by kind, state and AppID, the longest waiting
first, waiting times from `submitted_at` and the clock, coloured by the policy's
hours (B-4: review-time statistics)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import clock, policy
from miniport.review import selectors, services
from miniport.review.models import Review
from tests.review.support import KIND, open_one

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def opened_at(at, actor, target, appid="wx0000000000000001"):
    with time_machine.travel(at, tick=False):
        return open_one(actor, target=target, appid=appid)


@pytest.fixture
def reviews(calls, developer, alice):
    first = opened_at(T0, developer, "a", appid="wxaaaaaaaaaaaaaaaa")
    second = opened_at(T0 + timedelta(hours=5), developer, "b", appid="wxbbbbbbbbbbbbbbbb")
    third = opened_at(T0 + timedelta(hours=1), developer, "c", appid="wxaaaaaaaaaaaaaaaa")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        services.review_approve(actor=alice, review=third)
    return first, second, third


def test_the_queue_lists_open_reviews_the_longest_waiting_first(reviews):
    first, second, _third = reviews
    assert list(selectors.queue()) == [first, second]


def test_the_queue_filters_by_state_kind_and_appid(reviews):
    first, second, third = reviews
    assert list(selectors.queue(state="approved")) == [third]
    assert list(selectors.queue(state="")) == [first, third, second]
    assert list(selectors.queue(appid="wxaaaaaaaaaaaaaaaa")) == [first]
    assert list(selectors.queue(appid=" wxaaaaaaaaaaaaaaaa ", state="")) == [first, third]
    assert list(selectors.queue(kind=KIND)) == [first, second]
    assert list(selectors.queue(kind="name")) == []


def test_reviews_of_a_kind_nobody_registers_stay_out_of_the_queue(reviews):
    Review.objects.create(kind="gone.kind", target_id="x", submitted_at=clock.now())
    assert {review.kind for review in selectors.queue(state="")} == {KIND}
    assert selectors.review_by_pk(Review.objects.get(kind="gone.kind").pk) is None


def test_waiting_time_runs_from_submission_until_now_or_the_decision(reviews):
    first, _second, third = reviews
    with time_machine.travel(T0 + timedelta(hours=30), tick=False):
        assert selectors.waiting_time(first) == timedelta(hours=30)
        # A decided review waited until its decision, however late one looks.
        assert selectors.waiting_time(Review.objects.get(pk=third.pk)) == timedelta(hours=1)


def test_waiting_times_are_coloured_by_the_policys_hours(reviews):
    warn, due = policy.value("review.sla_warn_hours"), policy.value("review.sla_hours")
    assert selectors.sla_colour(timedelta(hours=warn) - timedelta(minutes=1)) == "ok"
    assert selectors.sla_colour(timedelta(hours=warn)) == "warn"
    assert selectors.sla_colour(timedelta(hours=due)) == "bad"
    first, second, _third = reviews
    with time_machine.travel(T0 + timedelta(hours=due), tick=False):
        rows = selectors.queue_rows(selectors.queue())
    assert [(row.review, row.colour) for row in rows] == [(first, "bad"), (second, "warn")]
    assert rows[0].description.title == "thing a" and rows[0].kind.key == KIND


def test_an_operator_override_moves_the_colours(reviews):
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key="review.sla_warn_hours", value=1)
    assert selectors.sla_colour(timedelta(hours=2)) == "warn"
