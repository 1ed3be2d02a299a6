"""REG-7 (and REG-6b): subjects verified by WeChat certification, decided by staff."""

from __future__ import annotations

import pytest

from miniport.accounts.errors import AccountError
from miniport.accounts.models import CertificationOrderStatus, RegistrationStatus, SubjectType
from miniport.accounts.services.information import id_quota_remaining, phone_quota_remaining
from miniport.accounts.services.verification import registration_fail, registration_verify
from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from tests.ops.journeys import confirmed_registration

STAFF = Actor("staff", "1", "operator@miniport.example")
pytestmark = pytest.mark.django_db

CERTIFICATION_ONLY = [SubjectType.GOVERNMENT, SubjectType.MEDIA, SubjectType.OTHER]


@pytest.mark.parametrize("subject_type", CERTIFICATION_ONLY)
def test_government_media_and_other_organizations_wait_for_certification(subject_type):
    """REG-7: these subjects can only be verified by certification, with the fee order open."""
    registration = confirmed_registration(subject_type=subject_type, method="certification")
    assert registration.status == RegistrationStatus.PENDING_CERTIFICATION
    [order] = registration.certification_orders.all()
    assert order.amount_fen == policy.value("registration.certification_fee_fen") == 30000
    assert order.status == CertificationOrderStatus.UNPAID
    assert registration.subject.certified_at is None


@pytest.mark.parametrize("subject_type", CERTIFICATION_ONLY + [SubjectType.ENTERPRISE])
def test_verifying_a_certification_registration_certifies_the_order_and_the_subject(subject_type):
    """REG-7 / REG-6b: staff verification marks the order certified and the subject certified."""
    registration = confirmed_registration(subject_type=subject_type, method="certification")

    registration_verify(actor=STAFF, registration=registration, note="documents checked")

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACTIVE
    assert registration.verified_at is not None
    [order] = registration.certification_orders.all()
    assert order.status == CertificationOrderStatus.CERTIFIED
    assert order.decided_at is not None
    assert order.note == "documents checked"
    assert registration.subject.certified_at == registration.verified_at
    assert registration.subject.miniprogram.is_certified


def test_failing_a_certification_registration_rejects_its_order_and_releases_the_places():
    """REG-7: a refused certification gives the ID-number and phone places back."""
    registration = confirmed_registration(subject_type=SubjectType.MEDIA, method="certification")
    subject = registration.subject
    id_left = id_quota_remaining(subject.admin_id_digest)
    phone_left = phone_quota_remaining(subject.admin_phone)

    registration_fail(
        actor=STAFF, registration=registration, reason="licence does not match the name"
    )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FAILED
    assert registration.fail_reason == "licence does not match the name"
    [order] = registration.certification_orders.all()
    assert order.status == CertificationOrderStatus.REJECTED
    subject.refresh_from_db()
    assert subject.certified_at is None
    assert id_quota_remaining(subject.admin_id_digest) == id_left + 1
    assert phone_quota_remaining(subject.admin_phone) == phone_left + 1


def test_failing_needs_a_reason_and_a_refusal_changes_nothing():
    """REG-7: the reason is what the registrant reads; without it nothing happens."""
    registration = confirmed_registration(
        subject_type=SubjectType.GOVERNMENT, method="certification"
    )
    with pytest.raises(PlatformError) as refused:
        registration_fail(actor=STAFF, registration=registration, reason="   ")
    assert refused.value.code is CoreError.FIELD_REQUIRED
    assert refused.value.field == "reason"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_CERTIFICATION
    assert registration.certification_orders.get().status == CertificationOrderStatus.UNPAID


def test_a_certified_registration_cannot_be_verified_twice():
    """REG-7: an active registration has no decision left; the order stays as decided."""
    registration = confirmed_registration(subject_type=SubjectType.OTHER, method="certification")
    registration_verify(actor=STAFF, registration=registration)
    registration.refresh_from_db()
    certified_at = registration.subject.certified_at
    moves = registration.history.count()

    with pytest.raises(PlatformError) as refused:
        registration_verify(actor=STAFF, registration=registration, note="again")

    assert refused.value.code is AccountError.REGISTRATION_STATE_INVALID
    registration.refresh_from_db()
    assert registration.subject.certified_at == certified_at
    assert registration.certification_orders.get().note == ""
    assert registration.history.count() == moves
