"""REG-10: email and password, then the bound administrator's scan.

The administrator is bound to the account's mini program, a floor above: the surface
reads it (`miniprograms.selectors.login_bound_identity`) and passes it in."""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction

from miniport.accounts import purposes
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind, LoginFailure, Registration
from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket


def _throttle(email: str, ip: str) -> None:
    window = policy.value("login.failure_window_seconds")
    since = clock.now() - timedelta(seconds=window)
    # A failure exactly one window old has left the window.
    recent = LoginFailure.objects.filter(at__gt=since)
    by_account = recent.filter(email=email)
    by_address = recent.filter(ip=ip) if ip else recent.none()
    for rows, limit in (
        (by_account, policy.value("login.max_failures_per_account")),
        (by_address, policy.value("login.max_failures_per_address")),
    ):
        if rows.count() >= limit:
            oldest = rows.order_by("at").values_list("at", flat=True)[rows.count() - limit]
            wait = math.ceil((oldest + timedelta(seconds=window) - clock.now()).total_seconds())
            raise PlatformError(AccountError.LOGIN_THROTTLED, seconds=max(wait, 1))


def login_check_password(*, email: str, password: str, ip: str) -> Account:
    """First step. Refuses while the account or the address has too many recent failures."""
    email = (email or "").strip().lower()
    _throttle(email, ip)
    account = Account.objects.filter(email=email).first()
    if (
        account is None
        or not account.check_password(password or "")
        or account.is_staff
        or account.kind != AccountKind.MINIPROGRAM
    ):
        LoginFailure.objects.create(email=email, ip=ip, at=clock.now())
        raise PlatformError(AccountError.LOGIN_FAILED, field="password")
    if not account.is_active:
        raise PlatformError(AccountError.ACCOUNT_NOT_ACTIVATED, field="email")
    return account


def ops_login_check_password(*, email: str, password: str, ip: str) -> Account:
    """Staff sign-in to the ops desk: same throttle as the console, staff accounts only.
    A wrong password, an unknown email, a non-staff or a disabled account all fail alike."""
    email = (email or "").strip().lower()
    _throttle(email, ip)
    account = Account.objects.filter(email=email).first()
    if (
        account is None
        or not account.check_password(password or "")
        or not account.is_staff
        or not account.is_active
    ):
        LoginFailure.objects.create(email=email, ip=ip, at=clock.now())
        raise PlatformError(AccountError.LOGIN_FAILED, field="password")
    return account


def login_finish(*, account: Account, identity: Identity | None = None) -> None:
    """Record a completed login (after the second step when there is an administrator)."""
    LoginFailure.objects.filter(email=account.email).delete()
    actor = Actor.for_identity(identity) if identity is not None else Actor.for_account(account)
    # The AppID the account's registration opened; empty before (REG-9).
    appid = (
        Registration.objects.filter(account=account).values_list("appid", flat=True).first() or ""
    )
    audit.record(
        actor, "account.login", target=account, appid=appid, after={"email": account.email}
    )


def login_request_scan(
    *, account: Account, admin_identity: Identity | None, session_key: str
) -> QrTicket:
    """REG-10 second step: a QR ticket only the bound administrator identity may confirm.
    `admin_identity` is the administrator of the account's mini program, None while the
    registration has opened none (then there is no scan step)."""
    identity = admin_identity
    if identity is None:
        raise PlatformError(
            AccountError.REGISTRATION_STATE_INVALID, state=account.registration.status
        )
    return identity_services.ticket_create(
        purpose=purposes.LOGIN,
        session_key=session_key,
        expected_identity=identity,
        payload={"account": account.pk},
        summary=account.email,
    )


def login_complete_scan(
    *, account: Account, admin_identity: Identity | None, token: str, session_key: str
) -> Identity:
    """Use the confirmed login ticket of this browser session; returns the identity that
    confirmed, after recording the login. Only the bound administrator's confirmation
    (`admin_identity`, read by the surface) completes it."""
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=purposes.LOGIN
        )
        identity = admin_identity
        if ticket.payload.get("account") != account.pk:
            raise PlatformError(IdentityError.TICKET_INVALID)
        if identity is None or ticket.confirmed_by_id != identity.pk:
            raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
        login_finish(account=account, identity=identity)
    return identity
