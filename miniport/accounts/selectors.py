"""Reads about registrations used by the console, ops and the worker.

REG-11: the state of a registration is always visible. Deadlines are derived from
stored timestamps when read, so a remittance whose window has closed reads as
failed at once, before any sweep has written the failure down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.functional import Promise

from miniport.accounts.models import (
    REMITTANCE_OVERDUE_REASON,
    Account,
    CertificationOrder,
    CertificationOrderStatus,
    Registration,
    RegistrationStatus,
    Remittance,
    Subject,
    SubjectType,
)
from miniport.core import clock, ids, policy

_DAY_SECONDS = 86400


def yuan(amount_fen: int) -> str:
    """Fen as a yuan amount with two decimals, e.g. 3700 -> "37.00"."""
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


@dataclass(frozen=True)
class RemittanceInstructions:
    """What the registrant must remit, and where to (REG-6a)."""

    amount_fen: int
    amount_yuan: str
    payer_name: str
    reference: str
    account_name: str
    account_number: str
    bank: str
    deadline: datetime
    received_at: datetime | None


@dataclass(frozen=True)
class CertificationInfo:
    """The certification fee order of a registration (REG-6b, REG-7)."""

    order_id: int
    amount_fen: int
    amount_yuan: str
    status: str
    status_label: str | Promise
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class RegistrationState:
    status: str  # the effective status: what the registrant and staff must act on
    stored_status: str
    label: str | Promise
    deadline: datetime | None = None
    seconds_left: int | None = None
    days_left: int | None = None
    remittance: RemittanceInstructions | None = None
    certification: CertificationInfo | None = None
    activation_sent_at: datetime | None = None
    activation_resend_at: datetime | None = None
    confirmed_at: datetime | None = None
    verified_at: datetime | None = None
    failed_at: datetime | None = None
    fail_reason: str = ""

    @property
    def is_failed(self) -> bool:
        return self.status == RegistrationStatus.FAILED

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.ACTIVE

    @property
    def is_overdue(self) -> bool:
        """Failed by the clock, not yet written down by the deadline sweep."""
        return self.is_failed and self.stored_status != RegistrationStatus.FAILED


def registration_of(account: Account) -> Registration | None:
    return Registration.objects.filter(account=account).first()


def _remittance(registration: Registration) -> RemittanceInstructions | None:
    row = Remittance.objects.filter(registration=registration).first()
    if row is None:
        return None
    return RemittanceInstructions(
        amount_fen=row.amount_fen,
        amount_yuan=yuan(row.amount_fen),
        payer_name=row.payer_name,
        reference=row.reference,
        account_name=row.receiving_account_name,
        account_number=row.receiving_account_number,
        bank=row.receiving_bank,
        deadline=row.deadline,
        received_at=row.matched_at,
    )


def _certification(registration: Registration) -> CertificationInfo | None:
    order = (
        CertificationOrder.objects.filter(registration=registration)
        .order_by("-created_at", "-id")
        .first()
    )
    if order is None:
        return None
    return CertificationInfo(
        order_id=order.pk,
        amount_fen=order.amount_fen,
        amount_yuan=yuan(order.amount_fen),
        status=order.status,
        status_label=CertificationOrderStatus(order.status).label,
        created_at=order.created_at,
        decided_at=order.decided_at,
    )


def registration_state(registration: Registration) -> RegistrationState:
    """The state page's view of a registration: effective status, remittance deadline with
    the time left, what to remit where, the certification order, and why it failed."""
    registration = Registration.objects.select_related("account").get(pk=registration.pk)
    stored = registration.status
    status = stored
    now = clock.now()
    remittance = _remittance(registration)
    certification = _certification(registration)
    failed_at = registration.failed_at
    fail_reason = registration.fail_reason
    deadline = seconds_left = days_left = None
    if stored == RegistrationStatus.PENDING_REMITTANCE and remittance is not None:
        deadline = remittance.deadline
        if now >= deadline:
            status = RegistrationStatus.FAILED
            failed_at, fail_reason = deadline, REMITTANCE_OVERDUE_REASON
        else:
            seconds_left = int((deadline - now).total_seconds())
            # "10 days left" right after submission, "1 day left" on the last day.
            days_left = math.ceil(seconds_left / _DAY_SECONDS)
    account = registration.account
    resend_at = None
    if stored == RegistrationStatus.PENDING_ACTIVATION and account.activation_sent_at is not None:
        resend_at = account.activation_sent_at + timedelta(
            seconds=policy.value("registration.activation_resend_interval_seconds")
        )
    return RegistrationState(
        status=status,
        stored_status=stored,
        label=RegistrationStatus(status).label,
        deadline=deadline,
        seconds_left=seconds_left,
        days_left=days_left,
        remittance=remittance,
        certification=certification,
        activation_sent_at=account.activation_sent_at,
        activation_resend_at=resend_at,
        confirmed_at=registration.confirmed_at,
        verified_at=registration.verified_at,
        failed_at=failed_at,
        fail_reason=fail_reason,
    )


def principal_key(subject: Subject) -> str:
    """Who the subject is in law, the same for every registration of it: an organization
    by its credit code, a person by a keyed digest of the ID number. Two mini programs
    are "of the same subject" (OPN-1, OA-2) when their keys are equal."""
    if subject.subject_type == SubjectType.PERSONAL and subject.id_number:
        return "id:" + ids.digest(subject.id_number)
    if subject.subject_type != SubjectType.PERSONAL and subject.credit_code.strip():
        return "org:" + subject.credit_code.strip().upper()
    # Not filled in yet (a registration in progress): the same as nothing but itself.
    return f"subject:{subject.pk}"


def same_principal(first: Subject, second: Subject) -> bool:
    return principal_key(first) == principal_key(second)
