"""REG-4..REG-9: information registration, administrator check, final confirmation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import transaction

from miniport.accounts.models import (
    CertificationOrder,
    Draft,
    Registration,
    RegistrationStatus,
    Remittance,
    SmsCode,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.accounts.services.state import registration_transition
from miniport.core import audit, clock, events, ids, policy, quotas, sms
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.core.validators import age_on, normalize_phone, parse_id_number

COUNTRIES = {
    "CN": ("中国大陆", "Mainland China"),
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
    "US": ("美国", "United States"),
    "SG": ("新加坡", "Singapore"),
    "OTHER": ("其他国家或地区", "Other countries or regions"),
}
ORGANIZATION_TYPES = {
    SubjectType.ENTERPRISE,
    SubjectType.INDIVIDUAL_BUSINESS,
    SubjectType.GOVERNMENT,
    SubjectType.MEDIA,
    SubjectType.OTHER,
}
# REG-6 / REG-7: which verification methods each subject type may choose.
ALLOWED_METHODS: dict[str, set[str]] = {
    SubjectType.PERSONAL: {VerificationMethod.NONE},
    SubjectType.ENTERPRISE: {VerificationMethod.REMITTANCE, VerificationMethod.CERTIFICATION},
    SubjectType.INDIVIDUAL_BUSINESS: {VerificationMethod.REMITTANCE, VerificationMethod.CERTIFICATION},
    SubjectType.GOVERNMENT: {VerificationMethod.CERTIFICATION},
    SubjectType.MEDIA: {VerificationMethod.CERTIFICATION},
    SubjectType.OTHER: {VerificationMethod.CERTIFICATION},
}
# Unified social credit code: 18 characters of digits and capital letters except I, O, Z, S, V.
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ID_SCOPE = "registration.id:"
PHONE_SCOPE = "registration.phone:"


def _editable(registration: Registration) -> Draft:
    if registration.status != RegistrationStatus.PENDING_INFORMATION:
        if registration.status in (RegistrationStatus.PENDING_ACTIVATION,):
            raise PlatformError(ErrorCode.ACCOUNT_NOT_ACTIVATED)
        raise PlatformError(ErrorCode.SUBJECT_IMMUTABLE)
    draft, _ = Draft.objects.get_or_create(registration=registration)
    return draft


def _required(data: dict[str, Any], field: str, *, max_length: int = 100) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        raise PlatformError(ErrorCode.FIELD_REQUIRED, field=field)
    if len(value) > max_length:
        raise PlatformError(ErrorCode.FIELD_INVALID, field=field, reason=f"at most {max_length} characters")
    return value


def id_quota_remaining(id_digest: str) -> int:
    return quotas.remaining(ID_SCOPE + id_digest, "registration.id_number_max_miniprograms", "ever")


def phone_quota_remaining(phone: str) -> int:
    return quotas.remaining(PHONE_SCOPE + ids.digest(phone), "registration.phone_max_miniprograms", "ever")


def registration_save_subject(*, actor: Actor, registration: Registration, data: dict[str, Any]) -> Draft:
    """REG-4: country/region, subject type, the type's own fields and verification method."""
    draft = _editable(registration)
    country = str(data.get("country") or "").strip().upper()
    if country not in COUNTRIES:
        raise PlatformError(ErrorCode.FIELD_REQUIRED, field="country")
    subject_type = str(data.get("subject_type") or "").strip()
    if subject_type not in SubjectType.values:
        raise PlatformError(ErrorCode.SUBJECT_TYPE_INVALID, field="subject_type")
    clean: dict[str, Any] = {"country": country, "subject_type": subject_type}
    if subject_type == SubjectType.PERSONAL:
        # REG-5: adults with mainland identity only.
        if country != "CN":
            raise PlatformError(ErrorCode.COUNTRY_NOT_SUPPORTED, field="country")
        clean["name"] = _required(data, "name", max_length=64)
        id_number, born = parse_id_number(str(data.get("id_number") or ""), field="id_number")
        min_age = policy.value("registration.min_age_years")
        if age_on(born, clock.today()) < min_age:
            raise PlatformError(ErrorCode.IDENTITY_UNDERAGE, field="id_number", age=min_age)
        digest = ids.digest(id_number)
        if id_quota_remaining(digest) <= 0:
            raise PlatformError(
                ErrorCode.ID_NUMBER_QUOTA, field="id_number",
                limit=policy.value("registration.id_number_max_miniprograms"),
            )
        clean.update(id_number=id_number, verification_method=VerificationMethod.NONE,
                     admin_name=clean["name"], admin_id_number=id_number)
    else:
        clean["name"] = _required(data, "name", max_length=100)
        credit_code = _required(data, "credit_code", max_length=30).upper()
        if country == "CN" and not _CREDIT_CODE.match(credit_code):
            raise PlatformError(ErrorCode.FIELD_INVALID, field="credit_code", reason="18-character unified social credit code")
        method = str(data.get("verification_method") or "").strip()
        allowed = ALLOWED_METHODS[subject_type]
        if country != "CN":
            allowed = {VerificationMethod.CERTIFICATION}
        if method not in allowed:
            raise PlatformError(ErrorCode.VERIFICATION_METHOD_NOT_ALLOWED, field="verification_method")
        clean.update(credit_code=credit_code, verification_method=method)
    with transaction.atomic():
        # A changed subject invalidates an earlier administrator check.
        draft.data = clean
        draft.phone_verified = ""
        draft.admin_identity = None
        draft.admin_check_ticket = ""
        draft.save()
        audit.record(actor, "registration.subject_saved", target=registration,
                     after={"subject_type": subject_type, "country": country})
    return draft


def registration_send_sms(*, actor: Actor, registration: Registration, phone: str) -> None:
    """REG-5 / REG-8: a 6-digit code to the administrator's phone, through the SMS backend."""
    _editable(registration)
    phone = normalize_phone(phone, field="phone")
    if phone_quota_remaining(phone) <= 0:
        raise PlatformError(ErrorCode.PHONE_QUOTA, field="phone", limit=policy.value("registration.phone_max_miniprograms"))
    last = SmsCode.objects.filter(registration=registration, phone=phone).order_by("-created_at").first()
    interval = policy.value("registration.sms_resend_interval_seconds")
    if last is not None:
        wait = interval - (clock.now() - last.created_at).total_seconds()
        if wait > 0:
            raise PlatformError(ErrorCode.SMS_TOO_FREQUENT, field="phone", seconds=int(wait) + 1)
    code = ids.numeric_code(policy.value("registration.sms_code_length"))
    now = clock.now()
    with transaction.atomic():
        SmsCode.objects.create(
            registration=registration, phone=phone, code_digest=ids.digest(code), created_at=now,
            expires_at=now + timedelta(seconds=policy.value("registration.sms_code_ttl_seconds")),
        )
        audit.record(actor, "registration.sms_sent", target=registration, after={"phone": phone})
    sms.send(phone, f"【Miniport】验证码 {code}，用于小程序注册，请勿告诉他人。Your verification code is {code}.")


def _check_sms(registration: Registration, phone: str, code: str) -> SmsCode:
    row = SmsCode.objects.filter(registration=registration, phone=phone, used_at__isnull=True).order_by("-created_at").first()
    if row is None or not code:
        raise PlatformError(ErrorCode.SMS_CODE_INVALID, field="sms_code")
    if clock.now() >= row.expires_at:
        raise PlatformError(ErrorCode.SMS_CODE_EXPIRED, field="sms_code")
    if row.attempts >= 5 or ids.digest(code.strip()) != row.code_digest:
        SmsCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
        raise PlatformError(ErrorCode.SMS_CODE_INVALID, field="sms_code")
    return row


def registration_save_admin(
    *, actor: Actor, registration: Registration, admin_name: str = "", admin_id_number: str = "",
    phone: str, sms_code: str,
) -> Draft:
    """REG-8 (and the phone part of REG-5): administrator name, ID number, phone verified by SMS."""
    draft = _editable(registration)
    if not draft.data.get("subject_type"):
        raise PlatformError(ErrorCode.REGISTRATION_STATE_INVALID, state="subject missing")
    data = dict(draft.data)
    if data["subject_type"] != SubjectType.PERSONAL:
        data["admin_name"] = _required({"admin_name": admin_name}, "admin_name", max_length=64)
        admin_id, born = parse_id_number(admin_id_number, field="admin_id_number")
        min_age = policy.value("registration.min_age_years")
        if age_on(born, clock.today()) < min_age:
            raise PlatformError(ErrorCode.IDENTITY_UNDERAGE, field="admin_id_number", age=min_age)
        if id_quota_remaining(ids.digest(admin_id)) <= 0:
            raise PlatformError(ErrorCode.ID_NUMBER_QUOTA, field="admin_id_number",
                                limit=policy.value("registration.id_number_max_miniprograms"))
        data["admin_id_number"] = admin_id
    phone = normalize_phone(phone, field="phone")
    if phone_quota_remaining(phone) <= 0:
        raise PlatformError(ErrorCode.PHONE_QUOTA, field="phone", limit=policy.value("registration.phone_max_miniprograms"))
    with transaction.atomic():
        row = _check_sms(registration, phone, sms_code)
        row.used_at = clock.now()
        row.save(update_fields=["used_at"])
        changed_admin = data.get("admin_id_number") != draft.data.get("admin_id_number") or data.get("admin_name") != draft.data.get("admin_name")
        data["admin_phone"] = phone
        draft.data = data
        draft.phone_verified = phone
        if changed_admin:
            draft.admin_identity = None
            draft.admin_check_ticket = ""
        draft.save()
        audit.record(actor, "registration.admin_saved", target=registration, after={"phone": phone})
    return draft


def registration_request_admin_check(*, registration: Registration, session_key: str):
    """A QR ticket the administrator scans: the identity must be real-name, adult and match."""
    from miniport.identities import services as identity_services

    draft = _editable(registration)
    if not draft.data.get("admin_id_number"):
        raise PlatformError(ErrorCode.FIELD_REQUIRED, field="admin_id_number")
    ticket = identity_services.ticket_create(
        purpose="admin_check",
        session_key=session_key,
        requirements={
            "real_name": draft.data["admin_name"],
            "id_number_digest": ids.digest(draft.data["admin_id_number"]),
        },
        payload={"registration": registration.pk},
        summary=f"管理员身份验证 / administrator identity check: {registration.account.email}",
    )
    draft.admin_check_ticket = ticket.token
    draft.save(update_fields=["admin_check_ticket", "updated_at"])
    return ticket


def registration_complete_admin_check(*, actor: Actor, registration: Registration, session_key: str) -> Draft:
    from miniport.identities import services as identity_services

    draft = _editable(registration)
    if not draft.admin_check_ticket:
        raise PlatformError(ErrorCode.IDENTITY_CHECK_REQUIRED)
    ticket = identity_services.ticket_consume(
        token=draft.admin_check_ticket, session_key=session_key, purpose="admin_check"
    )
    if ticket.payload.get("registration") != registration.pk:
        raise PlatformError(ErrorCode.TICKET_INVALID)
    identity = ticket.confirmed_by
    # Re-check at use: the identity's data could have changed since it confirmed.
    identity_services.check_requirements(identity, ticket.requirements)
    with transaction.atomic():
        draft.admin_identity = identity
        draft.save(update_fields=["admin_identity", "updated_at"])
        audit.record(actor, "registration.admin_checked", target=registration, after={"wechat_id": identity.wechat_id})
    return draft


def _remittance_reference() -> str:
    return "MP" + ids.numeric_code(8)


def registration_confirm(*, actor: Actor, registration: Registration) -> Subject:
    """REG-9: the subject becomes immutable; the mini program exists from here on.

    The ID-number and phone places (REG-5) are taken here, atomically, so concurrent
    registrations can never exceed the limit."""
    from miniport.miniprograms import services as mp_services

    draft = _editable(registration)
    data = draft.data
    for field in ("subject_type", "name", "admin_id_number", "admin_phone"):
        if not data.get(field):
            raise PlatformError(ErrorCode.FIELD_REQUIRED, field=field)
    if draft.phone_verified != data["admin_phone"]:
        raise PlatformError(ErrorCode.SMS_CODE_INVALID, field="sms_code")
    if draft.admin_identity is None:
        raise PlatformError(ErrorCode.IDENTITY_CHECK_REQUIRED)
    now = clock.now()
    with transaction.atomic():
        id_digest = ids.digest(data["admin_id_number"])
        quotas.consume(ID_SCOPE + id_digest, "registration.id_number_max_miniprograms", window="ever",
                       error=ErrorCode.ID_NUMBER_QUOTA, field="id_number")
        quotas.consume(PHONE_SCOPE + ids.digest(data["admin_phone"]), "registration.phone_max_miniprograms",
                       window="ever", error=ErrorCode.PHONE_QUOTA, field="phone")
        subject = Subject.objects.create(
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
            admin_identity=draft.admin_identity,
            confirmed_at=now,
        )
        registration.submitted_at = now
        registration.confirmed_at = now
        registration.save(update_fields=["submitted_at", "confirmed_at"])
        mp_services.miniprogram_create(
            actor=actor, account=registration.account, subject=subject, admin_identity=draft.admin_identity
        )
        method = subject.verification_method
        if method == VerificationMethod.REMITTANCE:
            import secrets

            low = policy.value("registration.remittance_amount_min_fen")
            high = policy.value("registration.remittance_amount_max_fen")
            Remittance.objects.create(
                registration=registration,
                amount_fen=low + secrets.randbelow(high - low + 1),
                payer_name=subject.name,
                reference=_remittance_reference(),
                receiving_account_name="Miniport Platform Co., Ltd.",
                receiving_account_number="6222 0000 1234 5678 901",
                receiving_bank="Miniport Settlement Bank, Shenzhen Branch",
                deadline=now + timedelta(days=policy.value("registration.remittance_window_days")),
            )
            registration_transition(actor=actor, registration=registration, to=RegistrationStatus.PENDING_REMITTANCE)
        elif method == VerificationMethod.CERTIFICATION:
            CertificationOrder.objects.create(
                registration=registration,
                amount_fen=policy.value("registration.certification_fee_fen"),
                created_at=now,
            )
            registration_transition(actor=actor, registration=registration, to=RegistrationStatus.PENDING_CERTIFICATION)
        else:
            registration.verified_at = now
            registration.save(update_fields=["verified_at"])
            registration_transition(actor=actor, registration=registration, to=RegistrationStatus.ACTIVE)
        audit.record(actor, "registration.confirm", target=registration,
                     after={"subject_type": subject.subject_type, "method": method})
        events.emit("registration.confirmed", {"registration": registration.pk, "method": method})
        draft.delete()
    return subject
