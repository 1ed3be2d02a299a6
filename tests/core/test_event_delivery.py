"""The outbox: events reach subscribers after commit, and failed deliveries are retried
with backoff by the worker's sweep."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from miniport.core import clock, events, policy
from miniport.core.models import OutboxEvent

KIND = "tests.something_happened"
START = datetime(2024, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Recorder:
    """A subscriber that remembers what it saw and fails while told to."""

    def __init__(self, failing: bool = False) -> None:
        self.failing = failing
        self.seen: list[tuple[int, dict]] = []

    def __call__(self, event: OutboxEvent) -> None:
        self.seen.append((event.pk, event.payload))
        if self.failing:
            raise ConnectionError("webhook unreachable")


@pytest.fixture
def subscriber():
    recorder = Recorder()
    events.subscribe(KIND, recorder)
    yield recorder
    events.unsubscribe(KIND, recorder)


@pytest.mark.django_db(transaction=True)
def test_an_event_emitted_in_a_transaction_reaches_subscribers_only_after_commit(subscriber):
    with transaction.atomic():
        event = events.emit(KIND, {"appid": "wx1", "when": START}, appid="wx1")
        assert subscriber.seen == []
    assert subscriber.seen == [(event.pk, {"appid": "wx1", "when": START.isoformat()})]
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert event.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_an_event_of_a_rolled_back_transaction_is_neither_stored_nor_delivered(subscriber):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(KIND, {"n": 1})
        raise RuntimeError("the action failed")
    assert subscriber.seen == []
    assert not OutboxEvent.objects.filter(kind=KIND).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_leaves_the_event_undelivered_and_scheduled_for_retry(subscriber):
    subscriber.failing = True
    with time_machine.travel(START, tick=False):
        with transaction.atomic():
            event = events.emit(KIND, {"n": 1})
        event.refresh_from_db()
    assert len(subscriber.seen) == 1
    assert event.delivered_at is None
    assert event.attempts == 1
    assert event.next_attempt_at == START + timedelta(seconds=events.backoff_seconds(1))
    assert "webhook unreachable" in event.last_error


@pytest.mark.django_db(transaction=True)
def test_the_sweep_retries_only_after_the_backoff_and_then_delivers(subscriber):
    subscriber.failing = True
    with time_machine.travel(START, tick=False) as traveller:
        with transaction.atomic():
            event = events.emit(KIND, {"n": 1})
        first_wait = events.backoff_seconds(1)
        traveller.shift(timedelta(seconds=first_wait - 1))
        assert events.deliver_pending() == 0
        assert len(subscriber.seen) == 1  # not retried before its time

        traveller.shift(timedelta(seconds=1))
        assert events.deliver_pending() == 0  # retried, failed again: the wait grows
        event.refresh_from_db()
        assert len(subscriber.seen) == 2
        assert event.attempts == 2
        assert event.next_attempt_at == clock.now() + timedelta(seconds=events.backoff_seconds(2))
        assert events.backoff_seconds(2) > first_wait

        subscriber.failing = False
        traveller.shift(timedelta(seconds=events.backoff_seconds(2)))
        assert events.deliver_pending() == 1
        event.refresh_from_db()
    assert len(subscriber.seen) == 3
    assert event.delivered_at is not None
    assert event.attempts == 3
    assert events.deliver_pending() == 0  # a delivered event is never sent again


@pytest.mark.django_db
def test_the_backoff_doubles_and_stops_growing_at_the_policy_maximum():
    cap = policy.value("events.retry_max_backoff_seconds")
    waits = [events.backoff_seconds(n) for n in range(1, 40)]
    assert waits[:3] == [2, 4, 8]
    assert waits == sorted(waits)
    assert max(waits) == cap


@pytest.mark.django_db
def test_an_event_being_delivered_is_not_taken_by_a_second_deliverer(subscriber):
    """The after-commit delivery and the sweep can meet; the lease lets only one run. A
    deliverer that died holding the lease leaves the event to the sweep once it ends."""
    with time_machine.travel(START, tick=False) as traveller:
        event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
        assert events._claim(event.pk) is not None
        assert events.deliver(event.pk) is False
        assert events.deliver_pending() == 0
        assert subscriber.seen == []
        traveller.shift(timedelta(seconds=policy.value("events.delivery_lease_seconds")))
        assert events.deliver_pending() == 1
    assert subscriber.seen == [(event.pk, {})]
