"""The kernel's driver-level SQL plumbing (core.hotpath) on SQLite and PostgreSQL alike:
rows by column name, statements inside Django's transactions, datetimes as the ORM
passes them, and answers remembered only while an SQLite database is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from miniport.core import clock, hotpath
from miniport.core.models import QuotaCounter

TABLE = QuotaCounter._meta.db_table
ROW = (
    f"SELECT scope AS counter_scope, used AS counter_used, updated_at AS counter_updated_at "  # noqa: S608
    f"FROM {TABLE} WHERE scope = %s"
)


@pytest.fixture
def counter(db):
    return QuotaCounter.objects.create(
        scope="app:hot", rule="api.demo", window="ever", used=3, updated_at=clock.now()
    )


def test_a_row_comes_back_by_column_name(counter):
    row = hotpath.first_row(ROW, ["app:hot"])
    assert row is not None
    assert (row["counter_scope"], row["counter_used"]) == ("app:hot", 3)
    assert hotpath.aware(row["counter_updated_at"]) == counter.updated_at


def test_no_row_is_none(db):
    assert hotpath.first_row(ROW, ["app:none"]) is None


def test_a_datetime_compares_as_the_orm_compares_it(counter):
    sql = f"SELECT COUNT(*) AS n FROM {TABLE} WHERE updated_at < %s"  # noqa: S608
    later = counter.updated_at + timedelta(microseconds=1)
    assert hotpath.first_row(sql, [hotpath.db_time(later)])["n"] == 1
    assert hotpath.first_row(sql, [hotpath.db_time(counter.updated_at)])["n"] == 0
    assert (
        QuotaCounter.objects.filter(updated_at__lt=later).count()
        == hotpath.first_row(sql, [hotpath.db_time(later)])["n"]
    )


def test_a_naive_datetime_is_read_as_utc():
    assert hotpath.aware("2026-01-02 03:04:05.000006") == datetime(
        2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC
    )


def test_statements_join_the_surrounding_transaction(counter):
    sql = f"UPDATE {TABLE} SET used = used + %s WHERE scope = %s"  # noqa: S608
    with pytest.raises(RuntimeError), transaction.atomic():
        with hotpath.serialized_write():
            assert hotpath.rowcount(sql, [5, "app:hot"]) == 1
        assert hotpath.first_row(ROW, ["app:hot"])["counter_used"] == 8
        raise RuntimeError("roll back")
    counter.refresh_from_db()
    assert counter.used == 3


def test_a_remembered_answer_holds_only_under_its_own_stamp():
    remembered: hotpath.Remembered[str] = hotpath.Remembered(size=2)
    remembered.put("a", ("stamp", 1), "answer")
    assert remembered.get("a", ("stamp", 1)) == "answer"
    assert remembered.get("a", ("stamp", 2)) is None
    assert remembered.get("a", None) is None
    remembered.put("b", None, "not stamped, not kept")
    assert len(remembered) == 1
    remembered.put("b", ("stamp", 1), "b")
    remembered.put("c", ("stamp", 1), "c")  # full: everything before is dropped
    assert len(remembered) == 1
    assert remembered.get("a", ("stamp", 1)) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's change counters")
def test_the_change_stamp_moves_with_every_write_and_is_none_in_a_transaction():
    before = hotpath.change_stamp()
    assert before is not None
    assert hotpath.change_stamp() == before
    QuotaCounter.objects.create(
        scope="app:stamp", rule="api.demo", window="ever", used=1, updated_at=clock.now()
    )
    assert hotpath.change_stamp() != before
    with transaction.atomic():
        assert hotpath.change_stamp() is None


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL has no change counter")
def test_nothing_is_stamped_on_postgresql(db):
    assert hotpath.change_stamp() is None
