"""B-6, VER-5, DESIGN "Background work": with a Celery broker configured, the same
delivery task functions run in Celery workers, many at a time, against the machine's
Redis (127.0.0.1:6379). Skipped only when that Redis does not answer on a developer's
machine; in CI (CI=true) a missing Redis fails the test instead."""

from __future__ import annotations

import os
import time

import pytest
import redis
from django.db import transaction

from miniport.core import deliveries, events
from miniport.core.models import Delivery, DeliveryState
from tests.core.deliveries_receivers import start_receiver
from tests.core.test_deliveries import KIND, post_to_recipient

REDIS_URL = os.environ.get("MINIPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Celery keeps its queue declarations once made: one queue for every test of the run.
QUEUE = f"miniport-tests-{os.getpid()}"


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_app(settings):
    if not _redis_answers():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_URL} does not answer: CI must run this test")
        pytest.skip(f"Redis at {REDIS_URL} does not answer on this machine")
    from celery.contrib.testing.worker import start_worker

    from miniport.celery import app

    saved = {key: app.conf.get(key) for key in ("broker_url", "task_default_queue")}
    app.conf.broker_url = REDIS_URL
    app.conf.task_default_queue = QUEUE
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)  # nothing left from an earlier run
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.MINIPORT_DELIVERY_DISPATCHER = "miniport.celery.dispatch"
    with start_worker(
        app, pool="threads", concurrency=4, perform_ping_check=False, shutdown_timeout=20
    ):
        yield app
    app.conf.update(saved)


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def _wait_for(predicate, seconds: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if predicate():
            return time.monotonic() - began
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_celery_workers_deliver_many_at_once_so_a_slow_receiver_delays_no_one(celery_app, receiver):
    """B-6: the event's deliveries are queued at fan-out and run by Celery's workers; the
    fast receiver gets its delivery while the slow one is still answering."""
    receiver.behaviour["/slow"] = (3.0, 200, b"success")
    for name, path in (("tests.celery.slow", "/slow"), ("tests.celery.fast", "/fast")):
        deliveries.register(
            name,
            KIND,
            post_to_recipient,
            recipients=lambda event, path=path: [receiver.url + path],
        )
    try:
        with transaction.atomic():
            events.emit(KIND, {"n": 1})
        fast = Delivery.objects.get(route="tests.celery.fast")
        slow = Delivery.objects.get(route="tests.celery.slow")

        def delivered(delivery):
            delivery.refresh_from_db()
            return delivery.state == DeliveryState.DELIVERED

        fast_after = _wait_for(lambda: delivered(fast), 10)
        assert not delivered(slow)
        assert fast_after < 2.5
        _wait_for(lambda: delivered(slow), 15)
    finally:
        deliveries.unregister("tests.celery.slow")
        deliveries.unregister("tests.celery.fast")
    assert len(receiver.at("/fast")) == 1 and len(receiver.at("/slow")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_celery_sweep_queues_the_retries_whose_backoff_has_passed(celery_app, receiver):
    """A delivery that failed waits for its backoff; the sweep task then queues it again."""
    receiver.behaviour["/flaky"] = (0.0, 503, b"busy")
    deliveries.register(
        "tests.celery.flaky",
        KIND,
        post_to_recipient,
        recipients=lambda event: [receiver.url + "/flaky"],
    )
    try:
        with transaction.atomic():
            events.emit(KIND, {"n": 2})
        delivery = Delivery.objects.get(route="tests.celery.flaky")

        def attempted(count):
            delivery.refresh_from_db()
            return delivery.attempts == count and delivery.next_attempt_at is not None

        _wait_for(lambda: attempted(1) and delivery.last_status == 503, 10)
        receiver.behaviour["/flaky"] = (0.0, 200, b"success")
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
        from miniport.celery import sweep

        sweep.delay()  # what the beat schedules every few seconds
        _wait_for(lambda: Delivery.objects.get(pk=delivery.pk).state == "delivered", 10)
    finally:
        deliveries.unregister("tests.celery.flaky")
