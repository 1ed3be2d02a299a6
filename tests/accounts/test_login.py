"""REG-10: console login: email and password, then the scan of the bound administrator."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind, LoginFailure
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.miniprograms.selectors import login_bound_identity
from tests.accounts.conftest import PASSWORD

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
IP = "203.0.113.5"


def password_step(email, password=PASSWORD, ip=IP):
    return services.login_check_password(email=email, password=password, ip=ip)


def expect(code, call, *args, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_the_email_and_password_pass_the_first_step(drive):
    """REG-10: the login name is the email, in any case."""
    walk = drive("activated")
    assert password_step(f"  {walk.email.upper()} ") == walk.account


def test_a_wrong_password_is_refused_and_counted(drive):
    """REG-10: failures are recorded for the throttle."""
    walk = drive("activated")
    error = expect(AccountError.LOGIN_FAILED, password_step, walk.email, "Wrong-Pass1")
    assert error.field == "password"
    assert LoginFailure.objects.filter(email=walk.email).count() == 1


def test_an_unknown_email_is_refused_like_a_wrong_password(db):
    """REG-10: the answer does not tell which accounts exist."""
    expect(AccountError.LOGIN_FAILED, password_step, "nobody@example.com")


@pytest.mark.parametrize(
    "kind", [AccountKind.OFFICIAL_ACCOUNT, AccountKind.OPEN_PLATFORM, AccountKind.STAFF]
)
def test_other_account_kinds_cannot_log_in_to_the_console(db, kind):
    """REG-10: the console is for mini program accounts."""
    Account.objects.create_user(
        "other@example.com", PASSWORD, kind=kind, is_active=True, is_staff=kind == AccountKind.STAFF
    )
    expect(AccountError.LOGIN_FAILED, password_step, "other@example.com")


def test_too_many_failures_lock_the_account_for_the_window(drive):
    """REG-10: five failures lock the account, even for the right password, until the window
    has passed."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("activated")
        for _ in range(5):
            expect(AccountError.LOGIN_FAILED, password_step, walk.email, "Wrong-Pass1")
        error = expect(AccountError.LOGIN_THROTTLED, password_step, walk.email)
        assert error.params["seconds"] > 0
        traveller.shift(timedelta(seconds=900))
        assert password_step(walk.email) == walk.account


def test_the_second_step_is_the_bound_administrator_scan(drive):
    """REG-10: only the administrator identity may confirm; the login is then recorded."""
    walk = drive()
    assert login_bound_identity(walk.account) == walk.admin
    ticket = services.login_request_scan(
        account=walk.account, admin_identity=walk.admin, session_key="login-browser"
    )
    assert ticket.purpose == "login" and ticket.expected_identity == walk.admin
    identity_services.ticket_confirm(identity=walk.admin, token=ticket.token)
    identity = services.login_complete_scan(
        account=walk.account,
        admin_identity=walk.admin,
        token=ticket.token,
        session_key="login-browser",
    )
    assert identity == walk.admin
    assert AuditEntry.objects.filter(
        action="account.login", target_id=str(walk.account.pk)
    ).exists()


def test_another_identity_cannot_confirm_the_login_scan(drive, make_identity):
    """REG-10: the scan must come from the bound identity."""
    walk = drive()
    ticket = services.login_request_scan(
        account=walk.account, admin_identity=walk.admin, session_key="login-browser"
    )
    expect(
        IdentityError.TICKET_WRONG_IDENTITY,
        identity_services.ticket_confirm,
        identity=make_identity(),
        token=ticket.token,
    )
    expect(
        IdentityError.TICKET_PENDING,
        services.login_complete_scan,
        account=walk.account,
        admin_identity=walk.admin,
        token=ticket.token,
        session_key="login-browser",
    )
    assert not AuditEntry.objects.filter(action="account.login").exists()


def test_the_login_scan_belongs_to_the_browser_session_that_asked(drive):
    """REG-10: another browser cannot use a confirmed login ticket."""
    walk = drive()
    ticket = services.login_request_scan(
        account=walk.account, admin_identity=walk.admin, session_key="login-browser"
    )
    identity_services.ticket_confirm(identity=walk.admin, token=ticket.token)
    expect(
        IdentityError.TICKET_FOREIGN_SESSION,
        services.login_complete_scan,
        account=walk.account,
        admin_identity=walk.admin,
        token=ticket.token,
        session_key="attacker-browser",
    )
    assert not AuditEntry.objects.filter(action="account.login").exists()


def test_a_login_ticket_of_another_account_is_refused(drive):
    """REG-10: a ticket confirmed for one account does not log in another."""
    first, second = drive(), drive()
    ticket = services.login_request_scan(
        account=first.account, admin_identity=first.admin, session_key="login-browser"
    )
    identity_services.ticket_confirm(identity=first.admin, token=ticket.token)
    expect(
        IdentityError.TICKET_INVALID,
        services.login_complete_scan,
        account=second.account,
        admin_identity=second.admin,
        token=ticket.token,
        session_key="login-browser",
    )
    assert not AuditEntry.objects.filter(action="account.login").exists()


def test_an_account_without_a_mini_program_has_no_scan_step(drive):
    """REG-10: while registering there is no administrator to scan yet."""
    walk = drive("activated")
    assert login_bound_identity(walk.account) is None
    expect(
        AccountError.REGISTRATION_STATE_INVALID,
        services.login_request_scan,
        account=walk.account,
        admin_identity=login_bound_identity(walk.account),
        session_key="login-browser",
    )
