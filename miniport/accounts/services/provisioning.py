"""The accounts part of provisioning a fully registered mini program in one step
(`miniprograms.services.provisioning`, the action operators, CI and the demo data use):
an active account whose registration is confirmed and verified, with its subject.

`provision_check` runs before the transaction; `registration_provision` inside it, with
the administrator identity already chosen. The places of REG-5 are taken as a
registration takes them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    Account,
    CertificationOrder,
    CertificationOrderStatus,
    Registration,
    RegistrationStatus,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.accounts.services.information import ID_RULE, ID_SCOPE, PHONE_RULE, PHONE_SCOPE
from miniport.accounts.services.signup import email_in_use
from miniport.accounts.services.verification import certification_until
from miniport.core import clock, ids, policy, quotas
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity

# Subject types that can only be verified by certification.
CERTIFICATION_ONLY = {SubjectType.GOVERNMENT, SubjectType.MEDIA, SubjectType.OTHER}


@dataclass
class ProvisionedAccount:
    account: Account
    registration: Registration
    subject: Subject
    password: str


def provision_check(*, subject_type: str, certified: bool, email: str) -> tuple[str, bool]:
    """The normalized email and whether the subject is certified; refuses
    SUBJECT_TYPE_INVALID, VERIFICATION_METHOD_NOT_ALLOWED (a personal subject cannot be
    certified), EMAIL_INVALID and EMAIL_TAKEN."""
    if subject_type not in SubjectType.values:
        raise PlatformError(AccountError.SUBJECT_TYPE_INVALID, field="subject_type")
    if subject_type == SubjectType.PERSONAL and certified:
        raise PlatformError(AccountError.VERIFICATION_METHOD_NOT_ALLOWED, field="certified")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PlatformError(AccountError.EMAIL_INVALID, field="email")
    if email_in_use(email):
        raise PlatformError(AccountError.EMAIL_TAKEN, field="email")
    return email, certified or subject_type in CERTIFICATION_ONLY


def _credit_code() -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + ids.numeric_code(6) + "".join(secrets.choice(alphabet) for _ in range(10))


def registration_provision(
    *,
    email: str,
    name: str,
    subject_type: str,
    certified: bool,
    identity: Identity,
    same_as: Subject | None = None,
) -> ProvisionedAccount:
    """Account, active registration and subject administered by `identity`, with the
    ID-number and phone places taken (ID_NUMBER_QUOTA, PHONE_QUOTA). Call inside the
    provisioning's transaction, after `provision_check`; a taken email surfaces as an
    IntegrityError for the caller to refuse.

    With `same_as`, the new subject is that subject again (its type, name, ID number or
    credit code, verification and certification): one subject owning several mini
    programs, each with its own account (`accounts.selectors.principal_key` is equal)."""
    password = secrets.token_urlsafe(12)
    now = clock.now()
    phone = identity.phone or "139" + ids.numeric_code(8)
    id_digest = ids.digest(identity.id_number)
    quotas.consume(
        ID_SCOPE + id_digest,
        ID_RULE,
        window="ever",
        error=AccountError.ID_NUMBER_QUOTA,
        field="admin_wechat_id",
    )
    quotas.consume(
        PHONE_SCOPE + ids.digest(phone),
        PHONE_RULE,
        window="ever",
        error=AccountError.PHONE_QUOTA,
        field="admin_wechat_id",
    )
    account = Account.objects.create_user(email, password, is_active=True, activated_at=now)
    registration = Registration.objects.create(
        account=account,
        agreed_at=now,
        submitted_at=now,
        confirmed_at=now,
        verified_at=now,
        status=RegistrationStatus.ACTIVE,
    )
    personal = subject_type == SubjectType.PERSONAL
    if personal:
        method = VerificationMethod.NONE
    else:
        method = VerificationMethod.CERTIFICATION if certified else VerificationMethod.REMITTANCE
    legal = {
        "subject_type": subject_type,
        "verification_method": method,
        "name": identity.real_name if personal else name,
        "id_number": identity.id_number if personal else "",
        "credit_code": "" if personal else _credit_code(),
    }
    if same_as is not None:
        legal = {field: getattr(same_as, field) for field in legal}
    subject = Subject.objects.create(
        registration=registration,
        **legal,
        admin_name=identity.real_name,
        admin_id_number=identity.id_number,
        admin_id_digest=id_digest,
        admin_phone=phone,
        admin_identity=identity,
        confirmed_at=now,
        certified_at=now if certified else None,
        certified_until=certification_until(now) if certified else None,
    )
    if certified:
        CertificationOrder.objects.create(
            registration=registration,
            amount_fen=policy.value("registration.certification_fee_fen"),
            status=CertificationOrderStatus.CERTIFIED,
            created_at=now,
            decided_at=now,
            note="provisioned",
        )
    return ProvisionedAccount(
        account=account, registration=registration, subject=subject, password=password
    )
