"""REG-11: the state of a registration is always visible: waiting for activation, for
information, for the remittance (with deadline), for certification, active, failed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation

from miniport.accounts import services
from miniport.accounts.models import (
    REMITTANCE_OVERDUE_REASON,
    RegistrationStatus,
    VerificationMethod,
)
from miniport.accounts.selectors import registration_of, registration_state, yuan
from miniport.core.actors import Actor

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_new_registration_waits_for_activation_and_tells_when_to_resend(drive):
    """REG-11: waiting for activation, with the time the mail may be resent."""
    with time_machine.travel(START, tick=False):
        walk = drive("registered")
        state = registration_state(walk.registration)
        assert state.status == RegistrationStatus.PENDING_ACTIVATION
        with translation.override("en"):
            assert str(state.label) == "waiting for email activation"
        assert state.activation_sent_at == START
        assert state.activation_resend_at == START + timedelta(seconds=60)


def test_an_activated_registration_waits_for_information(drive):
    """REG-11: waiting for the information registration."""
    walk = drive("checked")
    state = registration_state(walk.registration)
    assert state.status == RegistrationStatus.PENDING_INFORMATION
    assert state.activation_resend_at is None and state.deadline is None


def test_a_personal_registration_is_active_after_confirmation(drive):
    """REG-11: active."""
    state = registration_state(drive().registration)
    assert state.is_active and state.verified_at is not None and state.confirmed_at is not None


def test_a_remittance_registration_shows_amount_account_and_deadline(drive):
    """REG-11: waiting for the remittance, with what to pay, where, and by when."""
    with time_machine.travel(START, tick=False):
        walk = drive(subject_type="enterprise")
        state = registration_state(walk.registration)
        assert state.status == RegistrationStatus.PENDING_REMITTANCE
        assert state.deadline == START + timedelta(days=10)
        assert (state.days_left, state.seconds_left) == (10, 10 * 86400)
        remittance = state.remittance
        assert remittance.amount_yuan == yuan(remittance.amount_fen)
        assert remittance.payer_name == walk.data["name"]
        assert remittance.account_name and remittance.account_number and remittance.bank
        assert remittance.received_at is None


def test_the_days_left_count_down_to_the_deadline(drive):
    """REG-11: a started day counts as a day left."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type="individual_business")
        traveller.shift(timedelta(days=3, hours=12))
        assert registration_state(walk.registration).days_left == 7
        traveller.shift(timedelta(days=6, hours=11))
        assert registration_state(walk.registration).days_left == 1


def test_an_overdue_remittance_reads_as_failed_before_any_sweep(drive):
    """REG-11: the effective state is failed from the deadline on, with the reason."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type="enterprise")
        traveller.shift(timedelta(days=10))
        state = registration_state(walk.registration)
        assert state.status == RegistrationStatus.FAILED and state.is_overdue
        assert state.stored_status == RegistrationStatus.PENDING_REMITTANCE
        assert state.failed_at == START + timedelta(days=10)
        assert state.fail_reason == REMITTANCE_OVERDUE_REASON
        assert state.days_left is None


def test_a_certification_registration_shows_its_order(drive):
    """REG-11: waiting for certification, with the 300 CNY order."""
    walk = drive(subject_type="enterprise", verification_method=VerificationMethod.CERTIFICATION)
    state = registration_state(walk.registration)
    assert state.status == RegistrationStatus.PENDING_CERTIFICATION
    assert state.certification.amount_yuan == "300.00"
    assert state.certification.status == "unpaid"
    assert state.remittance is None and state.deadline is None


def test_a_verified_remittance_registration_is_active(drive):
    """REG-11: after the remittance is received the registration is active."""
    walk = drive(subject_type="enterprise")
    services.registration_verify(actor=Actor.system("tests"), registration=walk.registration)
    state = registration_state(walk.registration)
    assert state.is_active and state.remittance.received_at is not None


def test_a_failed_registration_shows_why(drive):
    """REG-11: failed, with the operator's reason."""
    walk = drive(subject_type="government")
    services.registration_fail(
        actor=Actor.system("tests"),
        registration=walk.registration,
        reason="documents do not match the subject",
    )
    state = registration_state(walk.registration)
    assert state.is_failed and not state.is_overdue
    assert state.fail_reason == "documents do not match the subject"
    assert state.certification.status == "rejected"


def test_the_registration_of_an_account_is_found(drive):
    """REG-11: the state page starts from the logged-in account."""
    walk = drive("registered")
    assert registration_of(walk.account) == walk.registration


def test_amounts_are_shown_in_yuan():
    """REG-11: fen are shown as yuan with two decimals."""
    assert (yuan(30000), yuan(5), yuan(37), yuan(100)) == ("300.00", "0.05", "0.37", "1.00")
