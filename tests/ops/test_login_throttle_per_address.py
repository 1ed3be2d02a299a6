"""Issue 9 item 5: an attacker at one address cannot lock a staff member out of the ops
desk from another address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from miniport.accounts.errors import AccountError
from miniport.accounts.models import LoginFailure
from miniport.core import policy
from tests.ops.journeys import PASSWORD

pytestmark = pytest.mark.django_db
THROTTLED = AccountError.LOGIN_THROTTLED.value[1].split("{")[0]


def sign_in(email, password, ip):
    browser = Client()
    response = browser.post(
        reverse("ops:login"), {"email": email, "password": password}, REMOTE_ADDR=ip
    )
    return browser, response


def test_the_owner_signs_in_from_another_address_while_the_attacker_is_throttled(staff):
    limit = policy.value("login.max_failures_per_account_address")
    for _ in range(limit):
        sign_in(staff.email, "wrong-password", "203.0.113.66")
    failures = LoginFailure.objects.count()
    attacker, response = sign_in(staff.email, PASSWORD, "203.0.113.66")
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert LoginFailure.objects.count() == failures
    owner, response = sign_in(staff.email, PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(staff.pk)
