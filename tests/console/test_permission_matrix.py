"""MEM-5: one permission table decides every console page and every server API call.

Every route of the `console` URL namespace is found from the URL patterns
(`tests.console.console_routes`): each is either a `console_view`, which names its
permission, or on the short, explained list of public pages. Pages that take URL
arguments are opened with objects made by the world fixture. Each page is opened by
every persona; the outcome each should get is derived from the permission table and the
persona's roles as the database holds them, never written per page:

- anonymous → the login page (the home shows visitors its landing page instead);
- no console role in the mini program, or no right to see the page → 404;
- sees the page but may not do its action → 403;
- otherwise the page answers (any other status).

Every server API route authenticated by the app's access_token names its permission;
it is called by the app's own server (role "app", its access token), by the same
server while the table withholds that permission, and by a caller without a token.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse

from miniport.console import menu
from miniport.console.access import ENTER
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.miniprograms import permissions
from miniport.miniprograms.models import (
    DevSettings,
    Member,
    MiniProgram,
    MiniProgramCategory,
    UploadKey,
)
from miniport.web import api as openapi_base
from tests.console.console_routes import (
    ARGUMENTS,
    NO_OBJECT_ARGUMENTS,
    PUBLIC,
    ConsoleRoute,
    build_world,
    console_routes,
    gated_routes,
    path_of,
)

LOGIN, VISITOR, NOT_FOUND, FORBIDDEN, OPEN = "login", "visitor", "404", "403", "open"

# Server API routes of the openapi surface that are not authenticated by the app's
# access_token, each with how they are authenticated instead.
NOT_BY_ACCESS_TOKEN = {
    "/cgi-bin/token": "issues the access_token, from the AppID and the AppSecret",
    "/cgi-bin/stable_token": "issues the access_token, from the AppID and the AppSecret",
    "/cgi-bin/miniport/upload": "an upload key's Ed25519 signature of the request (B-10)",
    "/sns/jscode2session": "the AppID and the AppSecret with a login code",
    "/openapi.json": "the public description of the API",
    "/openapi/": "the public description of the API",
    "/cgi-bin/wxopen/wxamplink": "an official account's own access_token (wechat-api 12)",
    "/cgi-bin/wxopen/wxamplinkget": "an official account's own access_token (wechat-api 12)",
    "/cgi-bin/wxopen/wxampunlink": "an official account's own access_token (wechat-api 12)",
}
# access_token routes allowed, for now, to name no permission; each with why.
# Temporary: an entry goes as soon as its route names its permission (a test below
# fails while an entry is stale).
WITHOUT_PERMISSION: dict[str, str] = {}


def api_routes() -> list:
    openapi_base.discover()
    return sorted(
        (r for r in openapi_base.ROUTES.values() if r.surface == "openapi"),
        key=lambda r: r.path,
    )


def token_routes() -> list:
    return [r for r in api_routes() if r.auth == "access_token"]


def expected_outcome(roles: set[str] | None, route: ConsoleRoute) -> str:
    if roles is None:
        return VISITOR if route.visitor else LOGIN
    if not (permissions.allowed(roles, ENTER) and permissions.allowed(roles, route.visible_with)):
        return NOT_FOUND
    if not permissions.allowed(roles, route.action):
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
    elif gate == VISITOR:
        assert response.status_code == 200
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


def _state(mp) -> dict:
    """What probing pages with GET must leave as it was."""
    return {
        "members": sorted(
            Member.objects.values_list("pk", "status", "is_operator", "is_developer")
        ),
        "categories": sorted(MiniProgramCategory.objects.values_list("pk", "status")),
        "admin": MiniProgram.objects.get(pk=mp.pk).admin_identity_id,
        "dev": list(DevSettings.objects.values_list("domains", "ip_whitelist")),
        "upload_keys": sorted(UploadKey.objects.values_list("pk", "revoked_at")),
    }


@pytest.fixture
def world(provision, make_identity):
    return build_world(provision, make_identity)


# --- the console -----------------------------------------------------------------------


def test_every_console_route_is_a_console_view_or_a_named_public_page():
    """MEM-5: no console page escapes the table; a page without `console_view` fails
    here unless it is on the short list of public pages, with its reason."""
    routes = console_routes()
    names = {route.name for route in routes}
    assert set(PUBLIC) <= names, set(PUBLIC) - names
    ungated = sorted(r.pattern for r in routes if not r.gated and r.name not in PUBLIC)
    assert ungated == [], f"neither a console_view nor a named public page: {ungated}"
    gated_but_public = sorted(r.name for r in routes if r.gated and r.name in PUBLIC)
    assert gated_but_public == [], "a permission-checked page is no public page"
    assert all(reason for reason in PUBLIC.values())


def test_the_matrix_finds_the_home_and_the_pages_of_single_objects():
    """MEM-5: the home (its landing page for visitors) and pages taking URL arguments
    are in the matrix too."""
    names = {route.name for route in gated_routes()}
    assert {
        "home",
        "members",
        "members_experience",
        "members_handover",
        "members_roles",
        "members_remove",
        "members_confirm",
        "members_experience_remove",
        "basic_settings_edit",
        "basic_category_delete",
        "basic_category_modify",
    } <= names


def test_every_url_argument_of_a_console_page_is_built_from_the_world():
    """A new page taking URL arguments fails here until ARGUMENTS says what they name."""
    with_arguments = {route.name for route in gated_routes() if route.arguments}
    assert with_arguments == set(ARGUMENTS)


@pytest.mark.parametrize("route", gated_routes(), ids=lambda route: route.pattern)
def test_every_persona_gets_what_the_permission_table_says(world, route):
    """MEM-5: outsiders 404, anonymous callers the login page, members by their roles."""
    path = path_of(route, world.objects)
    before = _state(world.miniprogram)
    expected = {p.name: expected_outcome(world.roles(p), route) for p in world.personas}
    responses = {p.name: probe(p.client, path) for p in world.personas}
    assert {name: outcome_of(response) for name, response in responses.items()} == expected
    # Past the gate, the page answers every persona it lets in alike: a page that turns
    # some of them away by itself decides outside the table.
    let_in = {
        name: responses[name].status_code for name, outcome in expected.items() if outcome == OPEN
    }
    assert len(set(let_in.values())) <= 1, let_in
    assert _state(world.miniprogram) == before


@pytest.mark.parametrize(
    "route",
    [r for r in gated_routes() if r.arguments and r.name not in NO_OBJECT_ARGUMENTS],
    ids=lambda route: route.pattern,
)
def test_an_object_of_another_mini_program_answers_404_to_the_administrator(world, route):
    """MEM-5: objects are loaded through the mini program of the session (owned_or_404)."""
    foreign = path_of(route, world.foreign)
    assert foreign != path_of(route, world.objects)
    before = _state(world.miniprogram)
    admin = world.persona("administrator (scan login)").client
    # Each method the page accepts (a POST-only page answers GET with 405 first).
    answers = {method: getattr(admin, method)(foreign).status_code for method in ("get", "post")}
    accepted = {method: status for method, status in answers.items() if status != 405}
    assert accepted and set(accepted.values()) == {404}, answers
    assert _state(world.miniprogram) == before


def test_every_menu_entry_names_the_permission_its_page_is_gated_by():
    """MEM-5: the menu offers a page to exactly the roles its view lets in; an entry
    without an action leads to a named public page (the development tools' help page)."""
    for section in menu.MENU:
        for entry in section.entries:
            url = menu.entry_url(entry.key)
            if url is None:
                continue
            match = resolve(url)
            if entry.action is None:
                assert match.url_name in PUBLIC, entry.key
                continue
            assert entry.action == match.func.console_visible_with, entry.key


def test_the_home_and_its_menu_entry_use_one_permission():
    """MEM-5: the home page is gated by the permission its menu entry names."""
    view = resolve(reverse("console:home")).func
    home_entry = next(e for s in menu.MENU for e in s.entries if e.key == "home")
    assert view.console_action == view.console_visible_with == home_entry.action == "home.view"


def test_the_personas_hold_the_roles_they_stand_for(world):
    roles = {p.name: world.roles(p) for p in world.personas}
    assert roles["administrator (email login)"] == {permissions.ADMINISTRATOR}
    assert roles["operator"] == {"operator"}
    assert roles["developer"] == {"developer"}
    assert roles["data_analyst"] == {"data_analyst"}
    assert roles["experience member"] == {permissions.EXPERIENCE}
    assert roles["outsider"] == set()
    assert roles["anonymous"] is None


# --- the server API --------------------------------------------------------------------


def test_every_access_token_route_names_its_permission():
    """MEM-5: a server API route decided by no permission fails here unless it is on
    WITHOUT_PERMISSION with its reason; routes not behind the access_token are named."""
    routes = api_routes()
    others = sorted(r.path for r in routes if r.auth != "access_token")
    assert others == sorted(NOT_BY_ACCESS_TOKEN)
    undecided = sorted(
        r.path for r in token_routes() if r.permission is None and r.path not in WITHOUT_PERMISSION
    )
    assert undecided == [], f"access_token routes naming no permission: {undecided}"


def test_every_exemption_from_naming_a_permission_is_still_needed():
    """An exemption goes once its route names its permission."""
    routes = {r.path: r for r in token_routes()}
    for path, reason in WITHOUT_PERMISSION.items():
        assert path in routes and routes[path].permission is None, path
        assert reason


def _api_state(mp) -> dict:
    return {
        "audit": AuditEntry.objects.count(),
        "members": sorted(Member.objects.values_list("pk", "status")),
        "categories": sorted(MiniProgramCategory.objects.values_list("pk", "status")),
        "dev": list(DevSettings.objects.values()),
        "miniprogram": MiniProgram.objects.filter(pk=mp.pk).values().get(),
    }


def _caller(client, route):
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

    return call


def _token(client, world) -> str:
    answer = client.get(
        "/cgi-bin/token",
        {
            "grant_type": "client_credential",
            "appid": world.miniprogram.appid,
            "secret": world.app.secret,
        },
    )
    return json.loads(answer.content)["access_token"]


REFUSED = PlatformError(CoreError.API_UNAUTHORIZED).errcode


@pytest.mark.parametrize("route", token_routes(), ids=lambda route: route.path)
def test_every_api_call_is_decided_by_the_table_for_the_apps_server(world, client, route):
    """MEM-5: the server API's caller is the app (role "app"); without a token, nothing."""
    call = _caller(client, route)
    with_token = call({"access_token": _token(client, world)}).get("errcode", 0)
    if route.permission is None or permissions.allowed({permissions.APP}, route.permission):
        assert with_token != REFUSED
    else:
        assert with_token == REFUSED
    assert call({}).get("errcode", 0) not in (0, None)


@pytest.mark.parametrize(
    "route",
    [route for route in token_routes() if route.permission is not None],
    ids=lambda route: route.path,
)
def test_an_api_call_is_refused_once_the_table_withholds_its_permission(
    world, client, route, monkeypatch
):
    """MEM-5: the dispatcher asks the table for every route: with the route's permission
    taken from the app, the call answers 48001 and changes nothing."""
    token = _token(client, world)
    granted = permissions.PERMISSIONS[route.permission]
    monkeypatch.setitem(permissions.PERMISSIONS, route.permission, granted - {permissions.APP})
    before = _api_state(world.miniprogram)
    assert _caller(client, route)({"access_token": token}).get("errcode") == REFUSED
    assert _api_state(world.miniprogram) == before
