"""What the console keeps in the browser session between steps.

Only identifiers live here, never a half-finished login: the password step of a
two-step login leaves a pending account id, and the account is logged in (Django's
`login`) only after the administrator's scan.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare

from miniport.accounts.models import Account
from miniport.identities import services as identity_services

# Set by the registration form; the "mail sent" page resends to this account.
SIGNUP_ACCOUNT = "console_signup_account_id"
# Set by the password step of a two-step login; the scan step finishes it.
LOGIN_ACCOUNT = "console_login_account_id"
# The QR ticket of the login scan step.
LOGIN_TICKET = "console_login_ticket"
# The pending account's session auth hash at the password step: a password changed since
# (a reset) ends the half-done login, as Django ends logged-in sessions.
LOGIN_HASH = "console_login_hash"
# The identity that confirmed this console session (administrator's scan).
IDENTITY = "console_identity_id"


def _account(request, name: str) -> Account | None:
    raw = request.session.get(name)
    if not isinstance(raw, int):
        return None
    return Account.objects.filter(pk=raw).first()


def remember_signup(request, account: Account) -> None:
    request.session[SIGNUP_ACCOUNT] = account.pk


def signup_account(request) -> Account | None:
    return _account(request, SIGNUP_ACCOUNT)


def renew_key(request) -> None:
    """Give the browser session a new key, keeping its data (against session fixation).

    A key planted in the browser by someone else (a cookie set from a sibling domain, a
    link) stops working here, so whatever this browser does next (the scan step, the QR
    ticket it is bound to) belongs to this browser alone. Live tickets of the old key
    follow to the new one, as on a phone sign-in."""
    old_key = request.session.session_key
    request.session.cycle_key()
    identity_services.tickets_follow_session(
        old_session_key=old_key, new_session_key=request.session.session_key
    )


def remember_login(request, account: Account) -> None:
    """After the password step: the pending account, under a new session key, so only the
    browser that gave the password may finish with the scan (issue 9 item 3)."""
    renew_key(request)
    request.session[LOGIN_ACCOUNT] = account.pk
    request.session[LOGIN_HASH] = account.get_session_auth_hash()
    request.session.pop(LOGIN_TICKET, None)


def login_account(request) -> Account | None:
    """The account waiting for the scan, while its password is the one that was given."""
    account = _account(request, LOGIN_ACCOUNT)
    if account is None:
        return None
    stored = request.session.get(LOGIN_HASH)
    if not isinstance(stored, str) or not constant_time_compare(
        stored, account.get_session_auth_hash()
    ):
        forget_login(request)
        return None
    return account


def forget_login(request) -> None:
    for name in (LOGIN_ACCOUNT, LOGIN_TICKET, LOGIN_HASH):
        request.session.pop(name, None)


def remember_identity(request, identity_id: int) -> None:
    request.session[IDENTITY] = identity_id


def identity_id(request) -> int | None:
    raw = request.session.get(IDENTITY)
    return raw if isinstance(raw, int) else None
