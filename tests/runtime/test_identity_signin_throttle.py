"""Issue 9 item 1: POST /runtime/v1/session is throttled like the phone pages (the same
counters), and answers the throttle with a clear errcode."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from miniport.core import clock, policy
from miniport.core.errors import Seconds
from miniport.core.models import AuditEntry
from miniport.identities.models import SignInFailure
from tests.runtime.conftest import Runtime

pytestmark = pytest.mark.django_db

PASSWORD = "alice-pass-1"


def host(ip: str = "198.51.100.7") -> Runtime:
    return Runtime(Client(REMOTE_ADDR=ip))


def test_the_host_app_sign_in_is_throttled_with_a_clear_errcode(make_identity):
    make_identity("alice_wx", password=PASSWORD)
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    # The clock stands still, so the wait named is the whole window (a loaded machine
    # could cross a second between the first failure and the refusal).
    with time_machine.travel(clock.now(), tick=False):
        for _ in range(limit):
            assert host().sign_in("alice_wx", "wrong-pass")["error"] == "identity_login_failed"
        assert SignInFailure.objects.filter(wechat_id="alice_wx").count() == limit
        result = host().sign_in("alice_wx", PASSWORD)
    assert result["errcode"] == 40097
    assert result["error"] == "identity_login_throttled"
    window = policy.value("identity_signin.failure_window_seconds")
    wait = Seconds(window).said_in("en")
    assert result["errmsg"].startswith(f"too many sign-in attempts, try again in {wait}")
    assert "session" not in result
    assert SignInFailure.objects.count() == limit
    assert AuditEntry.objects.filter(action="identity.sign_in_throttled").count() == 1


def test_another_address_still_signs_in(make_identity):
    make_identity("alice_wx", password=PASSWORD)
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    for _ in range(limit):
        host("203.0.113.66").sign_in("alice_wx", "wrong-pass")
    result = host("198.51.100.7").sign_in("alice_wx", PASSWORD)
    assert result["errcode"] == 0 and result["session"]


def test_the_phone_pages_and_the_host_app_share_the_counters(make_identity):
    make_identity("alice_wx", password=PASSWORD)
    limit = policy.value("identity_signin.max_failures_per_identity_address")
    phone = Client()
    for _ in range(limit):
        phone.post(
            "/m/login/", {"wechat_id": "alice_wx", "password": "wrong"}, REMOTE_ADDR="198.51.100.7"
        )
    assert host().sign_in("alice_wx", PASSWORD)["error"] == "identity_login_throttled"


@pytest.mark.parametrize(
    "body", [{"wechat_id": "x" * 5000, "password": "p"}, {"wechat_id": "   ", "password": "p"}]
)
def test_junk_wechat_ids_are_counted_per_address_without_breaking(make_identity, body):
    result = host().call("POST", "session", body)
    assert result["error"] == "identity_login_failed"
    failure = SignInFailure.objects.get()
    assert (failure.wechat_id, failure.ip) == ("", "198.51.100.7")


def test_a_host_app_relaying_sign_ins_names_each_device_address(make_identity):
    """Issue 9 item 1: a host app that signs users in from one server names each device in
    X-Identity-Address, so one device's guesses do not lock out the users of the others."""
    make_identity("alice_wx", password=PASSWORD)
    make_identity("bob_wx", password=PASSWORD)
    server = Client(REMOTE_ADDR="10.0.0.5")
    runtime = Runtime(server)
    limit = policy.value("identity_signin.max_failures_per_address")
    for number in range(limit):
        runtime.client.defaults["HTTP_X_IDENTITY_ADDRESS"] = "203.0.113.66"
        runtime.sign_in(f"guess_{number}", "wrong-pass")
    assert set(SignInFailure.objects.values_list("ip", flat=True)) == {"203.0.113.66"}
    runtime.client.defaults["HTTP_X_IDENTITY_ADDRESS"] = "203.0.113.66"
    assert runtime.sign_in("bob_wx", PASSWORD)["error"] == "identity_login_throttled"
    runtime.client.defaults["HTTP_X_IDENTITY_ADDRESS"] = "::ffff:198.51.100.7"
    result = runtime.sign_in("alice_wx", PASSWORD)
    assert result["errcode"] == 0 and result["session"]


def test_a_device_address_that_is_not_an_address_is_refused(make_identity):
    make_identity("alice_wx", password=PASSWORD)
    runtime = host()
    runtime.client.defaults["HTTP_X_IDENTITY_ADDRESS"] = "not-an-address"
    result = runtime.sign_in("alice_wx", PASSWORD)
    assert result["errcode"] == 40097
    assert "session" not in result
    assert SignInFailure.objects.count() == 0
