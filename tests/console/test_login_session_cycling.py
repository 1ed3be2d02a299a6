"""Issue 9 item 3: session fixation. The console gives the browser a new session key after
the password step (the login QR ticket is bound to that one) and again after the scan, and
the member scan login renews the key when it shows its QR code; a session key planted in
the victim's browser beforehand can then finish nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from miniport.console import session as console_session
from miniport.console.views.member_login import MEMBER_LOGIN_TICKET
from miniport.core import ids
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.models import Identity, QrTicket
from tests.console.conftest import zh_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(provision):
    return provision("personal")


def planted_session() -> tuple[Client, str]:
    """The attacker's own browser and the session key it plants in the victim's."""
    attacker = Client()
    assert attacker.get("/login/member/").status_code == 200
    return attacker, attacker.cookies[settings.SESSION_COOKIE_NAME].value


def victim_with(key: str) -> Client:
    victim = zh_client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = key
    return victim


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session or console_session.IDENTITY in client.session


def audit_rows() -> int:
    return AuditEntry.objects.filter(action__in=("account.login", "console.member_login")).count()


def test_the_password_step_gives_the_browser_a_new_key_bound_to_the_ticket(app):
    """Issue 9 item 3: the planted key is not the post-password key; the ticket is bound
    to the new key; the planted one is gone from the store."""
    _, planted = planted_session()
    victim = victim_with(planted)
    response = victim.post(
        "/login/", {"email": app.miniprogram.account.email, "password": app.password}
    )
    assert response.status_code == 302 and response.url == "/login/scan/"
    after_password = victim.session.session_key
    assert after_password != planted
    assert not Session.objects.filter(session_key=planted).exists()
    victim.get("/login/scan/")
    ticket = QrTicket.objects.get(token=victim.session[console_session.LOGIN_TICKET])
    assert ticket.session_digest == ids.digest(after_password)
    assert ticket.session_digest != ids.digest(planted)


def test_a_planted_cookie_cannot_finish_the_victims_login(app):
    """Issue 9 item 3: only the browser that did the password step completes the login."""
    attacker, planted = planted_session()
    victim = victim_with(planted)
    victim.post("/login/", {"email": app.miniprogram.account.email, "password": app.password})
    victim.get("/login/scan/")
    token = victim.session[console_session.LOGIN_TICKET]
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_confirm(identity=admin, token=token)
    rows = audit_rows()

    response = attacker.post("/login/scan/complete/")
    assert response.status_code == 302 and response.url == "/login/"
    assert not logged_in(attacker)
    assert QrTicket.objects.get(token=token).status == "confirmed"
    assert audit_rows() == rows

    after_password = victim.session.session_key
    response = victim.post("/login/scan/complete/")
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" in victim.session
    # And a new key again after the scan.
    assert victim.session.session_key not in (planted, after_password)
    assert audit_rows() == rows + 1


def test_a_ticket_asked_for_under_a_planted_key_only_serves_the_victim(app):
    """Issue 9 item 3, member login by scan: the attacker asks for a ticket, plants its
    session key; the victim's page renews the key, so after the victim's scan only the
    victim's browser logs in."""
    attacker, planted = planted_session()
    token = attacker.session[MEMBER_LOGIN_TICKET]
    victim = victim_with(planted)
    assert victim.get("/login/member/").status_code == 200
    assert victim.session.session_key != planted
    shown = victim.session[MEMBER_LOGIN_TICKET]
    assert QrTicket.objects.get(token=shown).session_digest == ids.digest(
        victim.session.session_key
    )
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    identity_services.ticket_confirm(identity=admin, token=shown)
    rows = audit_rows()

    response = attacker.post("/login/member/complete/")
    assert not logged_in(attacker)
    assert response.status_code == 200 and response.context["ticket"].token != shown
    assert QrTicket.objects.get(token=shown).status == "confirmed"
    assert audit_rows() == rows

    response = victim.post("/login/member/complete/")
    assert response.status_code == 302 and response.url == "/"
    assert victim.session[console_session.IDENTITY] == admin.pk
    assert audit_rows() == rows + 1
    # The ticket the attacker asked for followed to the victim's new key.
    assert shown == token


def test_the_member_login_page_keeps_polling_its_ticket_under_the_new_key(app):
    """Issue 9 item 3: showing the page again renews the key; the live ticket follows."""
    browser = zh_client()
    browser.get("/login/member/")
    first_key = browser.session.session_key
    token = browser.session[MEMBER_LOGIN_TICKET]
    browser.get("/login/member/")
    assert browser.session.session_key != first_key
    assert browser.session[MEMBER_LOGIN_TICKET] == token
    assert QrTicket.objects.get(token=token).session_digest == ids.digest(
        browser.session.session_key
    )
