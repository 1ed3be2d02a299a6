"""REG-6 / REG-7: remittance matching, certification, operator decisions, the 10-day deadline."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    REMITTANCE_OVERDUE_REASON,
    BankStatementImport,
    CertificationOrderStatus,
    Registration,
    RegistrationStatus,
    Remittance,
    UnmatchedRemittanceLine,
)
from miniport.accounts.services.information import ID_SCOPE, PHONE_SCOPE
from miniport.accounts.services.state import registration_transition
from miniport.core import audit, clock, ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError

STATEMENT_COLUMNS = ("date", "payer account name", "amount", "reference")
# Widths of the columns an unmatched line is stored in (UnmatchedRemittanceLine).
_STATEMENT_WIDTHS = {"date": 20, "payer": 100, "reference": 100}
_LARGEST_FEN = 2**31 - 1


def _translated(message: str, params: dict | None = None) -> str:
    text = gettext(message)
    if not params:
        return text
    return text % {key: value() if callable(value) else value for key, value in params.items()}


# A refusal's reason in the language of whoever reads it, not of whoever raised it.
_reason = lazy(_translated, str)
# The stored columns in words, for the refusals.
_COLUMN_NAMES = {
    "date": lambda: gettext("date"),
    "payer": lambda: gettext("payer account name"),
    "reference": lambda: gettext("reference"),
}


def remittance_overdue(registration: Registration) -> bool:
    if registration.status != RegistrationStatus.PENDING_REMITTANCE:
        return False
    remittance = Remittance.objects.filter(registration=registration).only("deadline").first()
    return remittance is not None and clock.now() >= remittance.deadline


def _release_places(registration: Registration) -> None:
    subject = getattr(registration, "subject", None)
    if subject is None:
        return
    quotas.release(
        ID_SCOPE + subject.admin_id_digest, "registration.id_number_max_miniprograms", window="ever"
    )
    quotas.release(
        PHONE_SCOPE + ids.digest(subject.admin_phone),
        "registration.phone_max_miniprograms",
        window="ever",
    )


def _fail(actor: Actor, registration: Registration, reason: str) -> None:
    registration_transition(
        actor=actor, registration=registration, to=RegistrationStatus.FAILED, note=reason
    )
    registration.failed_at = clock.now()
    registration.fail_reason = reason[:300]
    registration.save(update_fields=["failed_at", "fail_reason"])
    registration.certification_orders.filter(
        status__in=[CertificationOrderStatus.UNPAID, CertificationOrderStatus.PAID]
    ).update(status=CertificationOrderStatus.REJECTED, decided_at=clock.now(), note=reason[:300])
    # A failed registration gives its ID-number and phone places back (REG-5).
    _release_places(registration)


def registrations_fail_overdue(*, actor: Actor | None = None) -> int:
    """Persist the failure of remittances whose 10 days have passed. Reads already treat
    them as failed; this sweep (run by the worker and the ops list) writes it down."""
    actor = actor or Actor.system("remittance deadline")
    failed = 0
    # Only the overdue ones, by the (status, remittance_due) index: the sweep runs on
    # every view of the ops list, so it must not grow with the registrations waiting.
    overdue = Registration.objects.filter(
        status=RegistrationStatus.PENDING_REMITTANCE, remittance_due__lte=clock.now()
    ).order_by("remittance_due")
    for registration in overdue:
        with transaction.atomic():
            registration.refresh_from_db()
            if remittance_overdue(registration):
                _fail(actor, registration, REMITTANCE_OVERDUE_REASON)
                failed += 1
    return failed


def certification_until(start: datetime) -> datetime:
    """The end of a certification that starts (or is renewed from) `start` (CER-1)."""
    return start + timedelta(days=policy.value("certification.validity_days"))


def registration_verify(*, actor: Actor, registration: Registration, note: str = "") -> None:
    """Operator: the subject is verified (remittance received or certification passed)."""
    with transaction.atomic():
        registration.refresh_from_db()
        overdue = remittance_overdue(registration)
        if overdue:
            # Written down in its own transaction: the refusal below must not undo it.
            _fail(Actor.system("remittance deadline"), registration, REMITTANCE_OVERDUE_REASON)
    if overdue:
        raise PlatformError(AccountError.REMITTANCE_EXPIRED)
    with transaction.atomic():
        registration.refresh_from_db()
        if registration.status not in (
            RegistrationStatus.PENDING_REMITTANCE,
            RegistrationStatus.PENDING_CERTIFICATION,
        ):
            raise PlatformError(AccountError.REGISTRATION_STATE_INVALID, state=registration.status)
        now = clock.now()
        if registration.status == RegistrationStatus.PENDING_CERTIFICATION:
            registration.certification_orders.exclude(
                status=CertificationOrderStatus.REJECTED
            ).update(status=CertificationOrderStatus.CERTIFIED, decided_at=now, note=note[:300])
            subject = registration.subject
            subject.certified_at = now
            subject.certified_until = certification_until(now)
            subject.save(update_fields=["certified_at", "certified_until"])
        else:
            Remittance.objects.filter(registration=registration, matched_at__isnull=True).update(
                matched_at=now
            )
        registration.verified_at = now
        registration.save(update_fields=["verified_at"])
        registration_transition(
            actor=actor, registration=registration, to=RegistrationStatus.ACTIVE, note=note
        )


def registration_fail(*, actor: Actor, registration: Registration, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reason")
    with transaction.atomic():
        registration.refresh_from_db()
        if registration.status not in (
            RegistrationStatus.PENDING_REMITTANCE,
            RegistrationStatus.PENDING_CERTIFICATION,
        ):
            raise PlatformError(AccountError.REGISTRATION_STATE_INVALID, state=registration.status)
        _fail(actor, registration, reason)


@dataclass
class StatementResult:
    statement: BankStatementImport
    matched: list[Registration] = field(default_factory=list)
    unmatched: list[UnmatchedRemittanceLine] = field(default_factory=list)


def _parse_amount(raw: str, line_no: int) -> int:
    try:
        amount = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(
                gettext_noop("line %(line)s: the amount %(amount)s is not a number"),
                {"line": line_no, "amount": raw.strip()},
            ),
        )
    # NaN, infinities and amounts beyond the stored column are refused before any arithmetic.
    if (
        not amount.is_finite()
        or not 0 < amount * 100 <= _LARGEST_FEN
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(
                gettext_noop(
                    "line %(line)s: the amount %(amount)s is not a positive amount in yuan"
                ),
                {"line": line_no, "amount": raw.strip()},
            ),
        )
    return int(amount * 100)


def parse_statement(text: str) -> list[dict]:
    """CSV with a header row: date, payer account name, amount (yuan), reference."""
    if "\x00" in text:  # no bank writes one; PostgreSQL cannot store it in a text column
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(gettext_noop("the file contains a NUL character")),
        )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = [r for r in reader if any(cell.strip() for cell in r)]
    except csv.Error as exc:  # e.g. a field longer than the csv module accepts
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(
                gettext_noop("line %(line)s cannot be read as CSV"), {"line": reader.line_num}
            ),
        ) from exc
    if not rows:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(gettext_noop("the file is empty")),
        )
    header = tuple(cell.strip().lower() for cell in rows[0])
    if header != STATEMENT_COLUMNS:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            # The columns are the file's own words, in English in every language; the
            # import page shows them as they are typed.
            reason=_reason(
                gettext_noop("the header must be: %(columns)s"),
                {"columns": ",".join(STATEMENT_COLUMNS)},
            ),
        )
    if len(rows) == 1:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="statement",
            reason=_reason(gettext_noop("the file has no line after the header")),
        )
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(STATEMENT_COLUMNS):
            raise PlatformError(
                CoreError.FIELD_INVALID,
                field="statement",
                reason=_reason(
                    gettext_noop("line %(line)s: expected %(count)s columns"),
                    {"line": number, "count": len(STATEMENT_COLUMNS)},
                ),
            )
        date, payer, amount, reference = (cell.strip() for cell in row)
        if not date or not payer:
            raise PlatformError(
                CoreError.FIELD_INVALID,
                field="statement",
                reason=_reason(
                    gettext_noop("line %(line)s: the date and the payer are required"),
                    {"line": number},
                ),
            )
        for name, text in (("date", date), ("payer", payer), ("reference", reference)):
            if len(text) > _STATEMENT_WIDTHS[name]:
                raise PlatformError(
                    CoreError.FIELD_INVALID,
                    field="statement",
                    reason=_reason(
                        gettext_noop(
                            "line %(line)s: the %(column)s is longer than %(limit)s characters"
                        ),
                        {
                            "line": number,
                            "column": _COLUMN_NAMES[name],
                            "limit": _STATEMENT_WIDTHS[name],
                        },
                    ),
                )
        lines.append(
            {
                "date": date,
                "payer_name": payer,
                "amount_fen": _parse_amount(amount, number),
                "reference": reference,
            }
        )
    return lines


def remittance_import_statement(*, actor: Actor, text: str, filename: str = "") -> StatementResult:
    """Match a bank statement: a line whose reference, amount and payer name fit a pending
    remittance verifies that subject; every other line is kept for a manual decision.
    The whole file is checked before anything is stored."""
    lines = parse_statement(text)
    with transaction.atomic():
        statement = BankStatementImport.objects.create(
            imported_at=clock.now(),
            imported_by=actor.label,
            filename=filename[:200],
            lines=len(lines),
        )
        result = StatementResult(statement=statement)
        for line in lines:
            remittance = (
                Remittance.objects.select_related("registration")
                .filter(reference__iexact=line["reference"], matched_at__isnull=True)
                .first()
            )
            reason = ""
            if remittance is None:
                reason = gettext_noop("no pending remittance with this reference")
            elif remittance.amount_fen != line["amount_fen"]:
                reason = gettext_noop("amount differs from the expected amount")
            elif remittance.payer_name.strip().lower() != line["payer_name"].strip().lower():
                reason = gettext_noop("payer name differs from the subject name")
            elif remittance.registration.status != RegistrationStatus.PENDING_REMITTANCE:
                reason = f"registration is {remittance.registration.status}"
            elif clock.now() >= remittance.deadline:
                reason = gettext_noop("received after the deadline")
            if reason or remittance is None:
                result.unmatched.append(
                    UnmatchedRemittanceLine.objects.create(
                        statement=statement, reason=reason, **line
                    )
                )
                continue
            remittance.matched_at = clock.now()
            # The statement id lets the result page list what this import matched.
            remittance.statement_line = {**line, "statement": statement.pk}
            remittance.save(update_fields=["matched_at", "statement_line"])
            registration_verify(
                actor=actor, registration=remittance.registration, note=f"statement {statement.pk}"
            )
            result.matched.append(remittance.registration)
        statement.matched = len(result.matched)
        statement.save(update_fields=["matched"])
        audit.record(
            actor,
            "remittance.statement_import",
            target=statement,
            after={"lines": len(lines), "matched": len(result.matched)},
        )
    return result


def remittance_line_resolve(
    *,
    actor: Actor,
    line: UnmatchedRemittanceLine,
    registration: Registration | None = None,
    note: str = "",
) -> None:
    """An operator's decision on an unmatched statement line: assign it to a registration
    waiting for its remittance (which verifies that subject), or dismiss it with a reason."""
    note = (note or "").strip()
    if registration is None and not note:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="note")
    with transaction.atomic():
        now = clock.now()
        # Conditional update: two operators deciding the same line cannot both win.
        taken = UnmatchedRemittanceLine.objects.filter(pk=line.pk, resolved_at__isnull=True).update(
            resolved_at=now
        )
        if not taken:
            raise PlatformError(AccountError.REMITTANCE_LINE_RESOLVED)
        if registration is None:
            resolution = f"dismissed: {note}"
        else:
            registration.refresh_from_db()
            if registration.status != RegistrationStatus.PENDING_REMITTANCE:
                raise PlatformError(
                    AccountError.REGISTRATION_STATE_INVALID,
                    field="registration",
                    state=registration.status,
                )
            resolution = f"assigned to registration {registration.pk}" + (
                f": {note}" if note else ""
            )
            Remittance.objects.filter(registration=registration).update(
                statement_line={
                    "date": line.date,
                    "payer_name": line.payer_name,
                    "amount_fen": line.amount_fen,
                    "reference": line.reference,
                    "statement": line.statement_id,
                    "line": line.pk,
                }
            )
            registration_verify(
                actor=actor, registration=registration, note=note or f"statement line {line.pk}"
            )
        UnmatchedRemittanceLine.objects.filter(pk=line.pk).update(resolution=resolution[:300])
        line.resolved_at = now
        line.resolution = resolution[:300]
        audit.record(
            actor,
            "remittance.line_resolve",
            target=line,
            after={"registration": registration.pk if registration else None, "note": note},
        )
