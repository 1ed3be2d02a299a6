"""Issue 10 item 7 (DEV-2): the AppSecret page is post/redirect/get. The confirmation
POST redirects; the GET shows the secret once (kept sealed in the session for that one
display) with a copy button and the sentence of a first generation or of a reset; a
second GET shows it no longer."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from miniport.console.views.devsettings import SECRET_SHOWN, SECRET_TICKET
from miniport.core import ids
from miniport.identities import services as identity_services
from miniport.miniprograms.models import MiniProgram
from tests.console.conftest import en_client, two_step_login, zh_client

pytestmark = pytest.mark.django_db

SHOWN = "/settings/dev/secret/shown/"
FIRST = "The AppSecret is generated."
RESET = "the previous AppSecret no longer works"


def console_of(app, client):
    two_step_login(client, app)
    assert client.post("/login/scan/complete/").status_code == 302
    return client


def confirm_secret(client, mp):
    assert client.post("/settings/dev/secret/").status_code == 302
    identity_services.ticket_confirm(
        identity=mp.admin_identity, token=client.session[SECRET_TICKET]
    )
    return client.post("/settings/dev/secret/confirm/")


def secret_in(html: str) -> str:
    return html.split('data-testid="secret-value">')[1].split("<")[0]


def test_the_confirmation_redirects_and_the_secret_is_shown_once(provision):
    """Issue 10 item 7: POST redirects; the first GET shows the secret, the second does not."""
    app = provision("personal")
    mp = app.miniprogram
    client = console_of(app, en_client())
    answer = confirm_secret(client, mp)
    assert answer.status_code == 302 and answer.url == SHOWN

    # Waiting in the session sealed, never in clear.
    stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
    assert stored[SECRET_SHOWN]["appid"] == mp.appid

    shown = client.get(SHOWN)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"] or "max-age=0" in shown["Cache-Control"]
    secret = secret_in(html)
    assert len(secret) == 32
    assert secret not in str(stored)
    mp.refresh_from_db()
    assert mp.secret_digest == ids.digest(secret)
    assert 'data-copy-target="secret-value"' in html and "copy-button.js" in html
    assert RESET in html and FIRST not in html

    again = client.get(SHOWN)
    assert again.status_code == 302 and again.url == "/settings/dev/"
    page = client.get(again.url).content.decode()
    assert secret not in page and "shown only once" in page
    assert SECRET_SHOWN not in client.session
    mp.refresh_from_db()
    assert mp.secret_digest == ids.digest(secret)  # reading twice changes nothing


def test_a_first_generation_does_not_say_an_old_secret_stopped_working(provision):
    """Issue 10 item 7: the first generation has its own sentence; the reset sentence is
    for a reset only."""
    app = provision("personal")
    mp = app.miniprogram
    MiniProgram.objects.filter(pk=mp.pk).update(secret_digest="", secret_set_at=None)
    client = console_of(app, en_client())
    assert confirm_secret(client, mp).url == SHOWN
    html = client.get(SHOWN).content.decode()
    assert FIRST in html and RESET not in html
    assert "Your AppSecret" in html


def test_the_sentences_are_chinese_on_chinese_pages(provision):
    app = provision("personal")
    mp = app.miniprogram
    client = console_of(app, zh_client())
    confirm_secret(client, mp)
    html = client.get(SHOWN).content.decode()
    assert "AppSecret 已重置" in html and "原 AppSecret 已失效" in html and "复制" in html


def test_the_shown_page_without_a_secret_waiting_shows_nothing(provision):
    """Nothing confirmed: no secret, back to the development settings; nothing changed."""
    app = provision("personal")
    mp = app.miniprogram
    before = MiniProgram.objects.get(pk=mp.pk).secret_digest
    client = console_of(app, en_client())
    response = client.get(SHOWN)
    assert response.status_code == 302 and response.url == "/settings/dev/"
    assert MiniProgram.objects.get(pk=mp.pk).secret_digest == before


def test_a_secret_waiting_for_another_mini_program_is_not_shown(provision):
    """The one display belongs to the mini program it was issued for."""
    app = provision("personal")
    client = console_of(app, en_client())
    store = client.session
    store[SECRET_SHOWN] = {"appid": "wx_other", "sealed": "garbage", "first": False}
    store.save()
    response = client.get(SHOWN)
    assert response.status_code == 302 and response.url == "/settings/dev/"
    assert SECRET_SHOWN not in client.session


def test_a_tampered_envelope_is_no_500(provision):
    app = provision("personal")
    mp = app.miniprogram
    client = console_of(app, en_client())
    store = client.session
    store[SECRET_SHOWN] = {"appid": mp.appid, "sealed": "v1:bad:bad:bad", "first": True}
    store.save()
    assert client.get(SHOWN).status_code == 302
