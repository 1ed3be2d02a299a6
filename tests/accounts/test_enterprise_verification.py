"""REG-6: enterprises and individual businesses verify their subject by corporate
remittance (amount and receiving account shown after submission, 10 days, then failed)
or by certification (a 300 CNY order, waiting for certification)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    CertificationOrder,
    CertificationOrderStatus,
    RegistrationStatus,
    Remittance,
    Subject,
    VerificationMethod,
)
from miniport.accounts.selectors import registration_state
from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import PolicyOverride

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
REMITTING = ["enterprise", "individual_business"]


def expect(code, call, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    return caught.value


@pytest.mark.parametrize("subject_type", REMITTING)
def test_nothing_is_to_be_remitted_before_the_subject_is_submitted(drive, subject_type):
    """REG-6: the remittance details exist only after submission."""
    walk = drive("checked", subject_type=subject_type)
    assert Remittance.objects.count() == 0
    assert registration_state(walk.registration).remittance is None


@pytest.mark.parametrize("subject_type", REMITTING)
def test_after_submission_the_amount_and_the_receiving_account_are_shown(
    drive, settings, subject_type
):
    """REG-6: a random small amount, the platform's receiving account from the settings, and
    the subject's name as the expected payer."""
    settings.REMITTANCE_ACCOUNT_NAME = "Harbour Receiving Co."
    settings.REMITTANCE_ACCOUNT_NUMBER = "6222 1111 2222 3333"
    settings.REMITTANCE_BANK = "Harbour Bank, Qianhai Branch"
    walk = drive(subject_type=subject_type)
    assert walk.registration.status == RegistrationStatus.PENDING_REMITTANCE
    remittance = Remittance.objects.get(registration=walk.registration)
    assert 1 <= remittance.amount_fen <= 99
    assert remittance.payer_name == walk.data["name"]
    assert re.fullmatch(r"MP\d{8}", remittance.reference)
    shown = registration_state(walk.registration).remittance
    assert (shown.account_name, shown.account_number, shown.bank) == (
        "Harbour Receiving Co.",
        "6222 1111 2222 3333",
        "Harbour Bank, Qianhai Branch",
    )
    assert shown.amount_fen == remittance.amount_fen and shown.reference == remittance.reference


def test_the_remittance_amount_range_follows_the_policy_rows(drive):
    """REG-6: operators set the range of the random amount."""
    PolicyOverride.objects.create(key="registration.remittance_amount_min_fen", value=42)
    PolicyOverride.objects.create(key="registration.remittance_amount_max_fen", value=42)
    policy.forget_cached()
    walk = drive(subject_type="enterprise")
    assert Remittance.objects.get(registration=walk.registration).amount_fen == 42


def test_the_remittance_is_due_ten_days_after_submission(drive):
    """REG-6: "complete the remittance within 10 days"."""
    with time_machine.travel(START, tick=False):
        walk = drive(subject_type="enterprise")
        assert Remittance.objects.get(registration=walk.registration).deadline == START + timedelta(
            days=10
        )
        state = registration_state(walk.registration)
        assert state.deadline == START + timedelta(days=10) and state.days_left == 10


def test_a_remittance_is_still_awaited_a_minute_before_the_deadline(drive):
    """REG-6: the tenth day is still in time."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type="enterprise")
        traveller.shift(timedelta(days=10) - timedelta(minutes=1))
        state = registration_state(walk.registration)
        assert state.status == RegistrationStatus.PENDING_REMITTANCE and state.days_left == 1
        services.registration_verify(actor=Actor.system("tests"), registration=walk.registration)
        assert registration_state(walk.registration).status == RegistrationStatus.ACTIVE


@pytest.mark.parametrize("subject_type", REMITTING)
def test_a_remittance_not_received_within_ten_days_fails_the_registration(drive, subject_type):
    """REG-6: at the deadline the registration reads as failed; the sweep writes it down and a
    late verification is refused."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type=subject_type)
        traveller.shift(timedelta(days=10))
        state = registration_state(walk.registration)
        assert state.status == RegistrationStatus.FAILED and state.is_overdue
        assert services.registrations_fail_overdue() == 1
        registration = walk.registration
        assert registration.status == RegistrationStatus.FAILED
        assert registration.failed_at == START + timedelta(days=10)
        expect(
            AccountError.REGISTRATION_STATE_INVALID,
            services.registration_verify,
            actor=Actor.system("tests"),
            registration=registration,
        )


def test_verifying_an_overdue_remittance_fails_it_instead(drive):
    """REG-6: the deadline holds even when the sweep has not run yet."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type="enterprise")
        traveller.shift(timedelta(days=11))
        expect(
            AccountError.REMITTANCE_EXPIRED,
            services.registration_verify,
            actor=Actor.system("tests"),
            registration=walk.registration,
        )
        assert walk.registration.status == RegistrationStatus.FAILED


@pytest.mark.parametrize("subject_type", REMITTING)
def test_certification_gives_a_300_yuan_order_and_waits_for_certification(drive, subject_type):
    """REG-6: the second way costs 300 CNY; until certified the mini program waits."""
    walk = drive(subject_type=subject_type, verification_method=VerificationMethod.CERTIFICATION)
    assert walk.registration.status == RegistrationStatus.PENDING_CERTIFICATION
    order = CertificationOrder.objects.get(registration=walk.registration)
    assert order.amount_fen == 30000 and order.status == CertificationOrderStatus.UNPAID
    assert Remittance.objects.count() == 0
    assert Subject.objects.get(registration=walk.registration).is_certified is False


def test_the_certification_fee_follows_the_policy_row(drive):
    """REG-6: the fee is a policy row."""
    PolicyOverride.objects.create(key="registration.certification_fee_fen", value=19900)
    policy.forget_cached()
    walk = drive(subject_type="enterprise", verification_method=VerificationMethod.CERTIFICATION)
    assert CertificationOrder.objects.get(registration=walk.registration).amount_fen == 19900


@pytest.mark.parametrize("method", ["", "none", "wire", VerificationMethod.NONE])
def test_an_enterprise_without_a_valid_verification_method_is_refused(drive, snapshot, method):
    """REG-6: one of the two ways must be chosen."""
    walk = drive("activated", subject_type="enterprise")
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        services.registration_save_subject(
            actor=walk.actor,
            registration=walk.registration,
            data={**walk.data, "verification_method": method},
        )
    assert caught.value.code in (
        CoreError.FIELD_REQUIRED,
        AccountError.VERIFICATION_METHOD_NOT_ALLOWED,
    )
    assert caught.value.code == (
        CoreError.FIELD_REQUIRED if not method else AccountError.VERIFICATION_METHOD_NOT_ALLOWED
    )
    assert caught.value.field == "verification_method"
    assert snapshot(walk) == before
