"""REG-10: email and password, then the bound administrator's scan."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client, RequestFactory

from miniport.accounts.errors import AccountError
from miniport.accounts.models import LoginFailure
from miniport.console import devices
from miniport.console import session as console_session
from miniport.core import clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.core.services import policy_set_override
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from tests.console.conftest import PASSWORD, two_step_login, zh_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(provision):
    return provision("personal")


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def login_rows() -> int:
    return AuditEntry.objects.filter(action="account.login").count()


def password_step(client: Client, app, *, password: str | None = None, ip: str = "10.0.0.1"):
    return client.post(
        "/login/",
        {"email": app.miniprogram.account.email, "password": password or app.password},
        REMOTE_ADDR=ip,
    )


def test_the_password_alone_does_not_log_in_an_account_with_an_administrator(app):
    """REG-10: the password step leaves only a pending account id; the console stays closed."""
    client = zh_client()
    response = password_step(client, app)
    assert response.status_code == 302 and response.url == "/login/scan/"
    assert not logged_in(client)
    assert client.session[console_session.LOGIN_ACCOUNT] == app.miniprogram.account.pk
    home = client.get("/")
    assert 'data-testid="landing-register"' in home.content.decode()
    page = client.get("/login/scan/")
    token = client.session[console_session.LOGIN_TICKET]
    html = page.content.decode()
    assert f'src="/m/tickets/{token}/qr.png"' in html
    assert f"/m/scan/{token}/" in html
    ticket = QrTicket.objects.get(token=token)
    assert ticket.purpose == "login"
    assert ticket.expected_identity == app.miniprogram.admin_identity


def test_the_administrators_scan_logs_in_with_a_new_session_key(app):
    """REG-10: after the scan the account is logged in, in a session with a new key."""
    client = zh_client()
    two_step_login(client, app)
    key_before = client.session.session_key
    rows = login_rows()
    response = client.post("/login/scan/complete/")
    assert response.status_code == 302 and response.url == "/"
    assert logged_in(client)
    assert client.session.session_key != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert client.session[console_session.IDENTITY] == app.miniprogram.admin_identity_id
    assert console_session.LOGIN_ACCOUNT not in client.session
    assert login_rows() == rows + 1
    home = client.get("/")
    assert app.miniprogram.appid in home.content.decode()


def test_a_cookie_copied_before_the_scan_is_useless_after_it(app):
    """REG-10: the old session key cannot replay the completion."""
    client = zh_client()
    two_step_login(client, app)
    copy = Client()
    copy.cookies = client.cookies.__class__(client.cookies)
    client.post("/login/scan/complete/")
    rows = login_rows()
    response = copy.post("/login/scan/complete/")
    assert response.status_code == 302 and response.url == "/login/"
    assert not logged_in(copy)
    assert login_rows() == rows


def test_another_identity_cannot_confirm_the_login(app, make_identity):
    """REG-10: only the bound administrator's scan counts."""
    client = zh_client()
    password_step(client, app)
    client.get("/login/scan/")
    token = client.session[console_session.LOGIN_TICKET]
    intruder = make_identity("intruder")
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=intruder, token=token)
    assert refused.value.code == IdentityError.TICKET_WRONG_IDENTITY
    response = client.post("/login/scan/complete/")
    assert response.status_code == 200
    assert response.context["ticket_error"] == IdentityError.TICKET_PENDING.message("zh-hans")
    assert not logged_in(client)
    assert QrTicket.objects.get(token=token).status == "pending"


def test_a_ticket_of_another_browser_session_is_refused(app):
    """QR tickets are bound to the browser session that asked."""
    first = zh_client()
    token = two_step_login(first, app)
    second = zh_client()
    password_step(second, app)
    session = second.session
    session[console_session.LOGIN_TICKET] = token
    session.save()
    response = second.post("/login/scan/complete/")
    assert response.context["ticket_error"] == IdentityError.TICKET_FOREIGN_SESSION.message(
        "zh-hans"
    )
    assert not logged_in(second)
    assert QrTicket.objects.get(token=token).status == "confirmed"


def test_an_expired_confirmation_is_refused_and_a_new_ticket_shown(app):
    """REG-10: QR tickets are short-lived."""
    client = zh_client()
    token = two_step_login(client, app)
    ttl = policy.value("qr.ticket_ttl_seconds")
    with time_machine.travel(clock.now() + timedelta(seconds=ttl + 1), tick=False):
        response = client.post("/login/scan/complete/")
        assert response.context["ticket_error"] == IdentityError.TICKET_EXPIRED.message("zh-hans")
        assert response.context["ticket"].token != token
    assert not logged_in(client)
    assert QrTicket.objects.get(token=token).status == "confirmed"


def test_a_used_ticket_cannot_log_in_again(app):
    """REG-10: single use."""
    client = zh_client()
    token = two_step_login(client, app)
    client.post("/login/scan/complete/")
    assert QrTicket.objects.get(token=token).status == "consumed"
    other = zh_client()
    password_step(other, app)
    session = other.session
    session[console_session.LOGIN_TICKET] = token
    session.save()
    rows = login_rows()
    response = other.post("/login/scan/complete/")
    assert response.context["ticket_error"] in (
        IdentityError.TICKET_USED.message("zh-hans"),
        IdentityError.TICKET_FOREIGN_SESSION.message("zh-hans"),
    )
    assert not logged_in(other)
    assert login_rows() == rows


def test_a_denied_scan_does_not_log_in(app):
    client = zh_client()
    password_step(client, app)
    client.get("/login/scan/")
    token = client.session[console_session.LOGIN_TICKET]
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_deny(identity=admin, token=token)
    response = client.post("/login/scan/complete/")
    assert response.context["ticket_error"] == IdentityError.TICKET_DENIED.message("zh-hans")
    assert not logged_in(client)


def test_a_wrong_password_is_refused_on_the_password_field(app):
    """REG-10: wrong password."""
    client = zh_client()
    response = password_step(client, app, password="Wrong-pass-1")
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        AccountError.LOGIN_FAILED.message("zh-hans")
    ]
    assert console_session.LOGIN_ACCOUNT not in client.session
    assert not logged_in(client)


def test_an_unknown_email_gets_the_same_answer(db):
    response = zh_client().post(
        "/login/", {"email": "nobody@example.com", "password": "Whatever-1"}
    )
    assert response.context["form"].errors["password"] == [
        AccountError.LOGIN_FAILED.message("zh-hans")
    ]


def throttled(response) -> bool:
    errors = response.context["form"].non_field_errors() if response.context else []
    return bool(errors) and errors[0].startswith(
        AccountError.LOGIN_THROTTLED.value[1].split("{")[0]
    )


def test_failures_from_many_addresses_throttle_guesses_but_the_owner_reaches_the_scan(app):
    """REG-10, issue 9 item 5: at the per-account limit (all addresses) a wrong password is
    refused as throttled and not recorded; the right one still leads to the administrator's
    scan (from a browser that completed a login of it before), never to a logged-in
    console; any other browser is refused alike for a right and a wrong password."""
    owner = device_of(app)
    policy_set_override(actor=Actor.system("tests"), key="login.max_failures_per_account", value=3)
    for n in range(3):
        password_step(zh_client(), app, password="Wrong-pass-1", ip=f"10.1.0.{n}")
    failures = LoginFailure.objects.count()
    guesser = zh_client()
    assert throttled(password_step(guesser, app, password="Wrong-pass-2", ip="10.9.9.9"))
    assert console_session.LOGIN_ACCOUNT not in guesser.session
    # the right password from the guesser's browser is refused alike: no oracle
    assert throttled(password_step(guesser, app, ip="10.9.9.9"))
    assert LoginFailure.objects.count() == failures
    assert password_step(owner, app, ip="10.9.9.9").url == "/login/scan/"
    assert not logged_in(owner)
    window = policy.value("login.failure_window_seconds")
    with time_machine.travel(clock.now() + timedelta(seconds=window + 1), tick=False):
        assert password_step(zh_client(), app, ip="10.9.9.9").url == "/login/scan/"


def test_too_many_failures_from_one_address_throttle_that_address(app):
    """REG-10, issue 9 item 5: login throttled per client address; the owner behind the same
    address (say, a proxy counted with the wrong number of hops) still reaches the scan
    from the browser it completed a login in before."""
    owner = device_of(app)
    limit = policy.value("login.max_failures_per_address")
    for n in range(limit):
        zh_client().post(
            "/login/", {"email": f"guess{n}@example.com", "password": "x"}, REMOTE_ADDR="10.6.6.6"
        )
    failures = LoginFailure.objects.count()
    assert throttled(password_step(zh_client(), app, password="Wrong-pass-1", ip="10.6.6.6"))
    assert throttled(password_step(zh_client(), app, ip="10.6.6.6"))
    assert LoginFailure.objects.count() == failures
    assert password_step(owner, app, ip="10.6.6.6").url == "/login/scan/"
    assert not logged_in(owner)
    assert password_step(zh_client(), app, ip="10.7.7.7").url == "/login/scan/"


def test_a_completed_login_remembers_the_browser_as_the_accounts_device(app):
    """REG-10: the browser that completed the scan gets the signed device cookie; a
    tampered one is no device."""
    browser = zh_client()
    two_step_login(browser, app)
    response = browser.post("/login/scan/complete/")
    assert response.status_code == 302 and logged_in(browser)
    cookie = response.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = RequestFactory().get("/", HTTP_COOKIE=f"{devices.COOKIE}={cookie.value}")
    assert devices.remembered(request) == [app.miniprogram.account.pk]
    forged = RequestFactory().get("/", HTTP_COOKIE=f"{devices.COOKIE}={cookie.value}x")
    assert devices.remembered(forged) == []


def test_a_browser_is_remembered_for_as_many_accounts_as_the_policy_row_says(app):
    """REG-10: console.device_cookie_accounts bounds the cookie; the oldest goes first."""
    policy_set_override(actor=Actor.system("tests"), key="console.device_cookie_accounts", value=2)
    browser = zh_client()
    browser.cookies[devices.COOKIE] = signing.dumps([101, 102], salt="miniport.console.devices")
    two_step_login(browser, app)
    response = browser.post("/login/scan/complete/")
    later = RequestFactory().get("/")
    later.COOKIES[devices.COOKIE] = response.cookies[devices.COOKIE].value
    assert devices.remembered(later) == [102, app.miniprogram.account.pk]
    policy_set_override(actor=Actor.system("tests"), key="console.device_cookie_accounts", value=1)
    assert devices.remembered(later) == [app.miniprogram.account.pk]


def device_of(app) -> Client:
    """A browser that completed a login of the app's account before (its device cookie)."""
    browser = zh_client()
    two_step_login(browser, app)
    assert browser.post("/login/scan/complete/").status_code == 302
    browser.post("/logout/")
    assert not logged_in(browser) and devices.COOKIE in browser.cookies
    return browser


def test_an_account_still_registering_logs_in_with_the_password_to_its_step(journey):
    """REG-10: no administrator is bound before confirmation; the wizard continues."""
    trip = journey("half@example.com")
    trip.register()
    trip.activate()
    trip.save_personal_subject()
    browser = zh_client()
    response = browser.post("/login/", {"email": "half@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/register/admin/"
    assert logged_in(browser)
    assert console_session.IDENTITY not in browser.session
    assert browser.get("/").url == "/register/admin/"


def test_a_password_login_alone_never_opens_the_console_of_a_mini_program(app):
    client = Client()
    client.force_login(app.miniprogram.account)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_scan_page_needs_the_password_step_first(db):
    assert zh_client().get("/login/scan/").url == "/login/"
    assert zh_client().post("/login/scan/complete/").url == "/login/"


def test_logout_is_a_post(app):
    client = zh_client()
    two_step_login(client, app)
    client.post("/login/scan/complete/")
    assert client.get("/logout/").status_code == 405
    assert logged_in(client)
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/"
    assert not logged_in(client)
    assert 'data-testid="landing-login"' in client.get("/").content.decode()


def test_the_page_asked_for_comes_after_the_login_and_foreign_targets_are_ignored(app):
    client = zh_client()
    client.post(
        "/login/?next=/register/status/",
        {
            "email": app.miniprogram.account.email,
            "password": app.password,
            "next": "/register/status/",
        },
    )
    client.get("/login/scan/")
    token = client.session[console_session.LOGIN_TICKET]
    identity_services.ticket_confirm(
        identity=Identity.objects.get(wechat_id=app.admin_wechat_id), token=token
    )
    assert client.post("/login/scan/complete/").url == "/register/status/"
    evil = zh_client()
    evil.post(
        "/login/",
        {
            "email": app.miniprogram.account.email,
            "password": app.password,
            "next": "https://evil.example/",
        },
    )
    evil.get("/login/scan/")
    token = evil.session[console_session.LOGIN_TICKET]
    identity_services.ticket_confirm(
        identity=Identity.objects.get(wechat_id=app.admin_wechat_id), token=token
    )
    assert evil.post("/login/scan/complete/").url == "/"


@pytest.mark.parametrize(
    "data",
    [{}, {"email": "x" * 9000, "password": "y" * 9000}, {"email": ["a", "b"], "password": "\x00"}],
)
def test_garbage_never_breaks_the_login(db, data):
    response = zh_client().post("/login/", data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_scan_page_drawn_again_shows_where_the_ticket_stands(app):
    """REG-10: reloading the scan page keeps the live ticket and says at once whether it
    was scanned or confirmed, not "waiting" until the poll catches up."""
    browser = zh_client()
    assert password_step(browser, app).url == "/login/scan/"
    page = browser.get("/login/scan/").content.decode()
    assert 'data-testid="ticket-message">等待扫码。<' in page
    token = browser.session[console_session.LOGIN_TICKET]
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_for_scan(identity=admin, token=token)
    page = browser.get("/login/scan/").content.decode()
    assert 'data-testid="ticket-message">已扫码，请在手机上确认。<' in page
    identity_services.ticket_confirm(identity=admin, token=token)
    page = browser.get("/login/scan/").content.decode()
    assert 'data-testid="ticket-message">已在手机上确认，请继续。<' in page
    assert browser.session[console_session.LOGIN_TICKET] == token
