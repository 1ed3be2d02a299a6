"""REG-9: the confirmation of a registration, in the parts that belong to accounts.

The confirmation opens the registration's mini program, a floor above; the action is
`miniprograms.services.opening.registration_confirm`, which runs these pieces around the
opening in one transaction:

1. `confirmable_draft`, before the transaction: every step done, or the refusal
   (FIELD_REQUIRED, SMS_CODE_INVALID, IDENTITY_CHECK_REQUIRED, SUBJECT_IMMUTABLE, ...);
2. `subject_confirm`: claims the confirmation (a second, parallel one finds it taken:
   SUBJECT_IMMUTABLE), takes the ID-number and phone places (REG-5: ID_NUMBER_QUOTA,
   PHONE_QUOTA, atomically, so concurrent registrations never exceed the limit) and
   creates the immutable Subject;
3. the mini program is opened (its AppID allocated);
4. `verification_start`: records that AppID on the registration, starts the verification
   of its method (remittance, certification, or none for a personal subject, which is
   active at once), writes the audit row and the event, and drops the draft.

A failed registration gives its places back (`verification`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    CertificationOrder,
    Draft,
    Registration,
    RegistrationStatus,
    Remittance,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.accounts.services.information import (
    ID_RULE,
    ID_SCOPE,
    PHONE_RULE,
    PHONE_SCOPE,
    editable_draft,
)
from miniport.accounts.services.state import registration_record_appid, registration_transition
from miniport.core import audit, clock, events, ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError


def confirmable_draft(registration: Registration) -> Draft:
    """The draft of a registration whose every information step is done; read before the
    confirmation's transaction. Refuses what is missing."""
    draft = editable_draft(registration)
    data = draft.data or {}
    for field in ("subject_type", "name", "admin_name", "admin_id_number", "admin_phone"):
        if not data.get(field):
            raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if draft.phone_verified != data["admin_phone"]:
        raise PlatformError(AccountError.SMS_CODE_INVALID, field="sms_code")
    if draft.admin_identity is None:
        raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
    return draft


def subject_confirm(*, registration: Registration, draft: Draft) -> Subject:
    """Claim the confirmation, take the ID-number and phone places and create the
    immutable subject. Call inside the confirmation's transaction, first."""
    data = draft.data
    admin = draft.admin_identity
    if admin is None:  # `confirmable_draft` refused it already
        raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
    personal = data["subject_type"] == SubjectType.PERSONAL
    now = clock.now()
    # Claim the confirmation first: a second, parallel confirmation finds it taken.
    claimed = Registration.objects.filter(
        pk=registration.pk,
        status=RegistrationStatus.PENDING_INFORMATION,
        confirmed_at__isnull=True,
    ).update(submitted_at=now, confirmed_at=now)
    if not claimed:
        raise PlatformError(AccountError.SUBJECT_IMMUTABLE)
    registration.submitted_at = registration.confirmed_at = now
    id_digest = ids.digest(data["admin_id_number"])
    quotas.consume(
        ID_SCOPE + id_digest,
        ID_RULE,
        window="ever",
        error=AccountError.ID_NUMBER_QUOTA,
        field="id_number" if personal else "admin_id_number",
    )
    quotas.consume(
        PHONE_SCOPE + ids.digest(data["admin_phone"]),
        PHONE_RULE,
        window="ever",
        error=AccountError.PHONE_QUOTA,
        field="phone",
    )
    return Subject.objects.create(
        registration=registration,
        country=data["country"],
        subject_type=data["subject_type"],
        verification_method=data["verification_method"],
        name=data["name"],
        id_number=data.get("id_number", ""),
        credit_code=data.get("credit_code", ""),
        admin_name=data["admin_name"],
        admin_id_number=data["admin_id_number"],
        admin_id_digest=id_digest,
        admin_phone=data["admin_phone"],
        admin_identity=admin,
        confirmed_at=now,
    )


def verification_start(
    *, actor: Actor, registration: Registration, draft: Draft, subject: Subject, appid: str
) -> None:
    """Record the AppID of the mini program just opened for this registration, start the
    verification its method asks for, and write the confirmation's audit row and event.
    Call inside the confirmation's transaction, after the mini program was opened."""
    now = subject.confirmed_at or clock.now()
    registration_record_appid(registration=registration, appid=appid)
    method = subject.verification_method
    if method == VerificationMethod.REMITTANCE:
        remittance = _create_remittance(registration, subject, now)
        # The overdue sweep finds it by this copy (models.Registration.remittance_due).
        registration.remittance_due = remittance.deadline
        registration.save(update_fields=["remittance_due"])
        registration_transition(
            actor=actor, registration=registration, to=RegistrationStatus.PENDING_REMITTANCE
        )
    elif method == VerificationMethod.CERTIFICATION:
        CertificationOrder.objects.create(
            registration=registration,
            amount_fen=policy.value("registration.certification_fee_fen"),
            created_at=now,
        )
        registration_transition(
            actor=actor, registration=registration, to=RegistrationStatus.PENDING_CERTIFICATION
        )
    else:
        # A personal subject is verified by the administrator's real-name scan.
        registration.verified_at = now
        registration.save(update_fields=["verified_at"])
        registration_transition(
            actor=actor, registration=registration, to=RegistrationStatus.ACTIVE
        )
    audit.record(
        actor,
        "registration.confirm",
        target=registration,
        appid=appid,
        after={"subject_type": subject.subject_type, "method": method},
    )
    events.emit(
        "registration.confirmed",
        {"registration": registration.pk, "method": method},
        appid=appid,
    )
    if draft.pk is not None:
        draft.delete()


def _create_remittance(registration: Registration, subject: Subject, now: datetime) -> Remittance:
    """REG-6a: the random amount and the platform's receiving account, shown after submission."""
    low = policy.value("registration.remittance_amount_min_fen")
    high = max(low, policy.value("registration.remittance_amount_max_fen"))
    for _attempt in range(5):
        reference = "MP" + ids.numeric_code(8)
        if Remittance.objects.filter(reference=reference).exists():
            continue
        try:
            with transaction.atomic():
                return Remittance.objects.create(
                    registration=registration,
                    amount_fen=low + secrets.randbelow(high - low + 1),
                    payer_name=subject.name,
                    reference=reference,
                    receiving_account_name=settings.REMITTANCE_ACCOUNT_NAME,
                    receiving_account_number=settings.REMITTANCE_ACCOUNT_NUMBER,
                    receiving_bank=settings.REMITTANCE_BANK,
                    deadline=now
                    + timedelta(days=policy.value("registration.remittance_window_days")),
                )
        except IntegrityError:
            continue  # a parallel registration drew the same reference
    raise PlatformError(CoreError.SYSTEM_ERROR)
