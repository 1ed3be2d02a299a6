"""Issue 9 item 4: an unknown email does the same password work as a known one, on the
console and the ops login (and an unknown WeChat ID on the identity sign-in), so the
answer time does not tell which emails exist. Counted, not timed: the configured
hasher's `verify` runs exactly once per attempt whatever the email."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from tests.accounts.conftest import PASSWORD

IP = "203.0.113.5"


@contextmanager
def counted_verifies():
    hasher = type(get_hasher())
    calls: list[str] = []
    original = hasher.verify

    def verify(self, password, encoded):
        calls.append(encoded)
        return original(self, password, encoded)

    with mock.patch.object(hasher, "verify", verify):
        yield calls


def refused(call, code, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(**kwargs)
    assert caught.value.code == code


@pytest.fixture
def staff(db):
    return Account.objects.create_user(
        "operator@example.com", PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("nobody@example.com", PASSWORD),
        ("", PASSWORD),
        ("KNOWN", "Wrong-Pass1"),
        ("operator@example.com", PASSWORD),
    ],
    ids=["unknown email", "empty email", "wrong password", "staff email"],
)
def test_every_refused_console_login_does_the_password_work_once(drive, staff, email, password):
    walk = drive("activated")
    email = walk.email if email == "KNOWN" else email
    with counted_verifies() as calls:
        refused(
            services.login_check_password,
            AccountError.LOGIN_FAILED,
            email=email,
            password=password,
            ip=IP,
        )
    assert len(calls) == 1


def test_a_successful_console_login_does_the_same_work(drive):
    walk = drive("activated")
    with counted_verifies() as calls:
        services.login_check_password(email=walk.email, password=PASSWORD, ip=IP)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "email", ["nobody@example.com", "operator@example.com", "CONSOLE"], ids=str
)
def test_every_ops_login_does_the_password_work_once(drive, staff, email):
    walk = drive("activated")
    email = walk.email if email == "CONSOLE" else email
    password = "Wrong-Pass1" if email == staff.email else PASSWORD
    with counted_verifies() as calls:
        refused(
            services.ops_login_check_password,
            AccountError.LOGIN_FAILED,
            email=email,
            password=password,
            ip=IP,
        )
    assert len(calls) == 1
    with counted_verifies() as calls:
        services.ops_login_check_password(email=staff.email, password=PASSWORD, ip=IP)
    assert len(calls) == 1


def test_an_account_without_a_usable_password_does_the_same_work(db):
    account = Account.objects.create_user(
        "nopass@example.com", None, is_active=True, kind=AccountKind.MINIPROGRAM
    )
    assert not account.has_usable_password()
    with counted_verifies() as calls:
        refused(
            services.login_check_password,
            AccountError.LOGIN_FAILED,
            email=account.email,
            password="",
            ip=IP,
        )
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("wechat_id", "password"),
    [("nobody_99", "secret-pass-1"), ("alice_01", "wrong-pass"), ("nopass_01", "x")],
    ids=["unknown", "wrong password", "no password"],
)
def test_every_identity_sign_in_does_the_password_work_once(make_identity, wechat_id, password):
    make_identity("alice_01")
    make_identity("nopass_01", password="")
    with counted_verifies() as calls:
        refused(
            identity_services.identity_check_password,
            IdentityError.IDENTITY_LOGIN_FAILED,
            wechat_id=wechat_id,
            password=password,
            ip=IP,
        )
    assert len(calls) == 1
