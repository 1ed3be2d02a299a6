"""Sign-up of a super-app identity on the phone pages (issue 10 item 1).

In the real world the super-app owns its user accounts; here the phone pages stand in for
it. A new identity has a WeChat ID, a password, a phone verified by an SMS code and a
real-name check of its name and ID number, so it can be the administrator a registration
asks for (REG-5 / REG-8). These are the identities domain's sign-up actions, beside
`services` (identities and QR tickets); limits are rows of `identities.policy`.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from miniport.core import audit, clock, ids, policy, quotas, sms
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Seconds
from miniport.core.validators import check_wechat_id, normalize_phone, parse_id_number
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, IdentitySmsCode

# Letters, digits or ASCII symbols; no spaces, no other characters.
_PASSWORD_CHARS = re.compile(r"^[\x21-\x7e]+\Z")
PASSWORD_MAX_LENGTH = 128
# The name on an ID card: Chinese characters or Latin letters, the separator dot of
# names such as 买买提·艾力 (typed as ·, • or .), and single spaces between Latin words.
_REAL_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z·•.]+( [A-Za-z·•.]+)*\Z")
REAL_NAME_MAX_LENGTH = 64


def _phone(raw: object) -> str:
    return normalize_phone(raw if isinstance(raw, str) else "", field="phone")


def phone_taken(phone: str) -> bool:
    return Identity.objects.filter(phone_digest=ids.digest(phone)).exists()


def wechat_id_taken(wechat_id: str) -> bool:
    """A WeChat ID differing only in letter case is the same ID to a person reading it."""
    return Identity.objects.filter(wechat_id__iexact=wechat_id).exists()


def _wait(rows, limit: int, window: int) -> int:
    """Seconds until the oldest of the `limit` newest rows leaves the window (0: none)."""
    if limit <= 0:
        return max(window, 1)
    reached = rows.order_by("-created_at").values_list("created_at", flat=True)[limit - 1 : limit]
    at = next(iter(reached), None)
    if at is None:
        return 0
    return max(math.ceil((at + timedelta(seconds=window) - clock.now()).total_seconds()), 0)


def signup_send_sms(*, actor: Actor, phone: object, ip: str) -> None:
    """Send a sign-up code to a phone through the SMS backend. Refusals (nothing sent,
    nothing stored):

    - PHONE_INVALID (CoreError) for what is no mainland mobile number;
    - PHONE_TAKEN when an identity is already bound to this phone;
    - SMS_TOO_FREQUENT (`seconds`) within signup.sms_resend_interval_seconds of the last
      code to this phone, or while this phone had signup.sms_max_per_phone codes, or this
      address asked for signup.sms_max_per_address codes, within
      signup.sms_window_seconds.

    Only the digests of the phone and the code are stored."""
    phone = _phone(phone)
    if phone_taken(phone):
        raise PlatformError(IdentityError.PHONE_TAKEN, field="phone")
    ip = (ip or "")[:64]
    digest = ids.digest(phone)
    now = clock.now()
    window = policy.value("signup.sms_window_seconds")
    recent = IdentitySmsCode.objects.filter(created_at__gt=now - timedelta(seconds=window))
    to_phone = recent.filter(phone_digest=digest)
    waits = [
        _wait(to_phone, policy.value("signup.sms_max_per_phone"), window),
        _wait(to_phone, 1, policy.value("signup.sms_resend_interval_seconds")),
    ]
    if ip:
        waits.append(
            _wait(recent.filter(ip=ip), policy.value("signup.sms_max_per_address"), window)
        )
    wait = max(waits)
    if wait > 0:
        raise PlatformError(IdentityError.SMS_TOO_FREQUENT, field="phone", seconds=Seconds(wait))
    code = ids.numeric_code(policy.value("signup.sms_code_length"))
    with transaction.atomic():
        row = IdentitySmsCode.objects.create(
            phone_digest=digest,
            code_digest=ids.digest(code),
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(seconds=policy.value("signup.sms_code_ttl_seconds")),
        )
        audit.record(actor, "identity.signup_sms_sent", target=row, after={"phone": phone})
    sms.send(
        phone,
        f"【Miniport】验证码 {code}，用于注册帐号，请勿告诉他人。"
        f"Your sign-up verification code is {code}.",
    )


def check_password_rule(password: object) -> str:
    """The password rule of every new identity, signed up on the phone pages or created
    by `services.identity_create` (the CLI, provisioning): at least
    signup.password_min_length characters (PASSWORD_TOO_SHORT), printable ASCII, not
    digits alone, at most PASSWORD_MAX_LENGTH (PASSWORD_CHARSET); both name `password`."""
    text = password if isinstance(password, str) else ""
    minimum = policy.value("signup.password_min_length")
    if len(text) < minimum:
        raise PlatformError(IdentityError.PASSWORD_TOO_SHORT, field="password", min=minimum)
    if len(text) > PASSWORD_MAX_LENGTH or not _PASSWORD_CHARS.match(text) or text.isdigit():
        raise PlatformError(IdentityError.PASSWORD_CHARSET, field="password")
    return text


def _check_password(password: object, confirm: object) -> str:
    text = check_password_rule(password)
    if not isinstance(confirm, str) or not secrets.compare_digest(text.encode(), confirm.encode()):
        raise PlatformError(IdentityError.PASSWORD_MISMATCH, field="password_confirm")
    return text


def _check_real_name(raw: object) -> str:
    name = raw.strip() if isinstance(raw, str) else ""
    if not name:
        raise PlatformError(CoreError.FIELD_INVALID, field="real_name", reason="required")
    if len(name) > REAL_NAME_MAX_LENGTH or not _REAL_NAME.match(name):
        raise PlatformError(IdentityError.REAL_NAME_INVALID, field="real_name")
    return name


@dataclass(frozen=True)
class _Checked:
    wechat_id: str
    password: str
    phone: str
    real_name: str
    id_number: str
    birth_date: date


def _check_id_number(raw: object) -> tuple[str, date]:
    number, born = parse_id_number(raw if isinstance(raw, str) else "", field="id_number")
    if born > clock.today():
        raise PlatformError(IdentityError.BIRTH_DATE_FUTURE, field="id_number")
    limit = policy.value("signup.max_identities_per_id_number")
    count = Identity.objects.filter(id_number_digest=ids.digest(number)).count()
    if count >= limit:
        raise PlatformError(IdentityError.ID_NUMBER_QUOTA, field="id_number", count=count)
    return number, born


def _hold_id_number(number: str) -> None:
    """Inside the sign-up's transaction: wait for any other sign-up of this ID number to
    end, then count again (the first count may be stale by now). The wait is the row lock
    of one counter row per ID number (PostgreSQL locks the conflicting row until the
    transaction ends; SQLite's write lock serialises the transactions)."""
    digest = ids.digest(number)
    rule = "signup.max_identities_per_id_number"
    quotas.take(f"signup_id:{digest}", rule, "ever", limit=2**62, amount=1)
    limit = policy.value(rule)
    count = Identity.objects.filter(id_number_digest=digest).count()
    if count >= limit:
        raise PlatformError(IdentityError.ID_NUMBER_QUOTA, field="id_number", count=count)


def _check_wechat_id(raw: object) -> str:
    wechat_id = check_wechat_id(raw if isinstance(raw, str) else "")
    if wechat_id_taken(wechat_id):
        raise PlatformError(IdentityError.WECHAT_ID_TAKEN, field="wechat_id")
    return wechat_id


def _check_new_phone(raw: object) -> str:
    phone = _phone(raw)
    if phone_taken(phone):
        raise PlatformError(IdentityError.PHONE_TAKEN, field="phone")
    return phone


def sign_up_problems(
    *,
    wechat_id: object,
    password: object,
    password_confirm: object,
    phone: object,
    real_name: object,
    id_number: object,
) -> list[PlatformError]:
    """Every field's refusal at once (the SMS code aside: checking it uses up a try), for
    a form that shows all of them; empty when `identity_sign_up` would go on to the code."""
    checks = (
        (_check_wechat_id, (wechat_id,)),
        (_check_password, (password, password_confirm)),
        (_check_new_phone, (phone,)),
        (_check_real_name, (real_name,)),
        (_check_id_number, (id_number,)),
    )
    problems = []
    for check, args in checks:
        try:
            check(*args)
        except PlatformError as error:
            problems.append(error)
    return problems


def _check_fields(**given: object) -> _Checked:
    problems = sign_up_problems(**given)
    if problems:
        raise problems[0]
    id_number, born = _check_id_number(given["id_number"])
    return _Checked(
        wechat_id=_check_wechat_id(given["wechat_id"]),
        password=_check_password(given["password"], given["password_confirm"]),
        phone=_check_new_phone(given["phone"]),
        real_name=_check_real_name(given["real_name"]),
        id_number=id_number,
        birth_date=born,
    )


def _verified_code(phone: str, code: object) -> IdentitySmsCode:
    """The latest unused code sent to this phone must match, unexpired, with tries left.
    Each wrong entry counts in its own write, so a refusal still uses up a try."""
    row = (
        IdentitySmsCode.objects.filter(phone_digest=ids.digest(phone), used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None:
        raise PlatformError(IdentityError.SMS_CODE_INVALID, field="sms_code")
    if clock.now() >= row.expires_at:
        raise PlatformError(IdentityError.SMS_CODE_EXPIRED, field="sms_code")
    if row.attempts >= policy.value("signup.sms_code_max_attempts"):
        raise PlatformError(IdentityError.SMS_CODE_ATTEMPTS_EXCEEDED, field="sms_code")
    entered = code.strip() if isinstance(code, str) else ""
    if not entered or not secrets.compare_digest(ids.digest(entered), row.code_digest):
        IdentitySmsCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise PlatformError(IdentityError.SMS_CODE_INVALID, field="sms_code")
    return row


def identity_sign_up(
    *,
    actor: Actor,
    wechat_id: object,
    password: object,
    password_confirm: object,
    phone: object,
    sms_code: object,
    real_name: object,
    id_number: object,
) -> Identity:
    """A new real-name verified identity, its birth date read from the ID number.
    Refusals, each naming its field; nothing is stored then (a wrong SMS code only uses
    up one of the code's tries):

    - wechat_id: FIELD_INVALID (6-20 letters, digits, _ or -, starting with a letter),
      WECHAT_ID_TAKEN (also for the same ID in other letter case);
    - password: PASSWORD_TOO_SHORT (signup.password_min_length), PASSWORD_CHARSET
      (printable ASCII, not digits alone, at most 128); password_confirm:
      PASSWORD_MISMATCH;
    - phone: PHONE_INVALID, PHONE_TAKEN (one phone per identity);
    - real_name: FIELD_INVALID when empty, REAL_NAME_INVALID;
    - id_number: ID_NUMBER_INVALID (GB 11643 checksum, a real date), BIRTH_DATE_FUTURE,
      ID_NUMBER_QUOTA (signup.max_identities_per_id_number identities already, counted
      again inside the transaction so parallel sign-ups cannot pass it together);
    - sms_code: SMS_CODE_INVALID (none sent, or wrong), SMS_CODE_EXPIRED,
      SMS_CODE_ATTEMPTS_EXCEEDED. A code is used once: the sign-up consumes it.
    """
    checked = _check_fields(
        wechat_id=wechat_id,
        password=password,
        password_confirm=password_confirm,
        phone=phone,
        real_name=real_name,
        id_number=id_number,
    )
    code = _verified_code(checked.phone, sms_code)
    identity = Identity(
        wechat_id=checked.wechat_id,
        nickname=checked.wechat_id,
        phone=checked.phone,
        phone_digest=ids.digest(checked.phone),
        real_name=checked.real_name,
        id_number=checked.id_number,
        id_number_digest=ids.digest(checked.id_number),
        birth_date=checked.birth_date,
        real_name_verified=True,
        created_at=clock.now(),
    )
    identity.set_password(checked.password)
    try:
        with transaction.atomic():
            used = IdentitySmsCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
                used_at=clock.now()
            )
            if not used:  # a parallel sign-up used the same code first
                raise PlatformError(IdentityError.SMS_CODE_INVALID, field="sms_code")
            _hold_id_number(checked.id_number)
            identity.save()
            audit.record(
                actor,
                "identity.sign_up",
                target=identity,
                after={
                    "wechat_id": identity.wechat_id,
                    "phone": checked.phone,
                    "real_name_verified": True,
                },
            )
    except IntegrityError:
        # A parallel sign-up took the WeChat ID or the phone between the checks and here.
        if phone_taken(checked.phone):
            raise PlatformError(IdentityError.PHONE_TAKEN, field="phone")
        raise PlatformError(IdentityError.WECHAT_ID_TAKEN, field="wechat_id")
    return identity
