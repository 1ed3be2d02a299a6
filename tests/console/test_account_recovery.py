"""Issue 10 item 2: the forgotten email (忘记帐号), recovered by the administrator
identity's scan: the browser that asked is shown the emails, partly hidden."""

from __future__ import annotations

import pytest

from miniport.console.views.recovery import RECOVERY_FOUND, RECOVERY_TICKET
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity
from tests.console.conftest import zh_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(provision):
    return provision("personal")


def recovery_ticket(client) -> str:
    page = client.get("/login/recover/")
    assert page.status_code == 200
    assert 'data-testid="ticket"' in page.content.decode()
    return client.session[RECOVERY_TICKET]


def recovered_rows() -> int:
    return AuditEntry.objects.filter(action="account.email_recovered").count()


def test_the_administrators_scan_shows_the_email_partly_hidden(app):
    """Issue 10 item 2: the mini program's administrator confirms; the page shows
    a***@domain, never the whole email; the recovery is audited."""
    email = app.miniprogram.account.email
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    client = zh_client()
    token = recovery_ticket(client)
    identity_services.ticket_confirm(identity=admin, token=token)
    done = client.post("/login/recover/complete/")
    assert done.status_code == 302 and done.url == "/login/recover/found/"
    page = client.get("/login/recover/found/").content.decode()
    masked = email[0] + "***@" + email.split("@")[1]
    assert masked in page and email not in page
    assert recovered_rows() == 1
    # the ticket is used once
    again = client.post("/login/recover/complete/")
    assert again.status_code == 200 and recovered_rows() == 1


def test_every_administered_mini_program_is_listed(provision, make_identity):
    """Issue 10 item 2: one identity may administer several mini programs."""
    admin = make_identity("admin_of_two")
    first = provision("personal", admin_wechat_id="admin_of_two")
    second = provision("personal", admin_wechat_id="admin_of_two")
    client = zh_client()
    identity_services.ticket_confirm(identity=admin, token=recovery_ticket(client))
    client.post("/login/recover/complete/")
    assert sorted(client.session[RECOVERY_FOUND]) == sorted(
        app.miniprogram.account.email[0] + "***@example.com" for app in (first, second)
    )


def test_an_identity_that_administers_nothing_learns_nothing(app, make_identity):
    """Issue 10 item 2: a member or any other identity is shown no email."""
    stranger = make_identity("stranger")
    client = zh_client()
    identity_services.ticket_confirm(identity=stranger, token=recovery_ticket(client))
    assert client.post("/login/recover/complete/").url == "/login/recover/found/"
    page = client.get("/login/recover/found/").content.decode()
    assert 'data-testid="recovered-none"' in page and "@example.com" not in page
    assert recovered_rows() == 0


def test_the_result_page_is_titled_by_what_was_found(app, make_identity):
    """The title says "found" only when an email is shown, "none found" otherwise."""
    stranger = make_identity("stranger")
    client = zh_client()
    identity_services.ticket_confirm(identity=stranger, token=recovery_ticket(client))
    client.post("/login/recover/complete/")
    page = client.get("/login/recover/found/").content.decode()
    assert "<title>未找到登录邮箱 ·" in page and "已找到登录邮箱" not in page
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    client = zh_client()
    identity_services.ticket_confirm(identity=admin, token=recovery_ticket(client))
    client.post("/login/recover/complete/")
    page = client.get("/login/recover/found/").content.decode()
    assert "<title>已找到登录邮箱 ·" in page and "未找到登录邮箱" not in page


def test_an_unconfirmed_ticket_shows_nothing_and_changes_nothing(app):
    """Issue 10 item 2: the refusal is the ticket's, on the same page."""
    client = zh_client()
    recovery_ticket(client)
    response = client.post("/login/recover/complete/")
    assert response.status_code == 200
    assert IdentityError.TICKET_PENDING.message("zh-hans") in response.content.decode()
    assert RECOVERY_FOUND not in client.session and recovered_rows() == 0
    assert client.get("/login/recover/found/").url == "/login/recover/"


def test_another_browser_cannot_use_the_ticket(app):
    """Issue 10 item 2: the ticket belongs to the browser that asked."""
    admin = Identity.objects.get(wechat_id=app.admin_wechat_id)
    asker, thief = zh_client(), zh_client()
    token = recovery_ticket(asker)
    identity_services.ticket_confirm(identity=admin, token=token)
    recovery_ticket(thief)
    session = thief.session
    session[RECOVERY_TICKET] = token
    session.save()
    response = thief.post("/login/recover/complete/")
    assert response.status_code == 200
    assert RECOVERY_FOUND not in thief.session and recovered_rows() == 0
    assert asker.post("/login/recover/complete/").url == "/login/recover/found/"
