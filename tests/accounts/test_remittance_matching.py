"""REG-6a: a bank statement verifies the subjects whose remittance it shows; every
other line waits for a decision by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    BankStatementImport,
    Registration,
    RegistrationStatus,
    Remittance,
    UnmatchedRemittanceLine,
)
from miniport.accounts.services.verification import (
    remittance_import_statement,
    remittance_line_resolve,
)
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.ops.presentation import yuan
from tests.ops.journeys import confirmed_registration, statement_csv

START = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
STAFF = Actor("staff", "1", "operator@miniport.example")
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock_at_start():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def waiting(clock_at_start):
    return confirmed_registration(subject_type="enterprise", method="remittance")


def line_for(registration: Registration, **changes) -> tuple[str, str, str, str]:
    remittance = registration.remittance
    values = {
        "date": "2025-03-05",
        "payer": remittance.payer_name,
        "amount": yuan(remittance.amount_fen),
        "reference": remittance.reference,
    }
    values.update(changes)
    return (values["date"], values["payer"], values["amount"], values["reference"])


def import_text(*lines) -> object:
    return remittance_import_statement(
        actor=STAFF, text=statement_csv(*lines).decode(), filename="march.csv"
    )


def registration_unchanged(registration: Registration) -> None:
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_REMITTANCE
    assert registration.verified_at is None
    assert Remittance.objects.get(registration=registration).matched_at is None


def test_an_exact_line_verifies_the_subject(waiting):
    """REG-6: reference, amount and payer name all fit: the registration becomes active."""
    result = import_text(line_for(waiting))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.ACTIVE
    assert waiting.verified_at == START
    remittance = Remittance.objects.get(registration=waiting)
    assert remittance.matched_at == START
    assert remittance.statement_line["statement"] == result.statement.pk
    assert [r.pk for r in result.matched] == [waiting.pk]
    assert result.unmatched == []
    statement = BankStatementImport.objects.get()
    assert (statement.lines, statement.matched, statement.filename) == (1, 1, "march.csv")
    assert AuditEntry.objects.filter(action="remittance.statement_import").exists()


def test_the_reference_matches_whatever_its_case(waiting):
    """REG-6: bank exports often upper- or lower-case the reference."""
    import_text(line_for(waiting, reference=waiting.remittance.reference.lower()))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.ACTIVE


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"amount": "99.99"}, "amount differs from the expected amount"),
        ({"payer": "Some Other Company Ltd."}, "payer name differs from the subject name"),
        ({"reference": "MP00000000"}, "no pending remittance with this reference"),
    ],
    ids=["wrong-amount", "wrong-payer", "unknown-reference"],
)
def test_a_line_that_does_not_fit_is_kept_unmatched_and_changes_no_registration(
    waiting, changes, reason
):
    """REG-6: wrong amount, wrong payer or unknown reference never verify anyone."""
    result = import_text(line_for(waiting, **changes))

    registration_unchanged(waiting)
    assert result.matched == []
    [line] = UnmatchedRemittanceLine.objects.all()
    assert line.reason == reason
    assert line.resolved_at is None


def test_a_line_imported_after_the_deadline_is_kept_unmatched(waiting, clock_at_start):
    """REG-6: money that comes too late does not revive a failed registration."""
    clock_at_start.shift(timedelta(days=10, seconds=1))
    result = import_text(line_for(waiting))

    assert result.matched == []
    [line] = result.unmatched
    assert line.reason == "received after the deadline"
    waiting.refresh_from_db()
    assert waiting.status != RegistrationStatus.ACTIVE
    assert waiting.verified_at is None


def test_the_same_payment_twice_verifies_once(waiting):
    """REG-6: a duplicated statement line cannot match a second time."""
    result = import_text(line_for(waiting), line_for(waiting))
    assert len(result.matched) == 1
    [line] = result.unmatched
    assert line.reason == "no pending remittance with this reference"


@pytest.mark.parametrize(
    "text",
    [
        "when,who,how much,ref\n2025-03-05,ACME,0.37,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,abc,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,-1.00,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,0.375,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,NaN,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,1e30,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05,ACME,0.37\n",
        "date,payer account name,amount,reference\n,ACME,0.37,MP1\n",
        "date,payer account name,amount,reference\n2025-03-05," + "A" * 101 + ",0.37,MP1\n",
        "date,payer account name,amount,reference\n",
        "",
        "date,payer account name,amount,reference\n2025-03-05,AC\x00ME,0.37,MP1\n",
    ],
    ids=[
        "wrong-header",
        "amount-not-a-number",
        "negative-amount",
        "fraction-of-a-fen",
        "nan",
        "amount-too-large",
        "missing-column",
        "missing-date",
        "payer-too-long",
        "header-only",
        "empty",
        "nul-in-payer",
    ],
)
def test_a_malformed_statement_is_refused_and_nothing_is_stored(waiting, text):
    """REG-6: a bad file names its problem; no import, no line, no verification."""
    with pytest.raises(PlatformError) as refused:
        remittance_import_statement(actor=STAFF, text=text, filename="bad.csv")
    assert refused.value.code is CoreError.FIELD_INVALID
    assert refused.value.field == "statement"
    assert BankStatementImport.objects.count() == 0
    assert UnmatchedRemittanceLine.objects.count() == 0
    registration_unchanged(waiting)


def test_a_good_line_before_a_bad_one_verifies_nobody(waiting):
    """REG-6: the whole file is checked before anything is stored."""
    text = statement_csv(line_for(waiting), ("2025-03-06", "ACME", "zero", "MP1")).decode()
    with pytest.raises(PlatformError) as refused:
        remittance_import_statement(actor=STAFF, text=text)
    with translation.override("en"):
        assert "line 3" in refused.value.message("en")
    assert BankStatementImport.objects.count() == 0
    registration_unchanged(waiting)


def test_an_operator_assigns_an_unmatched_line_and_the_subject_is_verified(waiting):
    """REG-6: the payer wrote no reference; staff recognise the payment by hand."""
    result = import_text(line_for(waiting, reference=""))
    [line] = result.unmatched

    remittance_line_resolve(
        actor=STAFF, line=line, registration=waiting, note="reference missing, payer confirmed"
    )

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.ACTIVE
    line.refresh_from_db()
    assert line.resolved_at == START
    assert "reference missing, payer confirmed" in line.resolution
    remittance = Remittance.objects.get(registration=waiting)
    assert remittance.matched_at == START
    assert remittance.statement_line["line"] == line.pk
    assert AuditEntry.objects.filter(
        action="remittance.line_resolve", target_id=str(line.pk)
    ).exists()


def test_an_operator_dismisses_an_unmatched_line_with_a_reason(waiting):
    """REG-6: a payment that belongs to nobody is dismissed, with the reason kept."""
    [line] = import_text(line_for(waiting, amount="12.00", reference="INVOICE-7")).unmatched

    remittance_line_resolve(actor=STAFF, line=line, note="rent payment, not a verification")

    line.refresh_from_db()
    assert line.resolved_at is not None
    assert line.resolution == "dismissed: rent payment, not a verification"
    registration_unchanged(waiting)


def test_dismissing_without_a_reason_is_refused(waiting):
    """REG-6: every dismissal says why; a refusal leaves the line open."""
    [line] = import_text(line_for(waiting, reference="")).unmatched
    with pytest.raises(PlatformError) as refused:
        remittance_line_resolve(actor=STAFF, line=line, note="  ")
    assert refused.value.code is CoreError.FIELD_REQUIRED
    line.refresh_from_db()
    assert line.resolved_at is None and line.resolution == ""


def test_a_decided_line_cannot_be_decided_again(waiting):
    """REG-6: the first decision stands."""
    [line] = import_text(line_for(waiting, reference="")).unmatched
    remittance_line_resolve(actor=STAFF, line=line, note="unknown payer")
    with pytest.raises(PlatformError) as refused:
        remittance_line_resolve(
            actor=STAFF, line=line, registration=waiting, note="second thoughts"
        )
    assert refused.value.code is AccountError.REMITTANCE_LINE_RESOLVED
    registration_unchanged(waiting)
    line.refresh_from_db()
    assert line.resolution == "dismissed: unknown payer"


def test_a_line_cannot_be_assigned_to_a_registration_waiting_for_certification(waiting):
    """REG-6 / REG-7: a remittance never stands in for a certification."""
    certification = confirmed_registration(subject_type="government", method="certification")
    [line] = import_text(line_for(waiting, reference="")).unmatched

    with pytest.raises(PlatformError) as refused:
        remittance_line_resolve(
            actor=STAFF, line=line, registration=certification, note="wrong one"
        )

    assert refused.value.code is AccountError.REGISTRATION_STATE_INVALID
    certification.refresh_from_db()
    assert certification.status == RegistrationStatus.PENDING_CERTIFICATION
    line.refresh_from_db()
    assert line.resolved_at is None


def test_assigning_a_line_after_the_deadline_is_refused(waiting, clock_at_start):
    """REG-6: a manual assignment obeys the 10 days like an automatic match."""
    [line] = import_text(line_for(waiting, reference="")).unmatched
    clock_at_start.shift(timedelta(days=10, seconds=1))
    with pytest.raises(PlatformError) as refused:
        remittance_line_resolve(actor=STAFF, line=line, registration=waiting, note="late")
    assert refused.value.code is AccountError.REMITTANCE_EXPIRED
    line.refresh_from_db()
    assert line.resolved_at is None
    waiting.refresh_from_db()
    assert waiting.verified_at is None
