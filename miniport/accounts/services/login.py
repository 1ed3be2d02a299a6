"""REG-10: email and password, then the bound administrator's scan.

The administrator is bound to the account's mini program, a floor above: the surface
reads it (`miniprograms.selectors.login_bound_identity`) and passes it in."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from miniport.accounts import purposes
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind, LoginFailure, Registration
from miniport.core import audit, clock, origin, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError, Seconds
from miniport.identities import services as identity_services
from miniport.identities import throttle
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket


def _scopes(email: str, ip: str) -> list[throttle.Scope]:
    return throttle.sign_in_scopes(
        LoginFailure.objects.all(),
        subject="account",
        matches={"email": email},
        ip=ip,
        per_subject_address=policy.value("login.max_failures_per_account_address"),
        per_subject=policy.value("login.max_failures_per_account"),
        per_address=policy.value("login.max_failures_per_address"),
    )


def _no_second_factor(account: Account) -> object | None:
    return None


def _password_step(
    *,
    email: object,
    password: object,
    ip: str,
    admits: Callable[[Account], bool],
    second_factor: Callable[[Account], object | None],
    known_device: Callable[[Account], bool] = lambda account: False,
) -> Account:
    """The throttled password check both logins share (REG-10, issue 9 items 4 and 5).

    Failures are counted in login.failure_window_seconds in three scopes: this email
    from this address (login.max_failures_per_account_address), this address for any
    email (login.max_failures_per_address), and this email from all addresses
    (login.max_failures_per_account, set well above the first so that one address alone
    cannot reach it).

    - Not throttled: the password is checked (an unknown email, or one this login does
      not admit, does the same password work against a fixed dummy hash, so the answer
      time does not tell which emails exist). A refusal is LOGIN_FAILED and recorded as
      a LoginFailure; the failure that brings a scope to its limit is audited once as
      `account.login_throttled`.
    - Throttled (any scope at its limit): a right password is accepted only for an
      account with a second factor (`second_factor(account)` names the identity whose
      scan completes the login), from a browser that completed a login of that account
      before (`known_device(account)`, the surface's signed device cookie): the surface
      then always requires the scan, and the scan is the proof. This is what keeps the
      owner in while an attacker is being throttled, even when everyone shares one
      address (a proxy counted with the wrong number of hops). Any other browser gets the
      same refusal for a right password as for a wrong one, so the throttle is no oracle
      an attacker can keep guessing against. Every other attempt is refused with
      LOGIN_THROTTLED (`seconds`:
      the longest wait) and nothing is recorded, so a throttled caller cannot prolong
      the throttle; a wrong password is never answered LOGIN_FAILED then. Accounts
      without a second factor (ops staff, accounts still registering) stay refused.
    """
    key = email.strip().lower()[:254] if isinstance(email, str) else ""
    raw = password if isinstance(password, str) else ""
    ip = (ip or "")[:64]
    window = policy.value("login.failure_window_seconds")
    waits = throttle.throttled(_scopes(key, ip), window=window)
    account = Account.objects.filter(email=key).first() if key else None
    if account is None or not account.has_usable_password():
        right = throttle.check_nobody_password(raw)
    else:
        right = account.check_password(raw)
    admitted = account if account is not None and right and admits(account) else None
    if waits:
        if admitted is not None and second_factor(admitted) is not None and known_device(admitted):
            return admitted
        raise PlatformError(AccountError.LOGIN_THROTTLED, seconds=Seconds(max(waits.values())))
    if admitted is None:
        with transaction.atomic():
            LoginFailure.objects.create(email=key, ip=ip, at=clock.now())
            for scope, count in throttle.just_reached(_scopes(key, ip), window=window):
                audit.record(
                    Actor.anonymous(),
                    "account.login_throttled",
                    # An address's throttle concerns no one account.
                    target=account if scope.name != "address" else None,
                    after={
                        "email": key,
                        "ip": ip,
                        "scope": scope.name,
                        "failures": count,
                        "window_seconds": window,
                    },
                )
        raise PlatformError(AccountError.LOGIN_FAILED, field="password")
    return admitted


def _console_admits(account: Account) -> bool:
    return not account.is_staff and account.kind == AccountKind.MINIPROGRAM


def login_check_password(
    *,
    email: str,
    password: str,
    ip: str,
    second_factor: Callable[[Account], object | None] = _no_second_factor,
    known_device: Callable[[Account], bool] = lambda account: False,
) -> Account:
    """First step of the console login, throttled as `_password_step` says. The surface
    passes `second_factor` (the administrator bound to the account's mini program, a
    floor above: `miniprograms.selectors.login_bound_identity`) and `known_device`
    (whether this browser completed a login of the account before). Only mini program
    accounts; an inactive one with the right password is ACCOUNT_NOT_ACTIVATED."""
    account = _password_step(
        email=email,
        password=password,
        ip=ip,
        admits=_console_admits,
        second_factor=second_factor,
        known_device=known_device,
    )
    if not account.is_active:
        raise PlatformError(AccountError.ACCOUNT_NOT_ACTIVATED, field="email")
    return account


def ops_login_check_password(*, email: str, password: str, ip: str) -> Account:
    """Staff sign-in to the ops desk: throttled as `_password_step` says, with no second
    factor. A wrong password, an unknown email, a non-staff or a disabled account all
    fail alike."""
    return _password_step(
        email=email,
        password=password,
        ip=ip,
        admits=lambda account: account.is_staff and account.is_active,
        second_factor=_no_second_factor,
    )


def login_finish(*, account: Account, identity: Identity | None = None) -> None:
    """Record a completed login (after the second step when there is an administrator)."""
    # Only this address's failures are forgiven: an attacker's elsewhere keep counting.
    LoginFailure.objects.filter(email=account.email, ip=origin.current().ip[:64]).delete()
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
