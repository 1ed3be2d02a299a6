"""DEV-2, issue 9 item 9: a new API IP whitelist takes effect only once the mini
program's administrator confirms it by scan, as WeChat asks; the change is applied from
the browser session that asked, and is audited. The administrator's own change also
goes through the scan."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from miniport.console.views.devsettings import WHITELIST_TICKET
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import devsettings
from miniport.miniprograms.services import members as member_services
from miniport.web.sentences import sentence
from tests.console.versions_support import browser
from tests.miniprograms.devsettings_support import dev_state, set_ip_whitelist

FORM = "/settings/dev/ip-whitelist/"
CONFIRM = "/settings/dev/ip-whitelist/confirm/"
NEW_LIST = "192.0.2.1\n203.0.113.0/24"
SESSION = "whitelist-test-browser-session"


@pytest.fixture
def app(provision, make_identity):
    """A personal mini program whose administrator can sign in on the phone pages."""
    admin = make_identity("whitelist_admin")
    return provision("personal", admin_wechat_id=admin.wechat_id).miniprogram


@pytest.fixture
def developer(app, make_identity):
    """A project member with the developer role, added through the console path."""
    identity = make_identity("whitelist_dev")
    admin = Actor.for_identity(app.admin_identity)
    member, ticket = member_services.member_request_add(
        actor=admin,
        miniprogram=app,
        wechat_id=identity.wechat_id,
        kind="project",
        roles=("developer",),
        session_key=SESSION,
    )
    identity_services.ticket_confirm(identity=app.admin_identity, token=ticket.token)
    member_services.member_confirm(
        actor=admin, miniprogram=app, token=ticket.token, session_key=SESSION
    )
    return identity


def phone(identity) -> Client:
    """The identity signed in on the phone pages, through the sign-in form."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = client.post(
        reverse("mobile:login"), {"wechat_id": identity.wechat_id, "password": "secret-pass-1"}
    )
    assert signed_in.status_code == 302
    return client


def whitelist_of(app) -> list[str]:
    return list(devsettings.settings_for(app).ip_whitelist or [])


def ask(console: Client, text: str = NEW_LIST) -> str:
    """Submit a new list on the console form; returns the ticket token it asked for."""
    submitted = console.post(FORM, {"ip_whitelist": text})
    assert submitted.status_code == 302 and submitted.url == CONFIRM, submitted.content.decode()
    shown = console.get(CONFIRM).content.decode()
    assert 'data-testid="ticket"' in shown and text.splitlines()[-1] in shown
    return console.session[WHITELIST_TICKET]


def test_a_developers_change_without_the_administrators_confirmation_changes_nothing(
    app, developer
):
    """Issue 9 item 9: submitting the form only asks; continuing before the scan is told
    to wait, and the whitelist, quota and audit stay as they were."""
    console = browser(developer)
    assert console.get(FORM).status_code == 200
    before = dev_state(app)
    ask(console)
    waiting = console.post(CONFIRM)
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert 'data-testid="ticket-error"' in html
    after = dev_state(app)
    assert after["dev"] == before["dev"] and whitelist_of(app) == []
    assert not AuditEntry.objects.filter(action="devsettings.ip_whitelist").exists()


def test_the_administrators_scan_on_the_phone_applies_the_developers_change(app, developer):
    """Issue 9 item 9: the administrator confirms on the phone pages; the developer's
    browser continues and the new list is in force, with an audit row naming both."""
    console = browser(developer)
    token = ask(console)
    admin_phone = phone(app.admin_identity)
    scan = admin_phone.get(reverse("mobile:scan", args=[token])).content.decode()
    assert "change the API IP whitelist" in scan and "203.0.113.0/24" in scan
    confirmed = admin_phone.post(reverse("mobile:scan", args=[token]), {"decision": "confirm"})
    assert confirmed.status_code == 200
    done = console.post(CONFIRM)
    assert done.status_code == 302 and done.url == "/settings/dev/"
    assert whitelist_of(app) == ["192.0.2.1", "203.0.113.0/24"]
    row = AuditEntry.objects.get(action="devsettings.ip_whitelist")
    assert row.before == {"ip_whitelist": []}
    assert row.after["ip_whitelist"] == ["192.0.2.1", "203.0.113.0/24"]
    assert row.after["confirmed_by"] == app.admin_identity.pk
    assert WHITELIST_TICKET not in console.session
    assert console.post(CONFIRM).status_code == 302  # nothing left to apply
    assert QrTicket.objects.get(token=token).status == "consumed"


def test_the_administrators_own_change_also_waits_for_the_scan(app):
    """Issue 9 item 9: no shortcut for the administrator's browser either."""
    console = browser(app.admin_identity)
    token = ask(console, "198.51.100.7")
    console.post(CONFIRM)
    assert whitelist_of(app) == []
    identity_services.ticket_confirm(identity=app.admin_identity, token=token)
    assert console.post(CONFIRM).status_code == 302
    assert whitelist_of(app) == ["198.51.100.7"]


def test_a_non_administrator_confirming_is_refused_and_nothing_changes(
    app, developer, make_identity
):
    """Issue 9 item 9: the developer who asked, or anyone else, cannot confirm it; the
    phone says so and the ticket stays waiting."""
    console = browser(developer)
    token = ask(console)
    before = dev_state(app)
    for identity in (developer, make_identity("whitelist_stranger")):
        refused = phone(identity).post(
            reverse("mobile:scan", args=[token]), {"decision": "confirm"}
        )
        assert 'data-code="TICKET_WRONG_IDENTITY"' in refused.content.decode()
        with pytest.raises(PlatformError) as caught:
            identity_services.ticket_confirm(identity=identity, token=token)
        assert caught.value.code == IdentityError.TICKET_WRONG_IDENTITY
    assert QrTicket.objects.get(token=token).status in ("pending", "scanned")
    assert console.post(CONFIRM).status_code == 200
    assert dev_state(app)["dev"] == before["dev"] and whitelist_of(app) == []


def test_a_confirmed_ticket_of_another_browser_session_cannot_apply_it(app, developer):
    """Issue 9 item 9: the ticket is bound to the session that asked. Another browser
    that plants the token in its own session is refused, and nothing changes."""
    asking = browser(developer)
    token = ask(asking)
    identity_services.ticket_confirm(identity=app.admin_identity, token=token)
    other = browser(developer)
    planted = other.session
    planted[WHITELIST_TICKET] = token
    planted.save()
    before = dev_state(app)
    assert other.post(CONFIRM).status_code == 302
    assert dev_state(app) == before and whitelist_of(app) == []
    with pytest.raises(PlatformError) as caught:
        devsettings.ip_whitelist_complete(
            actor=Actor.for_identity(developer),
            miniprogram=app,
            ticket_token=token,
            session_key=other.session.session_key,
        )
    assert caught.value.code == IdentityError.TICKET_FOREIGN_SESSION
    assert dev_state(app) == before
    assert QrTicket.objects.get(token=token).status == "confirmed"
    assert asking.post(CONFIRM).status_code == 302  # the asking browser still can
    assert whitelist_of(app) == ["192.0.2.1", "203.0.113.0/24"]


def test_a_confirmation_for_another_mini_program_changes_nothing(provision):
    """Issue 9 item 9: a ticket confirmed for one mini program's list cannot set another's."""
    first, second = provision("personal").miniprogram, provision("personal").miniprogram
    actor = Actor.for_identity(first.admin_identity)
    ticket = devsettings.ip_whitelist_request(
        actor=actor, miniprogram=first, entries=["192.0.2.9"], session_key=SESSION
    )
    identity_services.ticket_confirm(identity=first.admin_identity, token=ticket.token)
    before = dev_state(second)
    with pytest.raises(PlatformError) as refused:
        devsettings.ip_whitelist_complete(
            actor=actor, miniprogram=second, ticket_token=ticket.token, session_key=SESSION
        )
    assert refused.value.code == MiniProgramError.IP_WHITELIST_TICKET_MISMATCH
    assert dev_state(second) == before
    assert QrTicket.objects.get(pk=ticket.pk).status == "confirmed"


def test_an_invalid_or_unchanged_list_is_refused_on_the_form_with_no_ticket(app, developer):
    """DEV-2: the form names the bad entry before any QR is shown; the list in force
    again asks for nothing."""
    console = browser(developer)
    page = console.post(FORM, {"ip_whitelist": "192.0.2.1\nnonsense"})
    html = page.content.decode()
    assert page.status_code == 200 and "nonsense" in html and "errorlist" in html
    set_ip_whitelist(app, ["192.0.2.1"])
    tickets = QrTicket.objects.count()
    same = console.post(FORM, {"ip_whitelist": "192.0.2.1"})
    assert same.status_code == 200
    assert sentence(MiniProgramError.IP_WHITELIST_NO_CHANGE.message()) in same.content.decode()
    assert QrTicket.objects.count() == tickets and WHITELIST_TICKET not in console.session
