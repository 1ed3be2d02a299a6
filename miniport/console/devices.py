"""Browsers that completed a console login, remembered in a signed cookie (a device
cookie): while the login is throttled, only such a browser's right password still leads
to the administrator's scan (accounts.services.login._password_step). Every other
browser gets the throttle's refusal whether the password was right or wrong, so an
attacker learns nothing by guessing on, and the owner keeps a way in from the browser
they use.

The cookie names account ids only, signed with the project's secret; it grants nothing
by itself (the password and the scan are still required).
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from miniport.accounts.models import Account
from miniport.core import policy

COOKIE = "miniport_device"
_SALT = "miniport.console.devices"


def _most() -> int:
    """Accounts one browser is remembered for (people who manage several mini programs)."""
    return policy.value("console.device_cookie_accounts")


def _max_age() -> int:
    return policy.value("console.device_cookie_days") * 24 * 3600


def remembered(request: HttpRequest) -> list[int]:
    """The account ids this browser completed a login of, within the cookie's lifetime."""
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return []
    try:
        ids = signing.loads(raw, salt=_SALT, max_age=_max_age())
    except (signing.BadSignature, ValueError, TypeError):
        return []
    if not isinstance(ids, list):
        return []
    return [value for value in ids if isinstance(value, int)][-_most() :]


def is_known(request: HttpRequest, account: Account) -> bool:
    return account.pk in remembered(request)


def remember(request: HttpRequest, response: HttpResponseBase, account: Account) -> None:
    """Set the cookie after a completed login, this account last."""
    ids = [value for value in remembered(request) if value != account.pk] + [account.pk]
    response.set_cookie(
        COOKIE,
        signing.dumps(ids[-_most() :], salt=_SALT),
        max_age=_max_age(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
