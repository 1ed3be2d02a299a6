"""REG-6a: the corporate remittance must arrive within 10 days or the registration fails."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts.errors import AccountError
from miniport.accounts.models import RegistrationHistory, RegistrationStatus
from miniport.accounts.selectors import registration_state
from miniport.accounts.services.information import id_quota_remaining, phone_quota_remaining
from miniport.accounts.services.verification import (
    registration_verify,
    registrations_fail_overdue,
    remittance_overdue,
)
from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.core.services import policy_set_override
from tests.ops.journeys import confirmed_registration

START = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock_at_start():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def waiting(clock_at_start):
    return confirmed_registration(subject_type="enterprise", method="remittance")


def test_the_deadline_is_ten_days_after_the_confirmation(waiting):
    """REG-6: the window comes from the policy table (10 days by default)."""
    assert policy.value("registration.remittance_window_days") == 10
    assert waiting.remittance.deadline == START + timedelta(days=10)
    assert waiting.status == RegistrationStatus.PENDING_REMITTANCE


def test_on_day_nine_the_registration_is_still_waiting_for_its_remittance(waiting, clock_at_start):
    """REG-6: day 9 is inside the window."""
    clock_at_start.shift(timedelta(days=9))
    assert not remittance_overdue(waiting)
    state = registration_state(waiting)
    assert state.status == RegistrationStatus.PENDING_REMITTANCE
    assert state.days_left == 1
    assert registrations_fail_overdue() == 0
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.PENDING_REMITTANCE


def test_one_second_before_the_deadline_it_is_still_pending(waiting, clock_at_start):
    """REG-6: the boundary belongs to the failure, not to the last second before it."""
    clock_at_start.move_to(START + timedelta(days=10) - timedelta(seconds=1))
    assert not remittance_overdue(waiting)
    clock_at_start.move_to(START + timedelta(days=10))
    assert remittance_overdue(waiting)


def test_after_day_ten_the_registration_reads_as_failed_before_any_sweep(waiting, clock_at_start):
    """REG-6 / REG-11: the state is derived from the deadline when read."""
    clock_at_start.shift(timedelta(days=10, seconds=1))
    assert remittance_overdue(waiting)
    state = registration_state(waiting)
    assert state.status == RegistrationStatus.FAILED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.PENDING_REMITTANCE  # not written down yet


def test_the_sweep_persists_the_failure_and_gives_the_id_number_and_phone_places_back(
    waiting, clock_at_start
):
    """REG-6 / REG-5: a failed registration releases its ID-number and phone places."""
    subject = waiting.subject
    id_left = id_quota_remaining(subject.admin_id_digest)
    phone_left = phone_quota_remaining(subject.admin_phone)
    assert id_left == policy.value("registration.id_number_max_miniprograms") - 1
    assert phone_left == policy.value("registration.phone_max_miniprograms") - 1

    clock_at_start.shift(timedelta(days=10, seconds=1))
    assert registrations_fail_overdue() == 1

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.FAILED
    assert waiting.failed_at == START + timedelta(days=10, seconds=1)
    assert waiting.fail_reason
    assert id_quota_remaining(subject.admin_id_digest) == id_left + 1
    assert phone_quota_remaining(subject.admin_phone) == phone_left + 1
    last = RegistrationHistory.objects.filter(registration=waiting).last()
    assert (last.from_status, last.to_status) == (
        RegistrationStatus.PENDING_REMITTANCE,
        RegistrationStatus.FAILED,
    )
    assert AuditEntry.objects.filter(
        action="registration.transition", target_id=str(waiting.pk), actor_kind="system"
    ).exists()
    # A second sweep finds nothing left to do and gives nothing back twice.
    assert registrations_fail_overdue() == 0
    assert id_quota_remaining(subject.admin_id_digest) == id_left + 1


def test_verifying_after_the_deadline_is_refused_with_remittance_expired(waiting, clock_at_start):
    """REG-6: no verification once the 10 days have passed; nothing is verified."""
    clock_at_start.shift(timedelta(days=10, seconds=1))
    with pytest.raises(PlatformError) as refused:
        registration_verify(actor=Actor.system("tests"), registration=waiting, note="late")
    assert refused.value.code is AccountError.REMITTANCE_EXPIRED
    waiting.refresh_from_db()
    assert waiting.status != RegistrationStatus.ACTIVE
    assert waiting.verified_at is None
    assert waiting.remittance.matched_at is None


def test_the_sweep_leaves_certification_registrations_alone(clock_at_start):
    """REG-6: the 10-day window is for the remittance only; certification has none."""
    waiting_certification = confirmed_registration(subject_type="media", method="certification")
    clock_at_start.shift(timedelta(days=30))
    assert registrations_fail_overdue() == 0
    waiting_certification.refresh_from_db()
    assert waiting_certification.status == RegistrationStatus.PENDING_CERTIFICATION


def test_an_operator_window_override_applies_to_new_registrations(clock_at_start):
    """REG-6 / B-8: the window is the policy value in force at the confirmation."""
    policy_set_override(
        actor=Actor.system("tests"), key="registration.remittance_window_days", value=3
    )
    registration = confirmed_registration(subject_type="enterprise", method="remittance")
    assert registration.remittance.deadline == START + timedelta(days=3)
    clock_at_start.shift(timedelta(days=3, seconds=1))
    assert registrations_fail_overdue() == 1
