"""REG-4..REG-9: information registration. What every step of it shares: the draft
under edit, the field checks, and the ID-number and phone places (REG-5).

The steps themselves: `subject` (REG-4/5), `administrator` (REG-5/8: SMS code and the
administrator's scan), `confirmation` (REG-9, the parts below the mini program that the
confirmation opens; `miniprograms.services.opening.registration_confirm` is the action).
Every service of these steps edits the draft of a registration that waits for its
information; once the subject is confirmed they all refuse with SUBJECT_IMMUTABLE (REG-9).
"""

from __future__ import annotations

from typing import Any

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, Registration, RegistrationStatus, Subject
from miniport.core import clock, ids, policy, quotas
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import age_on, parse_id_number
from miniport.identities.errors import IdentityError

ID_SCOPE = "registration.id:"
PHONE_SCOPE = "registration.phone:"
ID_RULE = "registration.id_number_max_miniprograms"
PHONE_RULE = "registration.phone_max_miniprograms"


def editable_draft(registration: Registration) -> Draft:
    """The draft of a registration still in its information step (read fresh, so a
    confirmation made in another tab is seen); an unsaved one when nothing was entered yet.

    The draft is read before the status: a confirmation committed in between deletes the
    draft, and the status read after it then says so (SUBJECT_IMMUTABLE) instead of an
    empty draft reporting its first field as missing."""
    draft = Draft.objects.filter(registration=registration).first()
    status = (
        Registration.objects.filter(pk=registration.pk).values_list("status", flat=True).first()
    )
    if status is None:
        raise PlatformError(CoreError.NOT_FOUND)
    registration.status = status
    if status == RegistrationStatus.PENDING_ACTIVATION:
        raise PlatformError(AccountError.ACCOUNT_NOT_ACTIVATED)
    if (
        status != RegistrationStatus.PENDING_INFORMATION
        or Subject.objects.filter(registration=registration).exists()
    ):
        raise PlatformError(AccountError.SUBJECT_IMMUTABLE)
    return draft or Draft(registration=registration)


def required(data: dict[str, Any], field: str, *, max_length: int = 100) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if len(value) > max_length:
        raise PlatformError(
            CoreError.FIELD_INVALID, field=field, reason=f"at most {max_length} characters"
        )
    return value


def adult_id_number(raw: str, *, field: str) -> str:
    """REG-5 / REG-8: a valid mainland ID number of someone aged 18 or over today."""
    id_number, born = parse_id_number(raw, field=field)
    min_age = policy.value("registration.min_age_years")
    if age_on(born, clock.today()) < min_age:
        raise PlatformError(IdentityError.IDENTITY_UNDERAGE, field=field, age=min_age)
    return id_number


def id_quota_remaining(id_digest: str) -> int:
    return quotas.remaining(ID_SCOPE + id_digest, ID_RULE, "ever")


def phone_quota_remaining(phone: str) -> int:
    return quotas.remaining(PHONE_SCOPE + ids.digest(phone), PHONE_RULE, "ever")


def check_id_quota(id_number: str, *, field: str) -> None:
    if id_quota_remaining(ids.digest(id_number)) <= 0:
        raise PlatformError(AccountError.ID_NUMBER_QUOTA, field=field, limit=policy.value(ID_RULE))


def check_phone_quota(phone: str) -> None:
    if phone_quota_remaining(phone) <= 0:
        raise PlatformError(AccountError.PHONE_QUOTA, field="phone", limit=policy.value(PHONE_RULE))
