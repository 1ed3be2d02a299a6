"""Forgotten password and forgotten email: "忘记帐号或密码" of the console login
(issue 10 item 2).

Forgotten password: `password_reset_request` answers the same whatever the email (it
returns nothing, does the same database work, and mails nothing from the request: the
mail is an outbox event carried by the worker through the `accounts.password_reset_mail`
delivery route, the link sealed in the event's payload). Only the link's keyed digest is
stored. A link is used once, before `password_reset.link_ttl_minutes`; a newer link, a
used one, or any change of the password ends the others. Setting the new password logs
nobody in and ends the account's sessions (Django's session auth hash changes with the
password); the next login still asks for the administrator's scan.

Forgotten email: the administrator identity scans a QR ticket (`purposes.ACCOUNT_RECOVERY`)
and the browser that asked is shown, partly hidden, the email of each account whose mini
program that identity administers. Which accounts those are is a floor above: the
surface passes `administered(identity)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from miniport.accounts import purposes
from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    Account,
    AccountKind,
    PasswordResetRequest,
    PasswordResetToken,
)
from miniport.accounts.services.signup import EMAIL_MAX_LENGTH, check_password_rule
from miniport.core import audit, clock, deliveries, events, ids, policy, sealed
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError, Seconds
from miniport.identities import services as identity_services
from miniport.identities import throttle
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket

EVENT = "account.password_reset_mail"
ROUTE = "accounts.password_reset_mail"
RESET_PATH = "/login/reset/{token}/"


def _key(email: object) -> str:
    return email.strip().lower()[:EMAIL_MAX_LENGTH] if isinstance(email, str) else ""


def _scopes(email_digest: str, ip: str) -> list[throttle.Scope]:
    requests = PasswordResetRequest.objects.all()
    scopes = [
        throttle.Scope(
            "email",
            requests.filter(email_digest=email_digest),
            policy.value("password_reset.max_requests_per_email"),
        )
    ]
    if ip:
        scopes.append(
            throttle.Scope(
                "address",
                requests.filter(ip=ip),
                policy.value("password_reset.max_requests_per_address"),
            )
        )
    return scopes


def _resettable(account: Account | None) -> bool:
    """Console accounts only: ops staff and other account kinds are not reset here."""
    return (
        account is not None
        and account.kind == AccountKind.MINIPROGRAM
        and not account.is_staff
        and account.has_usable_password()
    )


def _void_open_links(account: Account, now) -> int:
    return PasswordResetToken.objects.filter(
        account=account, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)


def password_reset_request(*, email: object, ip: str) -> None:
    """Mail a reset link to `email` when a console account uses it; answer the same when
    none does.

    Refusal: PASSWORD_RESET_THROTTLED (`seconds`) when this email or this address made
    password_reset.max_requests_per_email / _per_address requests within
    password_reset.window_seconds. Every request counts, known email or not, so the
    throttle says nothing about who has an account; a refused request records nothing.
    A malformed email is treated as an unknown one (nothing tells it apart).

    For a known account: its earlier open links end, a new one is stored as its digest,
    the request is audited (`account.password_reset_request`) and an outbox event carries
    the sealed link to the worker, which mails it. Unknown email: the same token work,
    nothing stored but the request row."""
    key = _key(email)
    ip = (ip or "")[:64]
    email_digest = ids.digest(key)
    window = policy.value("password_reset.window_seconds")
    waits = throttle.throttled(_scopes(email_digest, ip), window=window)
    if waits:
        raise PlatformError(
            AccountError.PASSWORD_RESET_THROTTLED, seconds=Seconds(max(waits.values()))
        )
    now = clock.now()
    token = ids.new_token(32)
    digest = ids.digest(token)
    minutes = policy.value("password_reset.link_ttl_minutes")
    with transaction.atomic():
        PasswordResetRequest.objects.create(email_digest=email_digest, ip=ip, at=now)
        account = Account.objects.filter(email=key).first() if key else None
        if not _resettable(account):
            return
        assert account is not None
        _void_open_links(account, now)
        PasswordResetToken.objects.create(
            account=account,
            digest=digest,
            password_digest=ids.digest(account.password),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
        audit.record(
            Actor.anonymous(),
            "account.password_reset_request",
            target=account,
            after={"email": account.email, "ip": ip},
        )
        events.emit(
            EVENT,
            {
                "account": account.pk,
                "link": sealed.seal(settings.SITE_URL + RESET_PATH.format(token=token)),
                "minutes": minutes,
            },
        )


def _open_link(token: object) -> PasswordResetToken:
    """The link's row while it may still be used, or the coded refusal."""
    raw = token if isinstance(token, str) else ""
    row = (
        PasswordResetToken.objects.select_related("account").filter(digest=ids.digest(raw)).first()
        if raw
        else None
    )
    if (
        row is None
        or row.used_at is not None
        or row.voided_at is not None
        or row.password_digest != ids.digest(row.account.password)
        or not _resettable(row.account)
    ):
        raise PlatformError(AccountError.PASSWORD_RESET_INVALID)
    if clock.now() >= row.expires_at:
        raise PlatformError(AccountError.PASSWORD_RESET_EXPIRED)
    return row


def password_reset_check(*, token: object) -> Account:
    """The account a reset link may still change (it is not used by looking).
    Refusals: PASSWORD_RESET_INVALID (unknown, used, replaced by a newer link, or the
    password changed since), PASSWORD_RESET_EXPIRED."""
    return _open_link(token).account


def password_reset_complete(*, token: object, password: str, password_confirm: str) -> Account:
    """Set the new password through a reset link, once.

    Refusals (nothing changes): those of `password_reset_check`; the REG-1 password rule
    (PASSWORD_TOO_SHORT, PASSWORD_CHARSET, PASSWORD_MISMATCH); a link used meanwhile by a
    parallel request is PASSWORD_RESET_INVALID. On success every other open link of the
    account ends, the change is audited (`account.password_reset`), and the account's
    sessions end with the old password's hash. Nobody is logged in."""
    row = _open_link(token)
    check_password_rule(password, password_confirm)
    account = row.account
    now = clock.now()
    with transaction.atomic():
        taken = PasswordResetToken.objects.filter(
            pk=row.pk,
            used_at__isnull=True,
            voided_at__isnull=True,
            password_digest=ids.digest(account.password),
        ).update(used_at=now)
        # The password must still be the one the link was issued under (a parallel reset).
        if (
            not taken
            or not Account.objects.filter(pk=account.pk, password=account.password).exists()
        ):
            raise PlatformError(AccountError.PASSWORD_RESET_INVALID)
        account.set_password(password)
        account.save(update_fields=["password"])
        _void_open_links(account, now)
        audit.record(
            Actor.anonymous(),
            "account.password_reset",
            target=account,
            after={"email": account.email},
        )
    return account


# -- the mail, sent by the worker -----------------------------------------------------------


def reset_mail(*, link: str, minutes: int) -> tuple[str, str]:
    """Subject and body of the reset mail: Chinese first, then English, as the
    activation mail."""
    subject = "重置你的小程序帐号密码 / Reset your mini program account password"
    body = (
        f"你申请了重置小程序帐号的密码。请在 {minutes} 分钟内点击以下链接设置新密码"
        f"（链接只能使用一次）：\n{link}\n"
        "如果不是你本人申请，请忽略此邮件，你的密码不会改变。"
        "设置新密码后，登录仍需管理员扫码确认。\n\n"
        "Someone asked to reset the password of your mini program account. Set a new "
        f"password within {minutes} minutes (the link works once):\n{link}\n"
        "If it was not you, ignore this mail: your password stays as it is. After the new "
        "password is set, logging in still needs the administrator's scan.\n"
    )
    return subject, body


def send_reset_mail(job: deliveries.Job) -> None:
    """The delivery route's handler: mail the link of one request. A link that has ended
    meanwhile (a newer one, used, expired) is not mailed."""
    payload = job.event.payload or {}
    account_id = payload.get("account")
    account = Account.objects.filter(pk=account_id).first() if isinstance(account_id, int) else None
    if account is None:
        raise deliveries.DeliveryFailed("the account no longer exists", final=True)
    try:
        link = sealed.unseal(str(payload.get("link") or ""))
    except sealed.Unreadable as error:
        raise deliveries.DeliveryFailed(str(error), final=True)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    try:
        _open_link(token)
    except PlatformError:
        return None  # ended before it was mailed: nothing worth sending
    subject, body = reset_mail(link=link, minutes=int(payload.get("minutes") or 0))
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])
    return None


def register_route() -> None:
    """From the app's ready(): reset mails go out through the worker."""
    deliveries.register(ROUTE, EVENT, send_reset_mail)


# -- forgotten email ------------------------------------------------------------------------


def mask_email(email: str) -> str:
    """a***@example.com: the first character of the name and the whole domain."""
    name, _at, domain = (email or "").partition("@")
    if not name:
        return ""
    return f"{name[0]}***@{domain}" if domain else f"{name[0]}***"


def account_recovery_request(*, session_key: str) -> QrTicket:
    """A recovery ticket any identity may confirm; the browser that asked uses it."""
    return identity_services.ticket_create(
        purpose=purposes.ACCOUNT_RECOVERY, session_key=session_key, payload={}, summary=""
    )


def account_recovery_complete(
    *,
    token: str,
    session_key: str,
    administered: Callable[[Identity], Iterable[Account]],
) -> list[str]:
    """Use the confirmed recovery ticket of this browser session once; returns the
    partly hidden emails of the accounts `administered(identity)` names for the identity
    that confirmed (possibly none), each audited as `account.email_recovered`.
    Refusals: the ticket's (TICKET_INVALID, TICKET_PENDING, TICKET_USED, TICKET_DENIED,
    TICKET_EXPIRED)."""
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=purposes.ACCOUNT_RECOVERY
        )
        identity = ticket.confirmed_by
        if identity is None:
            raise PlatformError(IdentityError.TICKET_INVALID)
        accounts = [account for account in administered(identity) if _resettable(account)]
        for account in accounts:
            audit.record(
                Actor.for_identity(identity),
                "account.email_recovered",
                target=account,
                after={"email": mask_email(account.email)},
            )
    return sorted(mask_email(account.email) for account in accounts)
