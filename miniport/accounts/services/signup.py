"""REG-1..REG-3: the account form and email activation."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, ActivationToken, Registration, RegistrationStatus
from miniport.accounts.services.state import registration_transition
from miniport.core import audit, clock, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError, Seconds

# The email column's width; longer addresses are refused as invalid, not cut.
EMAIL_MAX_LENGTH = 254
# Letters, digits or ASCII symbols (REG-1); no spaces, no other characters.
_PASSWORD_CHARS = re.compile(r"^[\x21-\x7e]+\Z")


def email_in_use(email: str) -> bool:
    """REG-2: any account kind of the platform, or an identity that bound it, blocks the email."""
    from miniport.identities.models import Identity

    return (
        Account.objects.filter(email__iexact=email).exists()
        or Identity.objects.filter(email__iexact=email).exists()
    )


def check_password_rule(password: str, confirm: str) -> None:
    minimum = policy.value("registration.password_min_length")
    if len(password or "") < minimum:
        raise PlatformError(AccountError.PASSWORD_TOO_SHORT, field="password", min=minimum)
    if not _PASSWORD_CHARS.match(password):
        raise PlatformError(AccountError.PASSWORD_CHARSET, field="password")
    if password.isdigit():
        # "12345678" meets the length and the character set; the phone sign-up refuses
        # digits alone too.
        raise PlatformError(AccountError.PASSWORD_DIGITS_ONLY, field="password")
    if password != confirm:
        raise PlatformError(AccountError.PASSWORD_MISMATCH, field="password_confirm")


def registration_refusals(
    *, email: str, password: str, password_confirm: str, agreed: bool
) -> list[PlatformError]:
    """Every rule of the account form the input breaks, at most one per field, in the
    order of the form (REG-1, REG-2): a form shows them all at once."""
    refusals: list[PlatformError] = []
    email = (email or "").strip().lower()
    try:
        validate_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        refusals.append(PlatformError(AccountError.EMAIL_INVALID, field="email"))
    else:
        if email_in_use(email):
            refusals.append(PlatformError(AccountError.EMAIL_TAKEN, field="email"))
    try:
        check_password_rule(password, password)  # the password's own rules
    except PlatformError as refused:
        refusals.append(refused)
    if (password or "") != (password_confirm or ""):
        refusals.append(PlatformError(AccountError.PASSWORD_MISMATCH, field="password_confirm"))
    if not agreed:
        refusals.append(PlatformError(AccountError.AGREEMENT_REQUIRED, field="agree"))
    return refusals


def account_register(*, email: str, password: str, password_confirm: str, agreed: bool) -> Account:
    """Create an inactive mini program account and send its activation mail (REG-1, REG-2, REG-3)."""
    refusals = registration_refusals(
        email=email, password=password, password_confirm=password_confirm, agreed=agreed
    )
    if refusals:
        raise refusals[0]
    email = (email or "").strip().lower()
    try:
        with transaction.atomic():
            account = Account.objects.create_user(email, password)
            Registration.objects.create(account=account, agreed_at=clock.now())
            audit.record(
                Actor.for_account(account),
                "account.register",
                target=account,
                after={"email": email},
            )
            _send_activation(account)
    except IntegrityError:
        raise PlatformError(AccountError.EMAIL_TAKEN, field="email")
    return account


def _send_activation(account: Account) -> None:
    token = ids.new_token(32)
    now = clock.now()
    ActivationToken.objects.create(
        account=account,
        digest=ids.digest(token),
        created_at=now,
        expires_at=now + timedelta(hours=policy.value("registration.activation_link_ttl_hours")),
    )
    account.activation_sent_at = now
    account.save(update_fields=["activation_sent_at"])
    link = f"{settings.SITE_URL}/register/activate/{token}/"
    hours = policy.value("registration.activation_link_ttl_hours")
    with translation.override("zh-hans"):
        body = (
            f"感谢注册小程序！请点击以下链接激活帐号（{hours} 小时内有效）：\n{link}\n\n"
            f"Thank you for registering a mini program. Activate your account within {hours} hours:\n{link}\n"
        )
    send_mail(
        "激活你的小程序帐号 / Activate your mini program account", body, None, [account.email]
    )


def activation_send(*, account: Account) -> None:
    """Resend the activation mail; earlier links stay valid until they expire."""
    if account.is_active:
        raise PlatformError(
            AccountError.REGISTRATION_STATE_INVALID, state=account.registration.status
        )
    interval = policy.value("registration.activation_resend_interval_seconds")
    if account.activation_sent_at:
        wait = interval - (clock.now() - account.activation_sent_at).total_seconds()
        if wait > 0:
            raise PlatformError(
                AccountError.ACTIVATION_RESEND_TOO_SOON, seconds=Seconds(math.ceil(wait))
            )
    with transaction.atomic():
        _send_activation(account)
        audit.record(Actor.for_account(account), "account.activation_resend", target=account)


def account_activate(*, token: str) -> Account:
    """REG-3: the link of the activation mail opens the information step; it expires."""
    row = (
        ActivationToken.objects.select_related("account")
        .filter(digest=ids.digest(token or ""))
        .first()
    )
    if row is None:
        raise PlatformError(AccountError.ACTIVATION_INVALID)
    account = row.account
    if account.is_active:
        return account  # a second click on the same link just continues
    if row.used_at is not None:
        raise PlatformError(AccountError.ACTIVATION_INVALID)
    if clock.now() >= row.expires_at:
        raise PlatformError(AccountError.ACTIVATION_EXPIRED)
    with transaction.atomic():
        # Only one of two parallel clicks activates; the other sees an active account.
        taken = ActivationToken.objects.filter(pk=row.pk, used_at__isnull=True).update(
            used_at=clock.now()
        )
        if not taken or not Account.objects.filter(pk=account.pk, is_active=False).update(
            is_active=True
        ):
            account.refresh_from_db()
            return account
        account.is_active = True
        account.activated_at = clock.now()
        account.save(update_fields=["is_active", "activated_at"])
        actor = Actor.for_account(account)
        registration_transition(
            actor=actor,
            registration=account.registration,
            to=RegistrationStatus.PENDING_INFORMATION,
        )
        audit.record(actor, "account.activate", target=account)
    return account
