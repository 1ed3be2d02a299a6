"""REG-6 / REG-7: staff verify or fail a registration by hand from its page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    CertificationOrderStatus,
    RegistrationHistory,
    RegistrationStatus,
)
from miniport.core.models import AuditEntry

pytestmark = pytest.mark.django_db
START = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def detail(client, registration):
    return client.get(reverse("ops:registration_detail", args=[registration.pk]))


def verify(client, registration, note=""):
    return client.post(reverse("ops:registration_verify", args=[registration.pk]), {"note": note})


def fail(client, registration, reason=""):
    return client.post(reverse("ops:registration_fail", args=[registration.pk]), {"reason": reason})


def frozen(registration) -> dict:
    registration.refresh_from_db()
    return {
        "status": registration.status,
        "verified_at": registration.verified_at,
        "failed_at": registration.failed_at,
        "fail_reason": registration.fail_reason,
        "history": registration.history.count(),
        "orders": list(registration.certification_orders.values_list("status", "note")),
        "certified_at": registration.subject.certified_at,
        "audit": AuditEntry.objects.count(),
    }


def test_the_page_shows_subject_administrator_remittance_and_history(
    staff_client, remittance_registration
):
    """REG-11: everything staff need to decide, with the ID number and phone masked."""
    subject = remittance_registration.subject
    remittance = remittance_registration.remittance
    html = detail(staff_client, remittance_registration).content.decode()
    assert subject.name in html
    assert subject.credit_code in html
    assert subject.admin_name in html
    assert subject.admin_id_number not in html
    assert subject.admin_id_number[:3] + "*" * 11 + subject.admin_id_number[-4:] in html
    assert subject.admin_phone not in html
    assert remittance.reference in html
    assert f"{remittance.amount_fen / 100:.2f}" in html
    assert 'data-testid="history"' in html
    assert RegistrationHistory.objects.filter(
        registration=remittance_registration
    ).count() == html.count("<tr><td>20")


def test_the_page_shows_the_certification_order(staff_client, certification_registration):
    """REG-7: the 300 CNY order and its status."""
    order = certification_registration.certification_orders.get()
    html = detail(staff_client, certification_registration).content.decode()
    assert f'data-order="{order.pk}"' in html
    assert "300.00" in html


def test_an_unknown_registration_is_not_found(staff_client):
    assert staff_client.get(reverse("ops:registration_detail", args=[999999])).status_code == 404
    assert verify(staff_client, type("R", (), {"pk": 999999})()).status_code == 404


def test_staff_verify_a_remittance_registration_with_a_note(
    staff_client, staff, remittance_registration
):
    """REG-6: the remittance was seen by hand; the registration becomes active."""
    response = verify(staff_client, remittance_registration, note="seen on the bank portal")
    assert response.status_code == 302
    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.ACTIVE
    assert remittance_registration.verified_at is not None
    assert remittance_registration.remittance.matched_at is not None
    last = remittance_registration.history.last()
    assert (last.to_status, last.actor_label, last.note) == (
        "active",
        staff.email,
        "seen on the bank portal",
    )
    entry = AuditEntry.objects.filter(action="registration.transition").last()
    assert (entry.actor_kind, entry.actor_id) == ("staff", str(staff.pk))


def test_staff_verify_a_certification_registration(staff_client, certification_registration):
    """REG-7: verification marks the order certified and the subject certified."""
    verify(staff_client, certification_registration)
    certification_registration.refresh_from_db()
    assert certification_registration.status == RegistrationStatus.ACTIVE
    assert certification_registration.subject.certified_at is not None
    assert (
        certification_registration.certification_orders.get().status
        == CertificationOrderStatus.CERTIFIED
    )


def test_staff_fail_a_registration_with_a_reason(staff_client, certification_registration):
    """REG-7: the reason is stored and shown."""
    response = fail(staff_client, certification_registration, reason="licence expired")
    assert response.status_code == 302
    certification_registration.refresh_from_db()
    assert certification_registration.status == RegistrationStatus.FAILED
    assert certification_registration.fail_reason == "licence expired"
    assert "licence expired" in detail(staff_client, certification_registration).content.decode()


def test_failing_without_a_reason_is_refused_and_changes_nothing(
    staff_client, remittance_registration
):
    before = frozen(remittance_registration)
    response = fail(staff_client, remittance_registration, reason="")
    assert response.status_code == 400
    assert 'data-testid="history"' in response.content.decode()
    assert frozen(remittance_registration) == before


def test_verifying_an_active_registration_is_refused_and_changes_nothing(
    staff_client, registration_factory
):
    """Illegal move: an active registration has no verification left."""
    active = registration_factory(subject_type="personal")
    before = frozen(active)
    response = verify(staff_client, active, note="again")
    assert response.status_code == 400
    message = AccountError.REGISTRATION_STATE_INVALID.message("zh-hans", state="active")
    assert message in response.content.decode()
    assert frozen(active) == before


def test_failing_a_failed_registration_is_refused_and_changes_nothing(
    staff_client, certification_registration
):
    fail(staff_client, certification_registration, reason="first decision")
    before = frozen(certification_registration)
    response = fail(staff_client, certification_registration, reason="second decision")
    assert response.status_code == 400
    assert (
        AccountError.REGISTRATION_STATE_INVALID.message("zh-hans", state="failed")
        in response.content.decode()
    )
    assert frozen(certification_registration) == before


def test_verifying_after_the_deadline_shows_the_expiry_and_verifies_nothing(
    staff_client, registration_factory
):
    """REG-6: after day 10 the page reads failed and verification is refused."""
    with time_machine.travel(START, tick=False) as traveller:
        registration = registration_factory(subject_type="enterprise", method="remittance")
        traveller.shift(timedelta(days=10, seconds=1))
        page = detail(staff_client, registration).content.decode()
        assert 'data-status="failed"' in page
        assert 'data-testid="overdue"' in page
        assert reverse("ops:registration_verify", args=[registration.pk]) not in page

        response = verify(staff_client, registration, note="too late")
    assert response.status_code == 400
    assert AccountError.REMITTANCE_EXPIRED.message("zh-hans") in response.content.decode()
    registration.refresh_from_db()
    assert registration.status != RegistrationStatus.ACTIVE
    assert registration.verified_at is None


def test_the_page_speaks_english_when_asked(staff_client, remittance_registration):
    response = staff_client.get(
        reverse("ops:registration_detail", args=[remittance_registration.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Corporate remittance" in response.content.decode()
