"""Issue 9 item 3: the staff sign-in gives the browser a new session key, so a key planted
in the browser beforehand does not become a signed-in staff session."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.ops.journeys import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_planted_session_key_is_not_the_signed_in_one(staff):
    attacker = Client()
    attacker.get("/login/member/")  # any page that starts a session
    planted = attacker.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=planted).exists()
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = victim.post(reverse("ops:login"), {"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert victim.session["_auth_user_id"] == str(staff.pk)
    assert victim.session.session_key != planted
    assert not Session.objects.filter(session_key=planted).exists()
    assert "_auth_user_id" not in attacker.session
    assert attacker.get(reverse("ops:registrations")).status_code == 302
