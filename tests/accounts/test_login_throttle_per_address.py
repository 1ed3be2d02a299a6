"""Issue 9 item 5: the login throttle counts per (account, address), per address and per
account from all addresses, so an attacker at one address cannot lock the owner out from
another; while throttled, the right password of an account with the administrator's scan
still leads to the scan, everything else is refused without being recorded."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind, LoginFailure
from miniport.core import origin, policy
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.miniprograms.selectors import login_bound_identity
from tests.accounts.conftest import PASSWORD

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def console(email, password=PASSWORD, ip=OWNER, known_device=False):
    return services.login_check_password(
        email=email,
        password=password,
        ip=ip,
        second_factor=login_bound_identity,
        known_device=lambda account: known_device,
    )


def ops(email, password=PASSWORD, ip=OWNER):
    return services.ops_login_check_password(email=email, password=password, ip=ip)


def refused(code, call, *args, **kwargs) -> PlatformError:
    with pytest.raises(PlatformError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def fail(call, email, times, ip=ATTACKER):
    for _ in range(times):
        refused(AccountError.LOGIN_FAILED, call, email, "Wrong-Pass1", ip)


def lockouts():
    return list(AuditEntry.objects.filter(action="account.login_throttled").order_by("id"))


@pytest.fixture
def staff(db):
    return Account.objects.create_user(
        "operator@example.com", PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


def test_an_attacker_at_one_address_does_not_lock_the_owner_out_elsewhere(drive, staff):
    """Issue 9 item 5: the owner signs in from another address while the attacker's
    address is throttled for the account."""
    walk = drive()
    limit = policy.value("login.max_failures_per_account_address")
    fail(console, walk.email, limit)
    fail(ops, staff.email, limit)
    assert console(walk.email) == walk.account
    assert ops(staff.email) == staff


def test_the_attackers_address_is_refused_without_recording(drive, staff):
    """Issue 9 item 5: at the limit a wrong guess is not answered "wrong password" and
    is not recorded; an account without a second factor refuses the right one too."""
    walk = drive()
    limit = policy.value("login.max_failures_per_account_address")
    with time_machine.travel(START, tick=False):
        fail(console, walk.email, limit)
        fail(ops, staff.email, limit)
        failures = LoginFailure.objects.count()
        error = refused(AccountError.LOGIN_THROTTLED, console, walk.email, "Wrong-Pass2", ATTACKER)
        assert error.params["seconds"] == policy.value("login.failure_window_seconds")
        refused(AccountError.LOGIN_THROTTLED, ops, staff.email, "Wrong-Pass2", ATTACKER)
        refused(AccountError.LOGIN_THROTTLED, ops, staff.email, PASSWORD, ATTACKER)
        assert LoginFailure.objects.count() == failures


def test_while_throttled_the_right_password_of_an_account_with_a_scan_goes_to_the_scan(drive):
    """Issue 9 item 5: even from the throttled address (everyone behind one proxy), the
    owner's right password is accepted for the second step, the scan, from a browser that
    completed a login of the account before (its device cookie)."""
    walk = drive()
    assert login_bound_identity(walk.account) == walk.admin
    limit = policy.value("login.max_failures_per_address")
    for n in range(limit):
        refused(AccountError.LOGIN_FAILED, console, f"guess{n}@example.com", "x", ATTACKER)
    assert console(walk.email, ip=ATTACKER, known_device=True) == walk.account
    refused(
        AccountError.LOGIN_THROTTLED,
        console,
        walk.email,
        "Wrong-Pass1",
        ATTACKER,
        known_device=True,
    )


def test_while_throttled_another_browser_cannot_tell_a_right_password_from_a_wrong_one(drive):
    """REG-10: a browser the account never completed a login in gets the throttle's
    refusal for the right password as for a wrong one, so guessing on behind the throttle
    tells an attacker nothing; nothing is recorded for either."""
    walk = drive()
    limit = policy.value("login.max_failures_per_account_address")
    fail(console, walk.email, limit)
    failures = LoginFailure.objects.count()
    right = refused(AccountError.LOGIN_THROTTLED, console, walk.email, PASSWORD, ATTACKER)
    wrong = refused(AccountError.LOGIN_THROTTLED, console, walk.email, "Wrong-Pass9", ATTACKER)
    assert right.message("en") == wrong.message("en")
    assert LoginFailure.objects.count() == failures


def test_an_account_still_registering_has_no_scan_and_stays_throttled(drive):
    """Issue 9 item 5: the right password passes the throttle only with a second factor."""
    walk = drive("activated")
    assert login_bound_identity(walk.account) is None
    limit = policy.value("login.max_failures_per_account_address")
    fail(console, walk.email, limit)
    refused(AccountError.LOGIN_THROTTLED, console, walk.email, PASSWORD, ATTACKER)
    assert console(walk.email, ip=OWNER) == walk.account


def test_many_addresses_together_throttle_an_account(staff):
    """Issue 9 item 5: spreading guesses over addresses does not give unlimited tries."""
    per_pair = policy.value("login.max_failures_per_account_address")
    per_account = policy.value("login.max_failures_per_account")
    assert per_account > per_pair * 2, "one address alone must not reach the account limit"
    for n in range(per_account):
        refused(AccountError.LOGIN_FAILED, ops, staff.email, "Wrong-Pass1", f"10.0.{n}.1")
    refused(AccountError.LOGIN_THROTTLED, ops, staff.email, PASSWORD, OWNER)


def test_a_lockout_is_audited_once_when_it_starts(drive):
    walk = drive()
    limit = policy.value("login.max_failures_per_account_address")
    fail(console, walk.email, limit - 1)
    assert lockouts() == []
    fail(console, walk.email, 1)
    refused(AccountError.LOGIN_THROTTLED, console, walk.email, "Wrong-Pass2", ATTACKER)
    (entry,) = lockouts()
    assert entry.actor_kind == "anonymous"
    assert entry.target_id == str(walk.account.pk)
    assert entry.after == {
        "email": walk.email,
        "ip": ATTACKER,
        "scope": "account_address",
        "failures": limit,
        "window_seconds": policy.value("login.failure_window_seconds"),
    }


def test_an_address_lockout_names_no_account(db):
    limit = policy.value("login.max_failures_per_address")
    for n in range(limit):
        refused(AccountError.LOGIN_FAILED, ops, f"guess{n}@example.com", "x", ATTACKER)
    (entry,) = [row for row in lockouts() if row.after["scope"] == "address"]
    assert entry.target_id == "" and entry.after["ip"] == ATTACKER


def test_a_completed_login_forgives_only_the_failures_of_its_own_address(staff):
    limit = policy.value("login.max_failures_per_account_address")
    fail(ops, staff.email, limit)
    fail(ops, staff.email, 2, ip=OWNER)
    token = origin.set_current(origin.Origin(ip=OWNER))
    try:
        services.login_finish(account=ops(staff.email))
    finally:
        origin.reset(token)
    assert LoginFailure.objects.filter(ip=OWNER).count() == 0
    assert LoginFailure.objects.filter(ip=ATTACKER).count() == limit
    refused(AccountError.LOGIN_THROTTLED, ops, staff.email, PASSWORD, ATTACKER)
