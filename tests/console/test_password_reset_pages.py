"""Issue 10 item 2: "forgot account or password" on the console login, the password part,
through the pages: the same answer for every email, the link out of the address bar, the
new password, and the administrator's scan still required at the next login."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from miniport.accounts.errors import AccountError
from miniport.accounts.models import PasswordResetRequest, PasswordResetToken
from miniport.console import session as console_session
from miniport.core import clock, deliveries, events, policy
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.core.services import policy_set_override
from tests.console.conftest import captcha_of, two_step_login, zh_client

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


def reset_path(email: str) -> str:
    """The path of the newest reset link mailed to an address."""
    for message in reversed(mail.outbox):
        if email in message.to:
            return re.search(r"https?://[^/\s]+(/login/reset/[\w-]+/)", message.body).group(1)
    raise AssertionError(f"no reset mail to {email}")


def forgot(client: Client, email: str, *, ip: str = "10.0.0.1", **overrides):
    page = client.get("/login/forgot/")
    key, answer = captcha_of(page.content.decode())
    data = {"email": email, "captcha_0": key, "captcha_1": answer, **overrides}
    return client.post("/login/forgot/", data, REMOTE_ADDR=ip)


def ask_and_open(client: Client, email: str):
    """Ask for the mail, let the worker send it, open its link."""
    assert forgot(client, email).status_code == 302
    deliver_mails()
    return client.get(reset_path(email))


def set_password(client: Client, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        "/login/reset/", {"password": password, "password_confirm": confirm or password}
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_login_page_links_to_forgot_account_or_password():
    """Issue 10 item 2: the entry sits on the login page, as WeChat's 忘记帐号或密码."""
    html = zh_client().get("/login/").content.decode()
    assert 'href="/login/forgot/"' in html and "忘记帐号或密码" in html
    page = zh_client().get("/login/forgot/").content.decode()
    assert 'name="email"' in page and 'name="captcha_1"' in page
    assert 'href="/login/recover/"' in page


def test_a_known_and_an_unknown_email_get_the_same_pages(app):
    """Issue 10 item 2: no enumeration; only the known email gets a mail."""
    known, unknown = app.miniprogram.account.email, "nope@example.com"
    answers = []
    for email in (known, unknown):
        client = zh_client()
        response = forgot(client, email)
        assert response.status_code == 302 and response.url == "/login/forgot/sent/"
        page = client.get("/login/forgot/sent/")
        assert page.status_code == 200 and email in page.content.decode()
        answers.append(without_tokens(page.content.decode()).replace(email, "EMAIL"))
    assert answers[0] == answers[1]
    deliver_mails()
    assert [message.to for message in mail.outbox] == [[known]]


def test_a_wrong_captcha_is_refused_and_nothing_is_recorded(app):
    """Issue 10 item 2: the captcha of the page must be answered."""
    client = zh_client()
    response = forgot(client, app.miniprogram.account.email, captcha_1="WRONG")
    assert response.status_code == 200
    assert response.context["form"].errors["captcha"] == [
        AccountError.CAPTCHA_INVALID.message("zh-hans")
    ]
    assert not PasswordResetRequest.objects.exists() and not PasswordResetToken.objects.exists()


def test_the_throttle_answers_alike_for_known_and_unknown_emails(app):
    """Issue 10 item 2: policy row password_reset.max_requests_per_email."""
    policy_set_override(
        actor=Actor.system("tests"), key="password_reset.max_requests_per_email", value=1
    )
    for email in (app.miniprogram.account.email, "nobody1@example.com"):
        client = zh_client()
        assert forgot(client, email).status_code == 302
        tokens = PasswordResetToken.objects.count()
        refused = forgot(client, email)
        assert refused.status_code == 200
        [message] = refused.context["form"].non_field_errors()
        assert message.startswith("申请过于频繁")
        assert PasswordResetToken.objects.count() == tokens


def test_the_link_leaves_the_address_bar_and_sets_the_password_without_logging_in(app):
    """Issue 10 item 2: the link opens the form at /login/reset/ (no token in the URL);
    the new password logs nobody in, the login page follows."""
    account = app.miniprogram.account
    client = zh_client()
    opened = ask_and_open(client, account.email)
    assert opened.status_code == 302 and opened.url == "/login/reset/"
    form = client.get("/login/reset/")
    assert form.status_code == 200 and account.email in form.content.decode()
    done = set_password(client)
    assert done.status_code == 302 and done.url == "/login/"
    assert not logged_in(client)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1
    assert "密码已修改" in client.get("/login/").content.decode()


def test_the_next_login_with_the_new_password_still_asks_for_the_scan(app):
    """Issue 10 item 2 / REG-10: the reset never skips the administrator's scan."""
    account = app.miniprogram.account
    client = zh_client()
    ask_and_open(client, account.email)
    set_password(client)
    old = client.post("/login/", {"email": account.email, "password": app.password})
    assert old.status_code == 200 and not logged_in(client)
    new = client.post("/login/", {"email": account.email, "password": NEW_PASSWORD})
    assert new.status_code == 302 and new.url == "/login/scan/"
    assert not logged_in(client)
    assert 'data-testid="ticket"' in client.get("/login/scan/").content.decode()


def test_the_new_password_ends_the_accounts_sessions_and_half_done_logins(app):
    """Issue 10 item 2: a logged-in console session and a login waiting for the scan both
    end when the password changes."""
    account = app.miniprogram.account
    console = zh_client()
    two_step_login(console, app)
    assert console.post("/login/scan/complete/").status_code == 302
    assert 'data-testid="appid"' in console.get("/").content.decode()
    waiting = zh_client()
    assert waiting.post("/login/", {"email": account.email, "password": app.password}).url == (
        "/login/scan/"
    )
    assert waiting.get("/login/scan/").status_code == 200

    reset = zh_client()
    ask_and_open(reset, account.email)
    set_password(reset)

    assert 'data-testid="appid"' not in console.get("/").content.decode()
    assert not logged_in(console)
    gone = waiting.get("/login/scan/")
    assert gone.status_code == 302 and gone.url == "/login/"
    assert console_session.LOGIN_ACCOUNT not in waiting.session


def test_a_used_link_cannot_be_used_again(app):
    """Issue 10 item 2: single use."""
    account = app.miniprogram.account
    client = zh_client()
    ask_and_open(client, account.email)
    path = reset_path(account.email)
    set_password(client)
    again = zh_client().get(path)
    assert again.status_code == 400
    assert 'data-code="PASSWORD_RESET_INVALID"' in again.content.decode()
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_on_the_form_and_changes_nothing(app):
    """Issue 10 item 2: the link lives password_reset.link_ttl_minutes, even when its
    form was opened in time."""
    account = app.miniprogram.account
    client = zh_client()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        ask_and_open(client, account.email)
        assert client.get("/login/reset/").status_code == 200
        traveller.shift(timedelta(minutes=policy.value("password_reset.link_ttl_minutes")))
        refused = set_password(client)
        assert refused.status_code == 400
        assert 'data-code="PASSWORD_RESET_EXPIRED"' in refused.content.decode()
    account.refresh_from_db()
    assert account.check_password(app.password)
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()
    assert console_session.LOGIN_ACCOUNT not in client.session
    assert client.get("/login/reset/").url == "/login/forgot/"


def test_a_password_against_the_rule_is_shown_on_the_form_and_changes_nothing(app):
    """Issue 10 item 2 / REG-1: the rule of the registration; the link still works."""
    account = app.miniprogram.account
    client = zh_client()
    ask_and_open(client, account.email)
    refused = set_password(client, "short1")
    assert refused.status_code == 200
    assert refused.context["form"].errors["password"] == [
        AccountError.PASSWORD_TOO_SHORT.message("zh-hans", min=8)
    ]
    mismatch = set_password(client, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert mismatch.context["form"].errors["password_confirm"]
    account.refresh_from_db()
    assert account.check_password(app.password)
    assert set_password(client).status_code == 302


def test_an_unknown_link_is_a_clear_page_not_an_error(db):
    """Issue 10 item 2: no 500, no token kept."""
    client = zh_client()
    response = client.get("/login/reset/not-a-token/")
    assert response.status_code == 400
    assert 'data-code="PASSWORD_RESET_INVALID"' in response.content.decode()
    assert client.get("/login/reset/").url == "/login/forgot/"
    assert client.get("/login/forgot/sent/").url == "/login/forgot/"
