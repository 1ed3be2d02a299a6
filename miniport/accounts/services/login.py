"""REG-10: email and password, then the bound administrator's scan."""

from __future__ import annotations

from datetime import timedelta

from miniport.accounts.models import Account, LoginFailure
from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError


def _throttle(email: str, ip: str) -> None:
    window = policy.value("login.failure_window_seconds")
    since = clock.now() - timedelta(seconds=window)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_account = recent.filter(email=email)
    by_address = recent.filter(ip=ip) if ip else recent.none()
    for rows, limit in (
        (by_account, policy.value("login.max_failures_per_account")),
        (by_address, policy.value("login.max_failures_per_address")),
    ):
        if rows.count() >= limit:
            oldest = rows.order_by("at").values_list("at", flat=True)[rows.count() - limit]
            wait = int((oldest + timedelta(seconds=window) - clock.now()).total_seconds()) + 1
            raise PlatformError(ErrorCode.LOGIN_THROTTLED, seconds=max(wait, 1))


def login_check_password(*, email: str, password: str, ip: str) -> Account:
    """First step. Refuses while the account or the address has too many recent failures."""
    email = (email or "").strip().lower()
    _throttle(email, ip)
    account = Account.objects.filter(email=email).first()
    if account is None or not account.check_password(password or "") or account.is_staff:
        LoginFailure.objects.create(email=email, ip=ip, at=clock.now())
        raise PlatformError(ErrorCode.LOGIN_FAILED, field="password")
    if not account.is_active:
        raise PlatformError(ErrorCode.ACCOUNT_NOT_ACTIVATED, field="email")
    return account


def login_finish(*, account: Account, identity=None) -> None:
    """Record a completed login (after the second step when there is an administrator)."""
    LoginFailure.objects.filter(email=account.email).delete()
    actor = Actor.for_identity(identity) if identity is not None else Actor.for_account(account)
    appid = getattr(getattr(account, "miniprogram", None), "appid", "") if hasattr(account, "miniprogram") else ""
    audit.record(actor, "account.login", target=account, appid=appid, after={"email": account.email})
