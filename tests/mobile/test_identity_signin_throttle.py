"""Issue 9 item 1: identity sign-in on the phone pages is throttled per WeChat ID and
address, per address and per WeChat ID; failures are recorded and lockouts audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import Seconds
from miniport.core.models import AuditEntry
from miniport.core.services import policy_set_override
from miniport.identities.errors import IdentityError
from miniport.identities.models import SignInFailure
from miniport.mobile.auth import SESSION_IDENTITY

LOGIN = "/m/login/"
PASSWORD = "secret-pass-1"
START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
THROTTLED_PREFIX = IdentityError.IDENTITY_LOGIN_THROTTLED.value[1].split("{")[0]

pytestmark = pytest.mark.django_db


def sign_in(wechat_id, password, *, ip="198.51.100.7", browser=None):
    browser = browser or Client()
    response = browser.post(LOGIN, {"wechat_id": wechat_id, "password": password}, REMOTE_ADDR=ip)
    return browser, response


def throttled_error(response) -> str:
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and errors[0].startswith(THROTTLED_PREFIX), errors
    return errors[0]


def lockouts() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="identity.sign_in_throttled").order_by("id"))


def test_wrong_passwords_are_recorded_and_the_limit_refuses_even_the_right_one(make_identity):
    """Issue 9 item 1: after the per-identity-and-address limit the right password is
    refused from that address with a message naming the wait; nothing is recorded then."""
    make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    with time_machine.travel(START, tick=False):
        for _ in range(limit):
            sign_in("alice_01", "wrong-pass")
        assert SignInFailure.objects.filter(wechat_id="alice_01").count() == limit
        browser, response = sign_in("alice_01", PASSWORD)
        message = throttled_error(response)
        window = policy.value("identity_signin.failure_window_seconds")
        assert f"请 {Seconds(window).said_in('zh-hans')}后再试" in message
        assert SESSION_IDENTITY not in browser.session
        assert SignInFailure.objects.count() == limit


def test_the_wait_shrinks_and_the_window_ends_the_throttle(make_identity):
    identity = make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    window = policy.value("identity_signin.failure_window_seconds")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(limit):
            sign_in("alice_01", "wrong-pass")
        traveller.shift(timedelta(seconds=window - 10))
        assert "10 秒" in throttled_error(sign_in("alice_01", PASSWORD)[1])
        traveller.shift(timedelta(seconds=10))
        browser, response = sign_in("alice_01", PASSWORD)
        assert response.status_code == 302
        assert browser.session[SESSION_IDENTITY] == identity.pk


def test_an_attacker_at_one_address_does_not_lock_the_identity_out_elsewhere(make_identity):
    """Issue 9 items 1 and 5: counted per (identity, address), not per identity alone."""
    identity = make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    for _ in range(limit + 3):
        sign_in("alice_01", "wrong-pass", ip="203.0.113.66")
    browser, response = sign_in("alice_01", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302
    assert browser.session[SESSION_IDENTITY] == identity.pk


def test_too_many_failures_from_one_address_throttle_every_identity_there(make_identity):
    """Issue 9 item 1: per address, across WeChat IDs (unknown ones count too)."""
    make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_address")
    for n in range(limit):
        sign_in(f"guess_{n:03d}", "wrong-pass", ip="203.0.113.66")
    assert SignInFailure.objects.filter(ip="203.0.113.66").count() == limit
    throttled_error(sign_in("alice_01", PASSWORD, ip="203.0.113.66")[1])
    assert sign_in("alice_01", PASSWORD, ip="198.51.100.7")[1].status_code == 302


def test_many_addresses_together_throttle_one_identity(make_identity):
    """Issue 9 item 1: per identity from all addresses, so spreading guesses over many
    addresses does not give unlimited guesses."""
    make_identity("alice_01")
    policy_set_override(
        actor=Actor.system("tests"), key="identity_signin.max_failures_per_identity", value=3
    )
    for n in range(3):
        sign_in("alice_01", "wrong-pass", ip=f"203.0.113.{n + 1}")
    throttled_error(sign_in("alice_01", PASSWORD, ip="198.51.100.7")[1])


def test_a_lockout_is_audited_once_when_it_starts(make_identity):
    """Issue 9 item 1: one audit row when a throttle starts, not one per failure."""
    identity = make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    for _ in range(limit - 1):
        sign_in("alice_01", "wrong-pass")
    assert lockouts() == []
    sign_in("alice_01", "wrong-pass")
    for _ in range(3):
        sign_in("alice_01", "wrong-pass")
    (entry,) = lockouts()
    assert entry.actor_kind == "anonymous"
    assert entry.target_id == str(identity.pk)
    assert entry.after["scope"] == "identity_address"
    assert entry.after["wechat_id"] == "alice_01"
    assert entry.after["ip"] == "198.51.100.7"
    assert entry.after["failures"] == limit
    assert "wrong-pass" not in str(entry.after)


def test_a_right_password_records_nothing(make_identity):
    """Issue 9 item 1: only refusals are recorded."""
    make_identity("alice_01")
    assert sign_in("alice_01", PASSWORD)[1].status_code == 302
    assert SignInFailure.objects.count() == 0
    assert lockouts() == []


def test_a_successful_sign_in_forgives_only_the_failures_of_its_own_address(make_identity):
    make_identity("alice_01")
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    for _ in range(limit):
        sign_in("alice_01", "wrong-pass", ip="203.0.113.66")
    sign_in("alice_01", "wrong-pass", ip="198.51.100.7")
    assert sign_in("alice_01", PASSWORD, ip="198.51.100.7")[1].status_code == 302
    assert SignInFailure.objects.filter(ip="198.51.100.7").count() == 0
    assert SignInFailure.objects.filter(ip="203.0.113.66").count() == limit
    throttled_error(sign_in("alice_01", PASSWORD, ip="203.0.113.66")[1])
