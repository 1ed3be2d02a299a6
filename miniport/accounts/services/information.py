"""REG-4..REG-9: information registration, administrator check, final confirmation.

Every service here edits the draft of a registration that waits for its information;
once the subject is confirmed they all refuse with SUBJECT_IMMUTABLE (REG-9).
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from miniport.accounts.errors import AccountError
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
from miniport.accounts.services.state import appid_of, registration_transition
from miniport.accounts.subject_types import (  # noqa: F401  (re-exported for the surfaces)
    ALLOWED_METHODS,
    COUNTRIES,
    MAINLAND,
    ORGANIZATION_TYPES,
    SUBJECT_TYPES,
    credit_code_valid,
    methods_for,
)
from miniport.core import audit, clock, events, ids, policy, quotas, sms
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import age_on, normalize_phone, parse_id_number
from miniport.identities.errors import IdentityError

ID_SCOPE = "registration.id:"
PHONE_SCOPE = "registration.phone:"
ID_RULE = "registration.id_number_max_miniprograms"
PHONE_RULE = "registration.phone_max_miniprograms"
# Draft keys that describe the administrator; they survive a re-saved subject of the same type.
_ADMIN_KEYS = ("admin_name", "admin_id_number", "admin_phone")


def _editable(registration: Registration) -> Draft:
    """The draft of a registration still in its information step (read fresh, so a
    confirmation made in another tab is seen); an unsaved one when nothing was entered yet."""
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
    return Draft.objects.filter(registration=registration).first() or Draft(
        registration=registration
    )


def _required(data: dict[str, Any], field: str, *, max_length: int = 100) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if len(value) > max_length:
        raise PlatformError(
            CoreError.FIELD_INVALID, field=field, reason=f"at most {max_length} characters"
        )
    return value


def _adult_id_number(raw: str, *, field: str) -> str:
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


def _check_id_quota(id_number: str, *, field: str) -> None:
    if id_quota_remaining(ids.digest(id_number)) <= 0:
        raise PlatformError(AccountError.ID_NUMBER_QUOTA, field=field, limit=policy.value(ID_RULE))


def _check_phone_quota(phone: str) -> None:
    if phone_quota_remaining(phone) <= 0:
        raise PlatformError(AccountError.PHONE_QUOTA, field="phone", limit=policy.value(PHONE_RULE))


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
    clean["name"] = _required(data, "name", max_length=name_field.max_length)
    if spec.is_personal:
        # REG-5: adults with a mainland identity only.
        if raw_country != MAINLAND:
            raise PlatformError(AccountError.COUNTRY_NOT_SUPPORTED, field="country")
        id_number = _adult_id_number(str(data.get("id_number") or ""), field="id_number")
        _check_id_quota(id_number, field="id_number")
        # The person is the administrator of a personal subject.
        clean.update(
            id_number=id_number,
            verification_method=VerificationMethod.NONE,
            admin_name=clean["name"],
            admin_id_number=id_number,
        )
        return clean
    code_field = spec.fields[1]
    credit_code = _required(data, "credit_code", max_length=code_field.max_length).upper()
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
    draft = _editable(registration)
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


def registration_send_sms(*, actor: Actor, registration: Registration, phone: str) -> None:
    """REG-5 / REG-8: a 6-digit code to the administrator's phone, through the SMS backend."""
    _editable(registration)
    phone = normalize_phone(phone, field="phone")
    _check_phone_quota(phone)
    last = (
        SmsCode.objects.filter(registration=registration, phone=phone)
        .order_by("-created_at")
        .first()
    )
    interval = policy.value("registration.sms_resend_interval_seconds")
    if last is not None:
        wait = interval - (clock.now() - last.created_at).total_seconds()
        if wait > 0:
            raise PlatformError(
                AccountError.SMS_TOO_FREQUENT, field="phone", seconds=math.ceil(wait)
            )
    code = ids.numeric_code(policy.value("registration.sms_code_length"))
    now = clock.now()
    with transaction.atomic():
        SmsCode.objects.create(
            registration=registration,
            phone=phone,
            code_digest=ids.digest(code),
            created_at=now,
            expires_at=now + timedelta(seconds=policy.value("registration.sms_code_ttl_seconds")),
        )
        audit.record(actor, "registration.sms_sent", target=registration, after={"phone": phone})
    sms.send(
        phone,
        f"【Miniport】验证码 {code}，用于小程序注册，请勿告诉他人。Your verification code is {code}.",
    )


def _check_sms(registration: Registration, phone: str, code: str) -> SmsCode:
    """The latest unused code sent to this phone must match. Each wrong entry counts, in its
    own write, so a refused attempt still uses up one of the allowed tries."""
    row = (
        SmsCode.objects.filter(registration=registration, phone=phone, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise PlatformError(AccountError.SMS_CODE_INVALID, field="sms_code")
    if clock.now() >= row.expires_at:
        raise PlatformError(AccountError.SMS_CODE_EXPIRED, field="sms_code")
    max_attempts = policy.value("registration.sms_code_max_attempts")
    if row.attempts >= max_attempts:
        raise PlatformError(AccountError.SMS_CODE_ATTEMPTS_EXCEEDED, field="sms_code")
    entered = (code or "").strip()
    if not entered or not secrets.compare_digest(ids.digest(entered), row.code_digest):
        SmsCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise PlatformError(AccountError.SMS_CODE_INVALID, field="sms_code")
    return row


def registration_save_admin(
    *,
    actor: Actor,
    registration: Registration,
    admin_name: str = "",
    admin_id_number: str = "",
    phone: str,
    sms_code: str,
) -> Draft:
    """REG-8 (and the phone part of REG-5): administrator name, ID number, phone verified by SMS.
    For a personal subject the person is the administrator: only the phone is read."""
    draft = _editable(registration)
    if not draft.data.get("subject_type"):
        raise PlatformError(AccountError.REGISTRATION_STATE_INVALID, state="subject missing")
    data = dict(draft.data)
    if data["subject_type"] != SubjectType.PERSONAL:
        data["admin_name"] = _required({"admin_name": admin_name}, "admin_name", max_length=64)
        data["admin_id_number"] = _adult_id_number(admin_id_number, field="admin_id_number")
        _check_id_quota(data["admin_id_number"], field="admin_id_number")
    phone = normalize_phone(phone, field="phone")
    _check_phone_quota(phone)
    row = _check_sms(registration, phone, sms_code)
    with transaction.atomic():
        used = SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now())
        if not used:  # the same code was just used by a parallel request
            raise PlatformError(AccountError.SMS_CODE_INVALID, field="sms_code")
        changed_admin = any(
            data.get(key) != draft.data.get(key) for key in ("admin_name", "admin_id_number")
        )
        data["admin_phone"] = phone
        draft.data = data
        draft.phone_verified = phone
        if changed_admin:
            # A scan confirms one person; another administrator needs a new scan.
            draft.admin_identity = None
            draft.admin_check_ticket = ""
        draft.save()
        audit.record(actor, "registration.admin_saved", target=registration, after={"phone": phone})
    return draft


def _admin_requirements(draft: Draft) -> dict[str, str]:
    return {
        "real_name": draft.data.get("admin_name", ""),
        "id_number_digest": ids.digest(draft.data.get("admin_id_number", "")),
    }


def registration_request_admin_check(
    *, registration: Registration, session_key: str, actor: Actor | None = None
):
    """REG-5 / REG-8: a QR ticket the administrator scans; the identity must be real-name,
    adult, and carry the administrator's name and ID number."""
    from miniport.identities import services as identity_services

    draft = _editable(registration)
    if not draft.data.get("admin_id_number") or not draft.data.get("admin_name"):
        raise PlatformError(CoreError.FIELD_REQUIRED, field="admin_id_number")
    actor = actor or Actor.for_account(registration.account)
    with transaction.atomic():
        ticket = identity_services.ticket_create(
            purpose="admin_check",
            session_key=session_key,
            requirements=_admin_requirements(draft),
            payload={"registration": registration.pk},
            summary=registration.account.email,
        )
        draft.admin_check_ticket = ticket.token
        draft.save()
        audit.record(actor, "registration.admin_check_requested", target=registration)
    return ticket


def registration_complete_admin_check(
    *, actor: Actor, registration: Registration, session_key: str
) -> Draft:
    """Use the confirmed scan: the scanning identity becomes the administrator of the draft."""
    from miniport.identities import services as identity_services

    draft = _editable(registration)
    if not draft.admin_check_ticket:
        raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=draft.admin_check_ticket, session_key=session_key, purpose="admin_check"
        )
        if ticket.payload.get("registration") != registration.pk:
            raise PlatformError(IdentityError.TICKET_INVALID)
        # The ticket must vouch for the administrator the draft names now.
        if ticket.requirements != _admin_requirements(draft):
            raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
        identity = ticket.confirmed_by
        if identity is None:
            raise PlatformError(IdentityError.TICKET_PENDING)
        # Re-check at use: the identity's data could have changed since it confirmed.
        identity_services.check_requirements(identity, ticket.requirements)
        draft.admin_identity = identity
        draft.save()
        audit.record(
            actor,
            "registration.admin_checked",
            target=registration,
            after={"wechat_id": identity.wechat_id},
        )
    return draft


def _create_remittance(registration: Registration, subject: Subject, now) -> Remittance:
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


def registration_confirm(*, actor: Actor, registration: Registration) -> Subject:
    """REG-9: the subject becomes immutable; the mini program exists from here on.

    The ID-number and phone places (REG-5) are taken here, atomically, so concurrent
    registrations can never exceed the limit; a failed registration gives them back."""
    from miniport.miniprograms import services as mp_services

    draft = _editable(registration)
    data = draft.data or {}
    for field in ("subject_type", "name", "admin_name", "admin_id_number", "admin_phone"):
        if not data.get(field):
            raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if draft.phone_verified != data["admin_phone"]:
        raise PlatformError(AccountError.SMS_CODE_INVALID, field="sms_code")
    if draft.admin_identity is None:
        raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
    personal = data["subject_type"] == SubjectType.PERSONAL
    now = clock.now()
    with transaction.atomic():
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
        mp_services.miniprogram_create(
            actor=actor,
            account=registration.account,
            subject=subject,
            admin_identity=draft.admin_identity,
        )
        method = subject.verification_method
        if method == VerificationMethod.REMITTANCE:
            _create_remittance(registration, subject, now)
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
        appid = appid_of(registration)
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
    return subject
