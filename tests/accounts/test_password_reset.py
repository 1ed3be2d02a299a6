"""Issue 10 item 2: the forgotten password of a console account, through the services.

A reset link mailed by the worker, used once, short-lived; no answer tells whether an
email has an account; requests throttled per email and per address; refusals change
nothing; the new password ends the account's sessions and logs nobody in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, PasswordResetRequest, PasswordResetToken
from miniport.accounts.services import password_reset as reset
from miniport.accounts.services import (
    password_reset_check,
    password_reset_complete,
    password_reset_request,
)
from miniport.core import clock, deliveries, events, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, Delivery, OutboxEvent
from miniport.core.services import policy_set_override

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-pass9"


@pytest.fixture
def app(provision):
    return provision("personal")


def deliver_mails() -> None:
    """What the worker does: fan the outbox out, then run the due deliveries."""
    events.deliver_pending()
    for pk in deliveries.due_ids():
        deliveries.run(pk)


def mailed_tokens(email: str) -> list[str]:
    found = []
    for message in mail.outbox:
        if email in message.to:
            links = re.findall(r"/login/reset/([\w-]+)/", message.body)
            assert len(set(links)) == 1, message.body  # the same link in both languages
            found.append(links[0])
    return found


def request_and_mail(email: str, ip: str = "10.0.0.1") -> str:
    password_reset_request(email=email, ip=ip)
    deliver_mails()
    return mailed_tokens(email)[-1]


def snapshot(account: Account) -> dict:
    account.refresh_from_db()
    return {
        "password": account.password,
        "tokens": list(
            PasswordResetToken.objects.order_by("pk").values_list("pk", "used_at", "voided_at")
        ),
        "audit": AuditEntry.objects.count(),
    }


def test_the_link_is_mailed_by_the_worker_and_only_its_digest_is_stored(app):
    """Issue 10 item 2: the request mails nothing itself; the worker's delivery does, with
    a bilingual mail; the database holds the token's digest and the link only sealed."""
    email = app.miniprogram.account.email
    password_reset_request(email=email, ip="10.0.0.1")
    assert mail.outbox == []
    event = OutboxEvent.objects.get(kind=reset.EVENT)
    deliver_mails()
    assert Delivery.objects.get(event=event).route == reset.ROUTE
    [message] = mail.outbox
    assert message.to == [email]
    assert "重置" in message.subject and "Reset" in message.subject
    minutes = policy.value("password_reset.link_ttl_minutes")
    assert f"{minutes} 分钟" in message.body and f"{minutes} minutes" in message.body
    [token] = mailed_tokens(email)
    row = PasswordResetToken.objects.get()
    assert row.digest == ids.digest(token)
    assert token not in str(event.payload) and token not in row.digest
    assert row.expires_at == row.created_at + timedelta(minutes=minutes)
    assert AuditEntry.objects.filter(action="account.password_reset_request").count() == 1


def test_an_unknown_email_gets_the_same_answer_and_no_mail_no_token_no_audit(app):
    """Issue 10 item 2: no enumeration; the request is still counted for the throttle."""
    before = AuditEntry.objects.count()
    assert password_reset_request(email="nobody@example.com", ip="10.0.0.1") is None
    assert password_reset_request(email="not an email", ip="10.0.0.1") is None
    deliver_mails()
    assert mail.outbox == []
    assert not PasswordResetToken.objects.exists()
    assert not OutboxEvent.objects.filter(kind=reset.EVENT).exists()
    assert AuditEntry.objects.count() == before
    assert PasswordResetRequest.objects.count() == 2
    assert not PasswordResetRequest.objects.filter(email_digest__contains="nobody").exists()


def test_the_new_password_is_set_once_and_the_link_is_then_dead(app):
    """Issue 10 item 2: single use; the REG-1 rule applies; the change is audited."""
    account = app.miniprogram.account
    token = request_and_mail(account.email)
    assert password_reset_check(token=token) == account
    password_reset_complete(token=token, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD) and not account.check_password(app.password)
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1
    with pytest.raises(PlatformError) as again:
        password_reset_complete(
            token=token, password="Other-pass-77", password_confirm="Other-pass-77"
        )
    assert again.value.code == AccountError.PASSWORD_RESET_INVALID
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("password", "confirm", "code"),
    [
        ("short1", "short1", AccountError.PASSWORD_TOO_SHORT),
        ("has space 123", "has space 123", AccountError.PASSWORD_CHARSET),
        (NEW_PASSWORD, NEW_PASSWORD + "x", AccountError.PASSWORD_MISMATCH),
    ],
)
def test_a_password_against_the_rule_is_refused_and_the_link_stays_usable(
    app, password, confirm, code
):
    """Issue 10 item 2 / REG-1: the refusal changes nothing, the link still works."""
    account = app.miniprogram.account
    token = request_and_mail(account.email)
    before = snapshot(account)
    with pytest.raises(PlatformError) as refused:
        password_reset_complete(token=token, password=password, password_confirm=confirm)
    assert refused.value.code == code
    assert snapshot(account) == before
    assert password_reset_check(token=token) == account


def test_the_link_expires_after_its_lifetime(app):
    """Issue 10 item 2: short-lived (policy row password_reset.link_ttl_minutes)."""
    account = app.miniprogram.account
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        token = request_and_mail(account.email)
        minutes = policy.value("password_reset.link_ttl_minutes")
        traveller.shift(timedelta(minutes=minutes) - timedelta(seconds=1))
        assert password_reset_check(token=token) == account
        traveller.shift(timedelta(seconds=1))
        before = snapshot(account)
        with pytest.raises(PlatformError) as expired:
            password_reset_complete(
                token=token, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD
            )
        assert expired.value.code == AccountError.PASSWORD_RESET_EXPIRED
        assert snapshot(account) == before


def test_a_newer_link_ends_the_earlier_ones(app):
    """Issue 10 item 2: earlier unused links die when a new one is issued."""
    account = app.miniprogram.account
    first = request_and_mail(account.email)
    second = request_and_mail(account.email)
    assert first != second
    with pytest.raises(PlatformError) as dead:
        password_reset_check(token=first)
    assert dead.value.code == AccountError.PASSWORD_RESET_INVALID
    assert password_reset_check(token=second) == account


def test_a_link_not_yet_mailed_when_a_newer_one_came_is_not_mailed(app):
    """Issue 10 item 2: the worker skips a link that has already ended."""
    email = app.miniprogram.account.email
    password_reset_request(email=email, ip="10.0.0.1")
    password_reset_request(email=email, ip="10.0.0.1")
    deliver_mails()
    assert len(mailed_tokens(email)) == 1


def test_using_a_link_ends_the_others_and_a_password_change_ends_every_link(app):
    """Issue 10 item 2: a password changed any way ends the open links."""
    account = app.miniprogram.account
    token = request_and_mail(account.email)
    account.set_password("Changed-elsewhere1")
    account.save()
    with pytest.raises(PlatformError) as dead:
        password_reset_check(token=token)
    assert dead.value.code == AccountError.PASSWORD_RESET_INVALID
    # Two rows open at once (a race the newer-link rule would otherwise prevent): using
    # one voids the other.
    one = request_and_mail(account.email)
    other = ids.new_token(32)
    row = PasswordResetToken.objects.get(digest=ids.digest(one))
    PasswordResetToken.objects.create(
        account=account,
        digest=ids.digest(other),
        password_digest=row.password_digest,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )
    password_reset_complete(token=one, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    assert PasswordResetToken.objects.get(digest=ids.digest(other)).voided_at is not None
    with pytest.raises(PlatformError):
        password_reset_check(token=other)


def test_an_unknown_or_empty_token_is_refused():
    """Issue 10 item 2."""
    for token in ("", "nope", None, 42):
        with pytest.raises(PlatformError) as refused:
            password_reset_check(token=token)
        assert refused.value.code == AccountError.PASSWORD_RESET_INVALID


def test_requests_are_throttled_per_email_known_or_not(app):
    """Issue 10 item 2: policy row password_reset.max_requests_per_email; a throttled
    request records nothing and an unknown email is throttled alike."""
    policy_set_override(
        actor=Actor.system("tests"), key="password_reset.max_requests_per_email", value=2
    )
    for email in (app.miniprogram.account.email, "nobody@example.com"):
        for number in range(2):
            password_reset_request(email=email, ip=f"10.0.1.{number}")
        rows = PasswordResetRequest.objects.count()
        tokens = PasswordResetToken.objects.count()
        with pytest.raises(PlatformError) as throttled:
            password_reset_request(email=email.upper(), ip="10.0.2.1")
        assert throttled.value.code == AccountError.PASSWORD_RESET_THROTTLED
        assert (
            0 < throttled.value.params["seconds"] <= policy.value("password_reset.window_seconds")
        )
        assert PasswordResetRequest.objects.count() == rows
        assert PasswordResetToken.objects.count() == tokens


def test_requests_are_throttled_per_address_and_the_window_passes(app):
    """Issue 10 item 2: policy rows password_reset.max_requests_per_address and
    password_reset.window_seconds."""
    policy_set_override(
        actor=Actor.system("tests"), key="password_reset.max_requests_per_address", value=3
    )
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        for number in range(3):
            password_reset_request(email=f"n{number}@example.com", ip="10.9.9.9")
        with pytest.raises(PlatformError) as throttled:
            password_reset_request(email=app.miniprogram.account.email, ip="10.9.9.9")
        assert throttled.value.code == AccountError.PASSWORD_RESET_THROTTLED
        assert not PasswordResetToken.objects.exists()
        password_reset_request(email=app.miniprogram.account.email, ip="10.9.9.10")
        traveller.shift(timedelta(seconds=policy.value("password_reset.window_seconds")))
        password_reset_request(email="later@example.com", ip="10.9.9.9")


def test_staff_accounts_are_not_reset_here(db):
    """Issue 10 item 2: only console accounts; ops staff get the same answer and no mail."""
    Account.objects.create_superuser("ops@example.com", "Staff-pass-1")
    password_reset_request(email="ops@example.com", ip="10.0.0.1")
    deliver_mails()
    assert mail.outbox == [] and not PasswordResetToken.objects.exists()


def test_masked_emails_keep_the_first_character_and_the_domain():
    """Issue 10 item 2: the forgotten email is shown partly hidden."""
    assert reset.mask_email("alice@example.com") == "a***@example.com"
    assert reset.mask_email("b@x.cn") == "b***@x.cn"
    assert reset.mask_email("") == ""
