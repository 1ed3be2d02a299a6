"""OA-3 / WW-2: the consoles of official accounts and enterprises are entered by one scan
of their administrator (an identity), apart from any mini program console session."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.console import linked_access
from miniport.console.views.links import LINKED_TICKET
from tests.links.makers import linked_signin
from tests.releases.version_support import add_member

pytestmark = pytest.mark.django_db


def test_the_linked_console_sends_a_visitor_to_the_scan_and_back(make_identity):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/linked/")
    assert response.status_code == 302
    assert response.url == "/linked/signin/?next=%2Flinked%2F"
    identity = make_identity()
    done = linked_signin(client, identity, next_path="/linked/")
    assert done.status_code == 302 and done.url == "/linked/"
    page = client.get("/linked/")
    assert page.status_code == 200
    assert "administers no official account and no enterprise" in page.content.decode()
    assert client.session[linked_access.LINKED_IDENTITY] == identity.pk


def test_an_unconfirmed_scan_signs_nobody_in(make_identity):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/linked/signin/").status_code == 200
    token = client.session[LINKED_TICKET]
    response = client.post("/linked/signin/complete/")
    assert response.status_code == 200
    assert 'data-testid="ticket-error"' in response.content.decode()
    assert linked_access.LINKED_IDENTITY not in client.session
    assert client.session[LINKED_TICKET] != token


def test_a_next_address_on_another_host_is_ignored(make_identity):
    client = Client()
    done = linked_signin(client, make_identity(), next_path="https://evil.example/")
    assert done.status_code == 302 and done.url == "/linked/"


def test_signing_out_ends_the_linked_session(make_identity):
    client = Client()
    linked_signin(client, make_identity())
    assert client.post("/linked/signout/").status_code == 302
    assert client.get("/linked/").status_code == 302


def test_the_session_key_changes_at_sign_in(make_identity):
    client = Client()
    client.get("/linked/signin/")
    before = client.session.session_key
    linked_signin(client, make_identity())
    assert client.session.session_key != before


def test_the_association_settings_hub_is_for_administrators_and_operators(
    provision, make_identity, console_as
):
    mp = provision("enterprise").miniprogram
    operator, developer = make_identity(), make_identity()
    add_member(mp, operator, kind="project", roles=("operator",))
    add_member(mp, developer, kind="project", roles=("developer",))
    for identity in (mp.admin_identity, operator):
        page = console_as(identity, mp.appid).get("/settings/links/")
        assert page.status_code == 200
        text = page.content.decode()
        for section in ("Open platform", "Official accounts", "Enterprises"):
            assert section in text
    assert console_as(developer, mp.appid).get("/settings/links/").status_code == 404
