"""B-6, VER-5: events reach their receivers through workers, never through the web
request; many at a time, so one slow or dead receiver never delays the others; each
attempt is logged; failures are retried with exponential backoff until the policy's
attempts are used, then the delivery is failed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from miniport.core import deliveries, events, outbound, policy
from miniport.core.models import Delivery, DeliveryAttempt, DeliveryState, OutboxEvent
from tests.core.deliveries_receivers import dead_url, start_receiver

KIND = "tests.delivered_thing"
START = datetime(2024, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def post_to_recipient(job: deliveries.Job) -> deliveries.Sent:
    """A route handler that POSTs the event to the URL its recipient names."""
    try:
        answer = outbound.post(job.recipient, body=b'{"n": 1}', timeout=10)
    except outbound.OutboundFailed as failure:
        raise deliveries.DeliveryFailed(failure.reason)
    if answer.status >= 300:
        raise deliveries.DeliveryFailed(f"HTTP {answer.status}", status_code=answer.status)
    return deliveries.Sent(status_code=answer.status)


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def route_to():
    """Register a test route delivering `KIND` to the given URLs; removed afterwards."""
    names = []

    def register(*urls: str, name: str = "tests.post") -> None:
        deliveries.register(name, KIND, post_to_recipient, recipients=lambda event: list(urls))
        names.append(name)

    yield register
    for name in names:
        deliveries.unregister(name)


class Calls:
    def __init__(self):
        self.jobs: list[deliveries.Job] = []
        self.failing = False

    def __call__(self, job):
        self.jobs.append(job)
        if self.failing:
            raise deliveries.DeliveryFailed("receiver said no", status_code=503)


@pytest.fixture
def calls():
    recorder = Calls()
    deliveries.register("tests.calls", f"{KIND}|tests.other_*", recorder)
    yield recorder
    deliveries.unregister("tests.calls")


@pytest.mark.django_db(transaction=True)
def test_an_emitted_event_is_fanned_out_but_no_handler_runs_in_the_request(calls):
    """B-6: the change's commit writes the delivery rows; the outbound work waits for a
    worker (here: one sweep of the worker's pool)."""
    with transaction.atomic():
        event = events.emit(KIND, {"appid": "wx1"}, appid="wx1")
    delivery = Delivery.objects.get(event=event)
    assert (delivery.route, delivery.state, delivery.attempts) == ("tests.calls", "pending", 0)
    assert delivery.appid == "wx1"
    assert calls.jobs == []

    pool = deliveries.Pool(2)
    try:
        assert pool.sweep() == 1
        pool.wait(10)
    finally:
        pool.close()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.finished_at is not None
    assert [job.event.pk for job in calls.jobs] == [event.pk]


@pytest.mark.django_db
def test_routes_match_event_names_by_pattern_and_alternatives(calls):
    assert [r.name for r in deliveries.routes_for(KIND) if r.name == "tests.calls"]
    assert [r.name for r in deliveries.routes_for("tests.other_x") if r.name == "tests.calls"]
    assert not [r.name for r in deliveries.routes_for("tests.unrelated") if r.name == "tests.calls"]


@pytest.mark.django_db
def test_a_repeated_fan_out_of_one_event_adds_no_second_delivery(route_to):
    route_to("http://a.example/1", "http://b.example/2")
    event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
    first = deliveries.fan_out(event)
    assert len(first) == 2
    assert deliveries.fan_out(event) == first
    assert Delivery.objects.filter(event=event).count() == 2
    assert set(Delivery.objects.values_list("recipient", flat=True)) == {
        "http://a.example/1",
        "http://b.example/2",
    }


@pytest.mark.django_db
def test_registering_another_route_under_a_taken_name_is_refused(calls):
    with pytest.raises(ValueError, match="registered twice"):
        deliveries.register("tests.calls", "other.*", calls)


@pytest.mark.django_db(transaction=True)
def test_a_slow_receiver_does_not_delay_a_fast_one(receiver, route_to):
    """B-6 / DESIGN: no head-of-line blocking. Real threads on loopback: the slow receiver
    answers after 3 s, the fast one at once; the fast delivery is done long before."""
    receiver.behaviour["/slow"] = (3.0, 200, b"success")
    # The slow receiver first, so a one-at-a-time worker would have to wait for it.
    route_to(receiver.url + "/slow", name="tests.slow")
    route_to(receiver.url + "/fast", name="tests.fast")
    with transaction.atomic():
        events.emit(KIND, {"n": 1})
    slow = Delivery.objects.get(route="tests.slow")
    fast = Delivery.objects.get(route="tests.fast")
    assert slow.pk < fast.pk

    pool = deliveries.Pool(4)
    try:
        began = time.monotonic()
        assert pool.sweep() == 2
        deadline = began + 2.0
        while time.monotonic() < deadline:
            fast.refresh_from_db()
            if fast.state == DeliveryState.DELIVERED:
                break
            time.sleep(0.02)
        fast_done = time.monotonic() - began
        slow.refresh_from_db()
        assert fast.state == DeliveryState.DELIVERED, "the fast delivery waited"
        assert fast_done < 1.5
        assert slow.state == DeliveryState.PENDING  # still in the slow receiver's hands
        assert pool.in_flight() == 1
        assert pool.sweep() == 0  # a delivery in flight is not started twice
        pool.wait(15)
    finally:
        pool.close()
    slow.refresh_from_db()
    assert slow.state == DeliveryState.DELIVERED
    slow_attempt = DeliveryAttempt.objects.get(delivery=slow)
    fast_attempt = DeliveryAttempt.objects.get(delivery=fast)
    assert slow_attempt.duration_ms >= 2900
    assert fast_attempt.duration_ms < 1000
    assert (fast_attempt.status_code, fast_attempt.error) == (200, "")
    assert receiver.at("/fast")[0].at < receiver.at("/slow")[0].at + 3.0


@pytest.mark.django_db
def test_failed_attempts_back_off_exponentially_and_each_is_logged(calls):
    """B-6: every attempt is a row of the delivery log (number, status, duration, error,
    next retry); the waits double from the policy's base up to its cap."""
    calls.failing = True
    with time_machine.travel(START, tick=False) as traveller:
        event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
        (pk,) = deliveries.fan_out(event)
        assert deliveries.run(pk) is False
        first_wait = deliveries.backoff_seconds(1)
        traveller.shift(timedelta(seconds=first_wait - 1))
        assert deliveries.run(pk) is None  # not due before its backoff
        traveller.shift(timedelta(seconds=1))
        assert deliveries.run(pk) is False
        delivery = Delivery.objects.get(pk=pk)
        assert delivery.attempts == 2 and delivery.state == DeliveryState.PENDING
        assert delivery.next_attempt_at == START + timedelta(
            seconds=first_wait + deliveries.backoff_seconds(2)
        )
        log = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.number for a in log] == [1, 2]
    assert [a.status_code for a in log] == [503, 503]
    assert all(a.error == "receiver said no" for a in log)
    assert log[0].next_retry_at == START + timedelta(seconds=first_wait)
    assert log[1].next_retry_at == delivery.next_attempt_at
    base = policy.value("deliveries.retry_base_seconds")
    assert [deliveries.backoff_seconds(n) for n in (1, 2, 3)] == [base, 2 * base, 4 * base]
    assert deliveries.backoff_seconds(60) == policy.value("deliveries.retry_max_backoff_seconds")


@pytest.mark.django_db(transaction=True)
def test_a_dead_receiver_ends_failed_after_the_policys_attempts(receiver, route_to):
    """B-6: a receiver that never answers is tried `deliveries.max_attempts` times, each
    logged, and the delivery is failed with no further retry."""
    route_to(dead_url())
    attempts = policy.value("deliveries.max_attempts")
    with time_machine.travel(START, tick=False) as traveller:
        with transaction.atomic():
            events.emit(KIND, {"n": 1})
        delivery = Delivery.objects.get(route="tests.post")
        for number in range(1, attempts + 1):
            assert deliveries.run(delivery.pk) is False, number
            traveller.shift(timedelta(seconds=deliveries.backoff_seconds(number)))
        assert deliveries.run(delivery.pk) is None  # failed: never tried again
        assert deliveries.due_ids() == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == attempts and delivery.next_attempt_at is None
    assert "could not be reached" in delivery.last_error
    log = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.number for a in log] == list(range(1, attempts + 1))
    assert log[-1].next_retry_at is None
    assert all(a.next_retry_at is not None for a in log[:-1])


@pytest.mark.django_db
def test_a_final_failure_ends_the_delivery_at_once(calls):
    def gone(job):
        raise deliveries.DeliveryFailed("the receiver was removed", final=True)

    deliveries.register("tests.gone", KIND, gone)
    try:
        event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
        deliveries.fan_out(event)
        delivery = Delivery.objects.get(route="tests.gone")
        assert deliveries.run(delivery.pk) is False
    finally:
        deliveries.unregister("tests.gone")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 1)


@pytest.mark.django_db
def test_a_delivery_being_attempted_is_not_taken_by_a_second_worker(calls):
    """The lease: a worker that died mid-attempt leaves the delivery to others once the
    lease ends, and that attempt counts."""
    with time_machine.travel(START, tick=False) as traveller:
        event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
        (pk,) = deliveries.fan_out(event)
        assert deliveries._claim(pk) is not None  # a worker took it and died
        assert deliveries.run(pk) is None
        assert deliveries.due_ids() == []
        traveller.shift(timedelta(seconds=policy.value("deliveries.lease_seconds")))
        assert deliveries.run(pk) is True
    delivery = Delivery.objects.get(pk=pk)
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)
    assert len(calls.jobs) == 1 and calls.jobs[0].attempt == 2


@pytest.mark.django_db
def test_a_handler_that_raises_anything_is_retried_not_lost(calls):
    def broken(job):
        raise KeyError("bug")

    deliveries.register("tests.broken", KIND, broken)
    try:
        event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
        deliveries.fan_out(event)
        delivery = Delivery.objects.get(route="tests.broken")
        assert deliveries.run(delivery.pk) is False
    finally:
        deliveries.unregister("tests.broken")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and "KeyError" in delivery.last_error


@pytest.mark.django_db
def test_a_delivery_of_a_route_no_longer_registered_fails_and_says_so():
    event = OutboxEvent.objects.create(kind=KIND, payload={}, created_at=START)
    delivery = Delivery.objects.create(
        event=event, route="tests.vanished", max_attempts=3, next_attempt_at=START, created_at=START
    )
    assert deliveries.run(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "no delivery route" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_attempts_the_due_deliveries_on_its_thread_pool(calls, capsys):
    """DESIGN "Background work": `miniport worker` (what `make run` starts beside the web
    server) runs the same task function on its pool."""
    import argparse

    from miniport.cli.worker import cmd_worker

    with transaction.atomic():
        event = events.emit(KIND, {"n": 1})
    assert calls.jobs == []
    args = argparse.Namespace(once=True, interval=5.0, poll=1.0, threads=2)
    assert cmd_worker(args) == 0
    assert [job.event.pk for job in calls.jobs] == [event.pk]
    assert "attempted 1 deliveries" in capsys.readouterr().out
    assert Delivery.objects.get(event=event).state == DeliveryState.DELIVERED
