"""REG-3: the activation mail, its link, its expiry and the resend throttle; the account
stays inactive (cannot log in, cannot register information) until activated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.core import mail

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, ActivationToken, RegistrationStatus
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from tests.accounts.conftest import PASSWORD, activation_token, subject_data

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TTL = timedelta(hours=48)


def refused(code, call, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    return caught.value


def test_registering_sends_an_activation_mail_with_a_link(drive):
    """REG-3: the mail goes to the registered address and carries the activation link."""
    walk = drive("registered")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [walk.email]
    token = activation_token(walk.email)
    assert f"{settings.SITE_URL}/register/activate/{token}/" in message.body
    assert "48" in message.body
    # Only a digest of the token is stored.
    assert not ActivationToken.objects.filter(digest=token).exists()


def test_the_account_stays_inactive_and_cannot_log_in_until_activated(drive, snapshot):
    """REG-3: before activation the password step refuses and Django's backend too."""
    walk = drive("registered")
    before = snapshot(walk)
    refused(
        AccountError.ACCOUNT_NOT_ACTIVATED,
        services.login_check_password,
        email=walk.email,
        password=PASSWORD,
        ip="203.0.113.5",
    )
    assert authenticate(username=walk.email, password=PASSWORD) is None
    assert snapshot(walk) == before


def test_the_information_step_is_refused_before_activation(drive, snapshot):
    """REG-3: an inactive account registers no information."""
    walk = drive("registered")
    before = snapshot(walk)
    refused(
        AccountError.ACCOUNT_NOT_ACTIVATED,
        services.registration_save_subject,
        actor=walk.actor,
        registration=walk.registration,
        data=subject_data("personal", walk.admin),
    )
    refused(
        AccountError.ACCOUNT_NOT_ACTIVATED,
        services.registration_send_sms,
        actor=walk.actor,
        registration=walk.registration,
        phone=walk.phone,
    )
    assert snapshot(walk) == before


def test_the_link_activates_the_account_and_opens_the_information_step(drive):
    """REG-3: after the click the account logs in and the registration waits for information."""
    walk = drive("registered")
    account = services.account_activate(token=activation_token(walk.email))
    assert account.is_active and account.activated_at is not None
    registration = walk.registration
    assert registration.status == RegistrationStatus.PENDING_INFORMATION
    assert registration.history.get().to_status == RegistrationStatus.PENDING_INFORMATION
    assert (
        services.login_check_password(email=walk.email, password=PASSWORD, ip="203.0.113.5")
        == account
    )


def test_a_second_click_on_the_used_link_just_continues(drive):
    """REG-3: clicking the link again changes nothing and does not fail."""
    walk = drive("activated")
    token = activation_token(walk.email)
    assert services.account_activate(token=token).pk == walk.account.pk
    assert walk.registration.history.count() == 1


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 300])
def test_an_unknown_link_is_refused(drive, snapshot, token):
    """REG-3: only links the platform sent activate."""
    walk = drive("registered")
    before = snapshot(walk)
    refused(AccountError.ACTIVATION_INVALID, services.account_activate, token=token)
    assert snapshot(walk) == before


def test_a_link_still_works_one_second_before_it_expires(drive):
    """REG-3: the link lives registration.activation_link_ttl_hours (48 hours)."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("registered")
        traveller.shift(TTL - timedelta(seconds=1))
        assert services.account_activate(token=activation_token(walk.email)).is_active


def test_an_expired_link_is_refused_and_the_account_stays_inactive(drive, snapshot):
    """REG-3: links expire."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("registered")
        traveller.shift(TTL)
        before = snapshot(walk)
        refused(
            AccountError.ACTIVATION_EXPIRED,
            services.account_activate,
            token=activation_token(walk.email),
        )
        assert snapshot(walk) == before
        assert walk.registration.status == RegistrationStatus.PENDING_ACTIVATION


def test_the_link_lifetime_follows_the_policy_row(drive):
    """REG-3: an operator may shorten the lifetime of the links."""
    PolicyOverride.objects.create(key="registration.activation_link_ttl_hours", value=1)
    policy.forget_cached()
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("registered")
        traveller.shift(timedelta(minutes=61))
        refused(
            AccountError.ACTIVATION_EXPIRED,
            services.account_activate,
            token=activation_token(walk.email),
        )


def test_resending_within_the_interval_is_refused(drive, snapshot):
    """REG-3: the mail can be resent, but not more often than the policy interval."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("registered")
        traveller.shift(timedelta(seconds=30))
        before = snapshot(walk)
        error = refused(
            AccountError.ACTIVATION_RESEND_TOO_SOON, services.activation_send, account=walk.account
        )
        assert error.params["seconds"] == 30
        assert snapshot(walk) == before


def test_a_resent_link_activates_after_the_first_one_expired(drive):
    """REG-3: resend; the new link works while the old one stays expired."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("registered")
        old_token = activation_token(walk.email)
        traveller.shift(TTL + timedelta(hours=1))
        services.activation_send(account=walk.account)
        assert len(mail.outbox) == 2
        new_token = activation_token(walk.email)
        assert new_token != old_token
        refused(AccountError.ACTIVATION_EXPIRED, services.account_activate, token=old_token)
        assert services.account_activate(token=new_token).is_active


def test_an_activated_account_is_sent_no_new_mail(drive, snapshot):
    """REG-3: nothing to resend once the account is active."""
    walk = drive("activated")
    walk.account.refresh_from_db()
    before = snapshot(walk)
    refused(AccountError.REGISTRATION_STATE_INVALID, services.activation_send, account=walk.account)
    assert snapshot(walk) == before
    assert Account.objects.get(pk=walk.account.pk).is_active
