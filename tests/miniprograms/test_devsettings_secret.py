"""DEV-2: the AppSecret is generated or reset only after the administrator confirms by
scan, shown once, stored as a hash; the old one stops working at once."""

from __future__ import annotations

import json

import pytest

from miniport.console.views.devsettings import SECRET_TICKET
from miniport.core import ids
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import devsettings
from tests.miniprograms.devsettings_support import dev_state

SESSION = "secret-test-browser-session"


def token_errcode(client, appid: str, secret: str):
    body = json.loads(
        client.get(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": appid, "secret": secret}
        ).content
    )
    return body.get("errcode", 0)


def test_the_console_resets_the_secret_after_the_administrators_scan_and_shows_it_once(
    team, console_as, provision
):
    """DEV-2: scan, confirm, see the secret once; the page then shows only the date."""
    app = provision("personal")  # has a secret already; reset through its own console
    mp = app.miniprogram
    client = console_as(mp.admin_identity)
    started = client.post("/settings/dev/secret/")
    assert started.status_code == 302 and started.url == "/settings/dev/secret/confirm/"
    page = client.get(started.url)
    assert page.status_code == 200 and 'data-testid="ticket"' in page.content.decode()
    token = client.session[SECRET_TICKET]

    before = dev_state(mp)
    waiting = client.post("/settings/dev/secret/confirm/")
    assert waiting.status_code == 200 and 'data-testid="ticket-error"' in waiting.content.decode()
    assert dev_state(mp)["secret"] == before["secret"]

    identity_services.ticket_confirm(identity=mp.admin_identity, token=token)
    confirmed = client.post("/settings/dev/secret/confirm/")
    assert confirmed.status_code == 302 and confirmed.url == "/settings/dev/secret/shown/"
    shown = client.get(confirmed.url)
    assert shown.status_code == 200
    assert "no-store" in shown.get("Cache-Control", "") or "max-age=0" in shown.get(
        "Cache-Control", ""
    )
    html = shown.content.decode()
    secret = html.split('data-testid="secret-value">')[1].split("<")[0]
    assert len(secret) == 32

    mp.refresh_from_db()
    assert mp.secret_digest == ids.digest(secret) and secret not in mp.secret_digest
    assert not any(secret in json.dumps([e.before, e.after]) for e in AuditEntry.objects.all())
    overview = client.get("/settings/dev/").content.decode()
    assert secret not in overview and 'data-testid="secret-state"' in overview
    assert client.post("/settings/dev/secret/confirm/").status_code == 302  # the ticket is spent

    assert token_errcode(client, mp.appid, app.secret) == 40001
    assert token_errcode(client, mp.appid, secret) == 0


def test_a_first_secret_is_generated_the_same_way(team, console_as):
    """DEV-2: "generate" for a mini program without a secret yet."""
    mp = team.miniprogram
    MiniProgram.objects.filter(pk=mp.pk).update(secret_digest="", secret_set_at=None)
    client = console_as(team.admin)
    assert "secret-reset" in client.get("/settings/dev/").content.decode()
    client.post("/settings/dev/secret/")
    identity_services.ticket_confirm(identity=team.admin, token=client.session[SECRET_TICKET])
    html = client.post("/settings/dev/secret/confirm/", follow=True).content.decode()
    secret = html.split('data-testid="secret-value">')[1].split("<")[0]
    mp.refresh_from_db()
    assert mp.secret_set_at is not None and mp.secret_digest == ids.digest(secret)


def test_only_the_administrator_can_confirm_the_reset(team, make_identity):
    """DEV-2: the ticket expects the administrator's identity; anyone else is refused."""
    ticket = devsettings.secret_reset_request(
        actor=team.admin_actor, miniprogram=team.miniprogram, session_key=SESSION
    )
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=make_identity("intruder_wx"), token=ticket.token)
    assert refused.value.code == IdentityError.TICKET_WRONG_IDENTITY
    with pytest.raises(PlatformError) as pending:
        devsettings.secret_reset_complete(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            ticket_token=ticket.token,
            session_key=SESSION,
        )
    assert pending.value.code == IdentityError.TICKET_PENDING
    assert dev_state(team.miniprogram)["secret"] == before["secret"]


def test_a_confirmation_for_another_mini_program_resets_nothing(provision):
    """DEV-2: a ticket confirmed for one mini program's reset cannot reset another's."""
    first, second = provision("personal").miniprogram, provision("personal").miniprogram
    actor = Actor.for_identity(first.admin_identity)
    ticket = devsettings.secret_reset_request(actor=actor, miniprogram=first, session_key=SESSION)
    identity_services.ticket_confirm(identity=first.admin_identity, token=ticket.token)
    before = dev_state(second)
    with pytest.raises(PlatformError) as refused:
        devsettings.secret_reset_complete(
            actor=actor, miniprogram=second, ticket_token=ticket.token, session_key=SESSION
        )
    assert refused.value.code == MiniProgramError.SECRET_TICKET_MISMATCH
    assert dev_state(second) == before
    assert QrTicket.objects.get(pk=ticket.pk).status == "confirmed"  # not spent by the refusal


def test_a_confirmation_from_another_browser_session_resets_nothing(team):
    ticket = devsettings.secret_reset_request(
        actor=team.admin_actor, miniprogram=team.miniprogram, session_key=SESSION
    )
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        devsettings.secret_reset_complete(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            ticket_token=ticket.token,
            session_key="another-browser",
        )
    assert refused.value.code == IdentityError.TICKET_FOREIGN_SESSION
    assert dev_state(team.miniprogram) == before
