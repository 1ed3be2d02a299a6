"""MEM-5: one permission table decides every console page and every server API call.

The pages are found from the URL patterns (every console view that declares its action
with `console_view` and takes no URL argument), so pages added later are covered
without touching this module. Each page is opened by every persona; the outcome each
should get is derived from the permission table and the persona's roles as the
database holds them, never written per page:

- anonymous → the login page;
- no console role in the mini program, or no right to see the page → 404;
- sees the page but may not do its action → 403;
- otherwise the page answers (any other status).

Server API routes are called by the app's own server (role "app", its access token)
and by a caller without a token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from miniport.console.access import ENTER, MEMBER_APPID
from miniport.console.session import IDENTITY
from miniport.core.actors import Actor
from miniport.identities import services as identity_services
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.services import members as member_services
from miniport.openapi import base as openapi_base
from tests.console.conftest import two_step_login
from tests.miniprograms.conftest import console_login

LOGIN, NOT_FOUND, FORBIDDEN, OPEN = "login", "404", "403", "open"


@dataclass(frozen=True)
class Page:
    path: str
    name: str
    action: str
    visible_with: str


def _console_pages(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _console_pages(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern) and namespace == "console":
            action = getattr(entry.callback, "console_action", None)
            takes_arguments = bool(getattr(entry.pattern, "converters", None)) or (
                entry.pattern.regex.groups > 0
            )
            if action and not takes_arguments:
                visible = getattr(entry.callback, "console_visible_with", action)
                yield Page("/" + prefix + str(entry.pattern), entry.name, action, visible)


def console_pages() -> list[Page]:
    return sorted(_console_pages(get_resolver().url_patterns), key=lambda page: page.path)


def api_routes() -> list:
    openapi_base.discover()
    return sorted(
        (
            r
            for r in openapi_base.ROUTES.values()
            if r.surface == "openapi" and r.auth == "access_token"
        ),
        key=lambda r: r.path,
    )


def expected_outcome(roles: set[str] | None, page: Page) -> str:
    if roles is None:
        return LOGIN
    if not (permissions.allowed(roles, ENTER) and permissions.allowed(roles, page.visible_with)):
        return NOT_FOUND
    if not permissions.allowed(roles, page.action):
        return FORBIDDEN
    return OPEN


def outcome_of(response) -> str:
    """What the console gate decided (a page's own 404 for a missing object is not the
    gate's), checked against what the browser got."""
    gate = getattr(response.wsgi_request, "console_gate", None)
    assert gate is not None, "the view did not pass through console_view"
    if gate == LOGIN:
        path, _, query = response.url.partition("?")
        assert response.status_code == 302 and path == settings.LOGIN_URL and "next=" in query
    elif gate in (NOT_FOUND, FORBIDDEN):
        assert response.status_code == int(gate)
    return gate


def probe(client: Client, path: str):
    """GET the page. A view that refuses GET before its console gate runs is probed
    with an empty POST."""
    response = client.get(path)
    if response.status_code == 405 and not hasattr(response.wsgi_request, "console_gate"):
        response = client.post(path)
    return response


def _add(miniprogram, identity, kind: str, roles=()):
    session_key = f"matrix-{identity.pk}-{kind}"
    admin = miniprogram.admin_identity
    _member, ticket = member_services.member_request_add(
        actor=Actor.for_identity(admin),
        miniprogram=miniprogram,
        wechat_id=identity.wechat_id,
        kind=kind,
        roles=roles,
        session_key=session_key,
    )
    identity_services.ticket_confirm(identity=admin, token=ticket.token)
    member_services.member_confirm(
        actor=Actor.for_identity(admin),
        miniprogram=miniprogram,
        token=ticket.token,
        session_key=session_key,
    )


def _forge_session(client: Client, identity, appid: str) -> None:
    """A console session naming a mini program the member login would not offer."""
    store = client.session
    store[IDENTITY] = identity.pk
    store[MEMBER_APPID] = appid
    store.save()


@dataclass
class Persona:
    name: str
    client: Client
    identity: object | None


@pytest.fixture
def world(provision, make_identity):
    """One mini program, a browser for each persona, and the roles each holds there."""
    app = provision("personal")
    mp = app.miniprogram
    personas: list[Persona] = []

    account_admin = Client()
    two_step_login(account_admin, app)
    account_admin.post("/login/scan/complete/")
    personas.append(Persona("administrator (email login)", account_admin, mp.admin_identity))

    scan_admin = Client()
    console_login(scan_admin, mp.admin_identity)
    personas.append(Persona("administrator (scan login)", scan_admin, mp.admin_identity))

    for role in permissions.PROJECT_ROLES:
        member = make_identity(f"matrix_{role}"[:20])
        _add(mp, member, "project", (role,))
        client = Client()
        console_login(client, member)
        personas.append(Persona(role, client, member))

    tester = make_identity("matrix_tester")
    _add(mp, tester, "experience")
    experience = Client()
    _forge_session(experience, tester, mp.appid)
    personas.append(Persona("experience member", experience, tester))

    elsewhere = provision("personal").miniprogram
    outsider_identity = elsewhere.admin_identity
    outsider = Client()
    console_login(outsider, outsider_identity)
    _forge_session(outsider, outsider_identity, mp.appid)
    personas.append(Persona("outsider", outsider, outsider_identity))

    personas.append(Persona("anonymous", Client(), None))
    return mp, personas, app


def _roles(persona: Persona, mp) -> set[str] | None:
    return None if persona.identity is None else selectors.roles_of(persona.identity, mp)


def test_the_matrix_finds_the_console_pages():
    names = {page.name for page in console_pages()}
    assert {"members", "members_experience", "members_handover"} <= names


@pytest.mark.parametrize("page", console_pages(), ids=lambda page: page.path)
def test_every_persona_gets_what_the_permission_table_says(world, page):
    """MEM-5: outsiders 404, anonymous callers the login page, members by their roles."""
    mp, personas, _app = world
    expected = {p.name: expected_outcome(_roles(p, mp), page) for p in personas}
    responses = {p.name: probe(p.client, page.path) for p in personas}
    assert {name: outcome_of(response) for name, response in responses.items()} == expected
    # Past the gate, the page answers every persona it lets in alike: a page that turns
    # some of them away by itself decides outside the table.
    let_in = {
        name: responses[name].status_code for name, outcome in expected.items() if outcome == OPEN
    }
    assert len(set(let_in.values())) <= 1, let_in


def test_the_personas_hold_the_roles_they_stand_for(world):
    mp, personas, _app = world
    roles = {p.name: _roles(p, mp) for p in personas}
    assert roles["operator"] == {"operator"}
    assert roles["experience member"] == {permissions.EXPERIENCE}
    assert roles["outsider"] == set()
    assert roles["anonymous"] is None


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.path)
def test_every_api_call_is_decided_by_the_table_for_the_apps_server(world, client, route):
    """MEM-5: the server API's caller is the app (role "app"); without a token, nothing."""
    mp, _personas, app = world
    token_answer = json.loads(
        client.get(
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": mp.appid, "secret": app.secret},
        ).content
    )
    token = token_answer["access_token"]

    def call(params: dict) -> dict:
        method = route.methods[0]
        if method == "GET":
            response = client.get(route.path, params)
        else:
            query = "&".join(f"{key}={value}" for key, value in params.items())
            response = client.generic("POST", f"{route.path}?{query}", data=b"{}")
        assert response.status_code == 200
        if not response.get("Content-Type", "").startswith("application/json"):
            return {"errcode": 0}  # a binary answer: the call got through
        return json.loads(response.content)

    with_token = call({"access_token": token}).get("errcode", 0)
    refused = openapi_base.PlatformError(openapi_base.ErrorCode.API_UNAUTHORIZED).errcode
    if route.permission is None or permissions.allowed({permissions.APP}, route.permission):
        assert with_token != refused
    else:
        assert with_token == refused
    assert call({}).get("errcode", 0) not in (0, None)
