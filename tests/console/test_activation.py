"""REG-3: the "mail sent" page, resending, and the activation link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account
from miniport.core import clock
from tests.console.conftest import PASSWORD, activation_path, zh_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(journey):
    trip = journey("wait@example.com")
    trip.register()
    return trip


def test_sent_page_names_the_address_and_offers_help(registered):
    """REG-3: "mail sent to X", check the address (fill in again), spam folder, resend."""
    page = registered.client.get("/register/sent/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "wait@example.com" in html
    assert 'href="/register/"' in html
    assert 'data-testid="resend"' in html
    assert "检查你的邮件垃圾箱" in html


def test_resending_at_once_is_refused_with_the_wait_and_sends_nothing(registered):
    """REG-3: the resend is throttled; the page shows the coded error."""
    sent_at = registered.account.activation_sent_at
    response = registered.client.post("/register/sent/")
    assert response.status_code == 200
    assert (
        AccountError.ACTIVATION_RESEND_TOO_SOON.value[1].split("{")[0] in response.content.decode()
    )
    assert len(mail.outbox) == 1
    assert registered.account.activation_sent_at == sent_at


def test_resending_after_the_interval_mails_a_new_link(registered):
    """REG-3: resend."""
    first = activation_path("wait@example.com")
    with time_machine.travel(clock.now() + timedelta(seconds=61), tick=False):
        response = registered.client.post("/register/sent/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert activation_path("wait@example.com") != first


def test_the_link_activates_logs_in_and_continues_to_the_information_step(registered):
    """REG-3: activation; the account continues to ③ information registration."""
    response = registered.client.get(activation_path("wait@example.com"))
    assert response.status_code == 302 and response.url == "/register/info/"
    account = registered.account
    assert account.is_active
    assert registered.client.session["_auth_user_id"] == str(account.pk)
    assert registered.client.get("/register/info/").status_code == 200


def test_an_expired_link_shows_the_coded_message_and_a_resend_entry(registered):
    """REG-3: links expire; the account stays inactive. The browser that registered, its
    session still alive, is offered to resend at once."""
    from tests.miniprograms.devsettings_support import set_policy

    set_policy("registration.activation_link_ttl_hours", 1)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        traveller.shift(timedelta(minutes=2))
        assert registered.client.post("/register/sent/").status_code == 302  # a 1-hour link
        path = activation_path("wait@example.com")
        for _ in range(4):  # the browser stays active past the link's hour
            traveller.shift(timedelta(minutes=20))
            assert registered.client.get("/register/sent/").status_code == 200
        response = registered.client.get(path)
    html = response.content.decode()
    assert response.status_code == 400
    assert AccountError.ACTIVATION_EXPIRED.message("zh-hans") in html
    assert 'action="/register/sent/"' in html
    assert not registered.account.is_active
    assert "_auth_user_id" not in registered.client.session


def test_an_expired_link_after_the_session_ended_points_to_the_login(registered):
    """REG-3: two days later the registering session is over (sessions last 12 hours at
    most), so the page says how to get a new mail: log in with email and password."""
    path = activation_path("wait@example.com")
    with time_machine.travel(clock.now() + timedelta(hours=49), tick=False):
        response = registered.client.get(path)
    html = response.content.decode()
    assert response.status_code == 400
    assert AccountError.ACTIVATION_EXPIRED.message("zh-hans") in html
    assert 'action="/register/sent/"' not in html and 'href="/login/"' in html
    assert not registered.account.is_active


def test_an_unknown_link_is_refused_and_changes_nothing(registered):
    response = zh_client().get("/register/activate/not-a-real-token/")
    assert response.status_code == 400
    assert AccountError.ACTIVATION_INVALID.message("zh-hans") in response.content.decode()
    assert 'href="/login/"' in response.content.decode()
    assert not registered.account.is_active


def test_clicking_the_link_again_elsewhere_never_logs_in(registered):
    """A used link continues nowhere without the password."""
    path = activation_path("wait@example.com")
    registered.client.get(path)
    other = zh_client()
    response = other.get(path)
    assert response.status_code == 302 and response.url == "/login/"
    assert "_auth_user_id" not in other.session


def test_an_account_not_yet_activated_cannot_log_in_but_may_ask_for_the_mail_again(registered):
    """REG-3: the account stays inactive until activated."""
    browser = zh_client()
    response = browser.post("/login/", {"email": "wait@example.com", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert AccountError.ACCOUNT_NOT_ACTIVATED.message("zh-hans") in html
    assert 'data-testid="not-activated"' in html
    assert "_auth_user_id" not in browser.session
    with time_machine.travel(clock.now() + timedelta(seconds=61), tick=False):
        assert browser.post("/register/sent/").status_code == 302
    assert len(mail.outbox) == 2
    assert not Account.objects.get(email="wait@example.com").is_active


def test_the_sent_page_without_a_registration_goes_back_to_the_form():
    response = zh_client().get("/register/sent/")
    assert response.status_code == 302 and response.url == "/register/"
