"""REG-4 / REG-5: the subject of a registration: country or region, subject type, the
type's own fields and the verification method; a personal subject's person is its
administrator and must be an adult with a mainland identity."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, Registration, SubjectType, VerificationMethod
from miniport.accounts.services.information import (
    adult_id_number,
    check_id_quota,
    editable_draft,
    required,
)
from miniport.accounts.subject_types import (
    COUNTRIES,
    MAINLAND,
    SUBJECT_TYPES,
    credit_code_valid,
    methods_for,
)
from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError

# Draft keys that describe the administrator; they survive a re-saved subject of the same type.
_ADMIN_KEYS = ("admin_name", "admin_id_number", "admin_phone")


def _clean_subject(data: dict[str, Any]) -> dict[str, Any]:
    """REG-4: country/region, subject type and that type's own fields, validated."""
    raw_country = str(data.get("country") or "").strip().upper()
    if not raw_country:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="country")
    if raw_country not in COUNTRIES:
        raise PlatformError(
            CoreError.FIELD_INVALID, field="country", reason="unknown country or region"
        )
    subject_type = str(data.get("subject_type") or "").strip()
    spec = SUBJECT_TYPES.get(subject_type)
    if spec is None:
        raise PlatformError(AccountError.SUBJECT_TYPE_INVALID, field="subject_type")
    clean: dict[str, Any] = {"country": raw_country, "subject_type": subject_type}
    name_field = spec.fields[0]
    clean["name"] = required(data, "name", max_length=name_field.max_length)
    if spec.is_personal:
        # REG-5: adults with a mainland identity only.
        if raw_country != MAINLAND:
            raise PlatformError(AccountError.COUNTRY_NOT_SUPPORTED, field="country")
        id_number = adult_id_number(str(data.get("id_number") or ""), field="id_number")
        check_id_quota(id_number, field="id_number")
        # The person is the administrator of a personal subject.
        clean.update(
            id_number=id_number,
            verification_method=VerificationMethod.NONE,
            admin_name=clean["name"],
            admin_id_number=id_number,
        )
        return clean
    code_field = spec.fields[1]
    credit_code = required(data, "credit_code", max_length=code_field.max_length).upper()
    if not credit_code_valid(spec, raw_country, credit_code):
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="credit_code",
            reason="18-character unified social credit code",
        )
    method = str(data.get("verification_method") or "").strip()
    if not method:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="verification_method")
    # REG-6 / REG-7: enterprises choose remittance or certification; the rest certify.
    if method not in methods_for(subject_type, raw_country):
        raise PlatformError(
            AccountError.VERIFICATION_METHOD_NOT_ALLOWED, field="verification_method"
        )
    clean.update(credit_code=credit_code, verification_method=method)
    return clean


def registration_save_subject(
    *, actor: Actor, registration: Registration, data: dict[str, Any]
) -> Draft:
    """REG-4: country/region, subject type, the type's own fields and verification method."""
    draft = editable_draft(registration)
    clean = _clean_subject(data)
    previous = dict(draft.data or {})
    same_person = clean["subject_type"] == previous.get("subject_type") and (
        clean["subject_type"] != SubjectType.PERSONAL
        or (clean["name"], clean["id_number"]) == (previous.get("name"), previous.get("id_number"))
    )
    with transaction.atomic():
        if same_person:
            # Re-saving the same subject keeps the administrator's verified phone and scan.
            for key in _ADMIN_KEYS:
                if key in previous:
                    clean.setdefault(key, previous[key])
        else:
            # Another subject (or another person) invalidates an earlier administrator check.
            draft.phone_verified = ""
            draft.admin_identity = None
            draft.admin_check_ticket = ""
        draft.data = clean
        draft.save()
        audit.record(
            actor,
            "registration.subject_saved",
            target=registration,
            after={"subject_type": clean["subject_type"], "country": clean["country"]},
        )
    return draft
