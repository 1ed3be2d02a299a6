"""Issue 14 item 2: the remittance deadline sweep (REG-6), which the ops list runs on every
view, reads only the overdue registrations, by an index on the copy of the
deadline the registration keeps, instead of checking every one that is waiting."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.accounts import services
from miniport.accounts.models import Registration, RegistrationStatus, Remittance

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_registration_keeps_its_remittance_deadline(drive):
    """Issue 14 item 2: the copy equals the remittance's own deadline (which decides)."""
    walk = drive(subject_type="enterprise")
    registration = Registration.objects.get(pk=walk.registration.pk)
    deadline = Remittance.objects.get(registration=registration).deadline
    assert registration.status == RegistrationStatus.PENDING_REMITTANCE
    assert registration.remittance_due == deadline


def test_the_sweep_fails_the_overdue_and_leaves_the_waiting(drive):
    """Issue 14 item 2, REG-6: one overdue, one still inside its ten days."""
    with time_machine.travel(START, tick=False) as traveller:
        early = drive(subject_type="enterprise", email="early@example.com").registration
        traveller.shift(timedelta(days=5))
        late = drive(subject_type="enterprise", email="late@example.com").registration
        traveller.shift(timedelta(days=5, minutes=1))
        assert services.registrations_fail_overdue() == 1
        assert services.registrations_fail_overdue() == 0  # written down once
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == RegistrationStatus.FAILED
    assert late.status == RegistrationStatus.PENDING_REMITTANCE


def test_the_sweep_reads_the_overdue_by_its_index(drive):
    """Issue 14 item 2: one statement when nothing is overdue, and its plan seeks the
    `registration_remittance_due` index (no scan of the registrations)."""
    drive(subject_type="enterprise")
    with CaptureQueriesContext(connection) as captured:
        assert services.registrations_fail_overdue() == 0
    assert len(captured.captured_queries) == 1
    sql = captured.captured_queries[0]["sql"]
    assert "remittance_due" in sql and "accounts_remittance" not in sql
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "registration_remittance_due" in plan
            assert "SCAN accounts_registration" not in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test's table is tiny
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "registration_remittance_due" in plan
