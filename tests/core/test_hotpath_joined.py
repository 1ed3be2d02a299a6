"""core.hotpath.Joined on SQLite and PostgreSQL alike: one driver statement builds the
instances `select_related(...).first()` builds (every column through the ORM's
converters, related instances cached, a null link cached as None), new ones on every
build, and counts as one query where Django counts them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from miniport.core import clock, hotpath
from miniport.core.models import Delivery, DeliveryAttempt, OutboxEvent
from miniport.identities.models import Identity, QrTicket

TICKETS = hotpath.Joined(
    QrTicket, ("expected_identity", "confirmed_by"), by="purpose", order_by="-id"
)
ATTEMPTS = hotpath.Joined(DeliveryAttempt, ("delivery__event",), by="delivery", order_by="-number")

pytestmark = pytest.mark.django_db


def columns(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@pytest.fixture
def tickets():
    now = clock.now()
    alice = Identity.objects.create(
        wechat_id="alice", nickname="Alice", birth_date=date(1990, 2, 3),
        real_name_verified=True, created_at=now,
    )  # fmt: skip
    made = [
        QrTicket.objects.create(
            token=f"t{n}",
            purpose="joined",
            session_digest="s" * 64,
            confirmed_by=alice,
            requirements={"adult": True, "n": n},
            payload={"items": [1, 2.5, "三"]},
            created_at=now,
            expires_at=now + timedelta(minutes=5),
        )  # fmt: skip
        for n in range(3)
    ]
    return made


def orm_ticket():
    return (
        QrTicket.objects.select_related("expected_identity", "confirmed_by")
        .filter(purpose="joined")
        .order_by("-id")
        .first()
    )


def test_the_instances_are_the_ones_select_related_builds(tickets):
    built = TICKETS.build(TICKETS.first("joined"))
    stored = orm_ticket()
    assert built.pk == tickets[-1].pk == stored.pk
    assert columns(built) == columns(stored)
    assert columns(built.confirmed_by) == columns(stored.confirmed_by)
    assert built.confirmed_by.birth_date == date(1990, 2, 3)
    assert built.created_at.tzinfo is not None
    assert not built._state.adding and built._state.db == stored._state.db


def test_a_null_link_is_cached_as_none_and_a_set_one_without_a_query(
    tickets, django_assert_num_queries
):
    built = TICKETS.build(TICKETS.first("joined"))
    with django_assert_num_queries(0):
        assert built.expected_identity is None
        assert built.confirmed_by.wechat_id == "alice"


def test_a_nested_link_joins_its_parent_too():
    now = clock.now()
    event = OutboxEvent.objects.create(kind="demo.joined", payload={"a": [1]}, created_at=now)
    delivery = Delivery.objects.create(event=event, route="demo", max_attempts=3, created_at=now)
    for number in (1, 2):
        DeliveryAttempt.objects.create(
            delivery=delivery, number=number, started_at=now, duration_ms=number
        )
    built = ATTEMPTS.build(ATTEMPTS.first(delivery.pk))
    stored = (
        DeliveryAttempt.objects.select_related("delivery__event")
        .filter(delivery=delivery)
        .order_by("-number")
        .first()
    )
    assert built.number == 2
    assert columns(built) == columns(stored)
    assert columns(built.delivery) == columns(stored.delivery)
    assert columns(built.delivery.event) == columns(stored.delivery.event)


def test_no_row_is_none(db):
    assert TICKETS.first("nothing") is None


def test_every_build_makes_new_instances_and_values(tickets):
    row = TICKETS.first("joined")
    first = TICKETS.build(row)
    first.payload["items"].append("changed")
    first.requirements["adult"] = False
    first.confirmed_by.nickname = "changed"
    second = TICKETS.build(row)
    assert second is not first and second.confirmed_by is not first.confirmed_by
    assert second.payload == {"items": [1, 2.5, "三"]}
    assert second.requirements == {"adult": True, "n": 2}
    assert second.confirmed_by.nickname == "Alice"


def test_the_statement_counts_as_one_query(tickets):
    with CaptureQueriesContext(connection) as queries:
        TICKETS.first("joined")
    assert len(queries) == 1
    assert queries[0]["sql"] == TICKETS.sql


def test_init_signal_receivers_see_every_instance(tickets):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=QrTicket)
    try:
        built = TICKETS.build(TICKETS.first("joined"))
    finally:
        post_init.disconnect(receiver, sender=QrTicket)
    assert seen == [built]
    assert columns(built) == columns(orm_ticket())
