"""Staff sign in with email and password; failures are throttled per account and per
address with the login.* policy rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miniport.accounts.errors import AccountError
from miniport.accounts.models import LoginFailure
from miniport.core import policy
from miniport.core.models import AuditEntry
from tests.ops.journeys import PASSWORD

pytestmark = pytest.mark.django_db
START = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def sign_in(client, email, password, **extra):
    return client.post(reverse("ops:login"), {"email": email, "password": password, **extra})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_staff_sign_in_with_email_and_password_opens_the_registrations(client, staff):
    response = sign_in(client, "Operator@Miniport.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("ops:registrations")
    assert signed_in_as(client) == str(staff.pk)
    entry = AuditEntry.objects.get(action="account.login")
    assert (entry.actor_kind, entry.actor_label) == ("staff", staff.email)


def test_sign_in_returns_to_the_page_asked_for(client, staff):
    target = reverse("ops:audit") + "?action=policy."
    response = sign_in(client, staff.email, PASSWORD, next=target)
    assert response["Location"] == target


def test_sign_in_never_redirects_off_the_desk(client, staff):
    response = sign_in(client, staff.email, PASSWORD, next="https://evil.example/ops/")
    assert response["Location"] == reverse("ops:registrations")


def test_a_wrong_password_is_refused_and_counted(client, staff):
    response = sign_in(client, staff.email, "wrong-password")
    assert response.status_code == 200
    assert AccountError.LOGIN_FAILED.message("zh-hans") in response.content.decode()
    assert signed_in_as(client) is None
    assert LoginFailure.objects.filter(email=staff.email).count() == 1


def test_a_console_account_cannot_sign_in_to_the_desk(client, console_account):
    response = sign_in(client, console_account.email, PASSWORD)
    assert AccountError.LOGIN_FAILED.message("zh-hans") in response.content.decode()
    assert signed_in_as(client) is None
    assert LoginFailure.objects.filter(email=console_account.email).count() == 1


def test_a_disabled_staff_account_cannot_sign_in(client, staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    sign_in(client, staff.email, PASSWORD)
    assert signed_in_as(client) is None


def test_too_many_failures_for_one_account_lock_it_for_the_window(client, staff):
    """Issue 9 item 5: counted per account and address; staff have no second factor, so
    the right password from that address waits for the window too."""
    limit = policy.value("login.max_failures_per_account_address")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(limit):
            sign_in(client, staff.email, "wrong-password")
        response = sign_in(client, staff.email, PASSWORD)
        assert "尝试次数过多" in response.content.decode()
        assert signed_in_as(client) is None
        assert LoginFailure.objects.filter(email=staff.email).count() == limit

        traveller.shift(timedelta(seconds=policy.value("login.failure_window_seconds") + 1))
        response = sign_in(client, staff.email, PASSWORD)
        assert response.status_code == 302
        assert signed_in_as(client) == str(staff.pk)
        # A completed sign-in clears the account's failures.
        assert LoginFailure.objects.filter(email=staff.email).count() == 0


def test_too_many_failures_from_one_address_lock_that_address(client, staff):
    limit = policy.value("login.max_failures_per_address")
    with time_machine.travel(START, tick=False):
        for n in range(limit):
            sign_in(client, f"nobody{n}@example.com", "wrong-password")
        response = sign_in(client, staff.email, PASSWORD)
    assert "尝试次数过多" in response.content.decode()
    assert signed_in_as(client) is None


def test_the_failure_limit_follows_the_policy_override(client, staff):
    """B-8: the operator tunes the throttle from the policy table."""
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key="login.max_failures_per_account", value=1)
    sign_in(client, staff.email, "wrong-password")
    response = sign_in(client, staff.email, PASSWORD)
    assert "尝试次数过多" in response.content.decode()
    assert signed_in_as(client) is None


def test_sign_out_ends_the_staff_session(staff_client):
    response = staff_client.post(reverse("ops:logout"))
    assert response["Location"] == reverse("ops:login")
    assert signed_in_as(staff_client) is None
    assert staff_client.get(reverse("ops:registrations")).status_code == 302


def test_sign_out_needs_a_post(staff_client):
    assert staff_client.get(reverse("ops:logout")).status_code == 405
    assert signed_in_as(staff_client) is not None
