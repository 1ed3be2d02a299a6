"""REG-5 / REG-8: the administrator of a registration: name and ID number, the phone
verified by an SMS code, and the scan by which the administrator's own real-name identity
vouches for them (a QR ticket of purpose admin_check)."""

from __future__ import annotations

import math
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import F

from miniport.accounts import purposes
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, Registration, SmsCode, SubjectType
from miniport.accounts.services.information import (
    adult_id_number,
    check_id_quota,
    check_phone_quota,
    editable_draft,
    required,
)
from miniport.core import audit, clock, ids, policy, sms
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Seconds
from miniport.core.validators import normalize_phone
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket


def registration_send_sms(*, actor: Actor, registration: Registration, phone: str) -> None:
    """REG-5 / REG-8: a 6-digit code to the administrator's phone, through the SMS backend."""
    editable_draft(registration)
    phone = normalize_phone(phone, field="phone")
    check_phone_quota(phone)
    last = (
        SmsCode.objects.filter(registration=registration, phone_digest=ids.digest(phone))
        .order_by("-created_at")
        .first()
    )
    interval = policy.value("registration.sms_resend_interval_seconds")
    if last is not None:
        wait = interval - (clock.now() - last.created_at).total_seconds()
        if wait > 0:
            raise PlatformError(
                AccountError.SMS_TOO_FREQUENT, field="phone", seconds=Seconds(math.ceil(wait))
            )
    code = ids.numeric_code(policy.value("registration.sms_code_length"))
    now = clock.now()
    with transaction.atomic():
        SmsCode.objects.create(
            registration=registration,
            phone_digest=ids.digest(phone),
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
        SmsCode.objects.filter(
            registration=registration, phone_digest=ids.digest(phone), used_at__isnull=True
        )
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
    draft = editable_draft(registration)
    if not draft.data.get("subject_type"):
        raise PlatformError(AccountError.REGISTRATION_STATE_INVALID, state="subject missing")
    data = dict(draft.data)
    if data["subject_type"] != SubjectType.PERSONAL:
        data["admin_name"] = required({"admin_name": admin_name}, "admin_name", max_length=64)
        data["admin_id_number"] = adult_id_number(admin_id_number, field="admin_id_number")
        check_id_quota(data["admin_id_number"], field="admin_id_number")
    phone = normalize_phone(phone, field="phone")
    check_phone_quota(phone)
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
) -> QrTicket:
    """REG-5 / REG-8: a QR ticket the administrator scans; the identity must be real-name,
    adult, and carry the administrator's name and ID number."""
    draft = editable_draft(registration)
    if not draft.data.get("admin_id_number") or not draft.data.get("admin_name"):
        raise PlatformError(CoreError.FIELD_REQUIRED, field="admin_id_number")
    actor = actor or Actor.for_account(registration.account)
    with transaction.atomic():
        ticket = identity_services.ticket_create(
            purpose=purposes.ADMIN_CHECK,
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
    draft = editable_draft(registration)
    if not draft.admin_check_ticket:
        raise PlatformError(AccountError.IDENTITY_CHECK_REQUIRED)
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=draft.admin_check_ticket, session_key=session_key, purpose=purposes.ADMIN_CHECK
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
