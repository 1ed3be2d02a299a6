"""Issue 14 item 1: the APIs take a lean request path (miniport.web.lean).

Paths under /cgi-bin/, /wxa/, /sns/, /runtime/ and the payment sandbox's XML prefixes go
down settings.API_MIDDLEWARE: no session, sign-in, CSRF, language choice, messages, CSP
nonce or htmx work happens for them, while the console, ops and phone pages keep the
full MIDDLEWARE. The answers keep the security headers, the Host check, the body caps,
the error envelope and the caller's address for audit rows.

The module is its own URL conf (pytest.mark.urls) so that probe views can report what
each path's request carried.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.utils import translation

from miniport.core import origin
from miniport.core.errors import CoreError
from miniport.urls import handler400, handler403, handler404, handler500  # noqa: F401
from miniport.urls import urlpatterns as site_urlpatterns
from miniport.web import api, bench_ceiling, lean, limits

SEEN: dict[str, dict] = {}
GIB = 1024 * 1024 * 1024


def _probe(request):
    """Records what the middleware gave the request, then answers like an API route."""
    SEEN[request.path] = {
        "session": hasattr(request, "session"),
        "user": hasattr(request, "user"),
        "csp_nonce": hasattr(request, "csp_nonce"),
        "messages": hasattr(request, "_messages"),
        "htmx": hasattr(request, "htmx"),
        "language_code": hasattr(request, "LANGUAGE_CODE"),
        "language": translation.get_language(),
        "ip": origin.current().ip,
    }
    return api.json_response({"ok": True})


def _boom(request):
    raise RuntimeError("a failure the handler does not catch")


urlpatterns = [
    path("cgi-bin/probe", _probe),
    path("runtime/v1/probe", _probe),
    path("cgi-bin/boom", _boom),
    path("probe/", _probe),
    path("m/probe/", _probe),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _policy(response) -> set[str]:
    """The CSP directives as a set: django-csp's order of directives is arbitrary."""
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def _cookied_client() -> Client:
    client = Client()
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["csrftoken"] = "short"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("probe", ["/cgi-bin/probe", "/runtime/v1/probe"])
def test_an_api_request_carries_no_session_user_csrf_csp_messages_htmx_or_language(probe):
    response = _cookied_client().get(probe, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    seen = SEEN[probe]
    assert not any(
        seen[work] for work in ("session", "user", "csp_nonce", "messages", "htmx", "language_code")
    ), seen
    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers
    assert "Content-Language" not in response.headers


@pytest.mark.parametrize("page", ["/probe/", "/m/probe/"])
def test_a_page_request_still_takes_the_full_chain(page):
    response = _cookied_client().get(page)
    seen = SEEN[page]
    assert all(
        seen[work] for work in ("session", "user", "csp_nonce", "messages", "htmx", "language_code")
    ), seen
    assert seen["language"] == "en"  # the language cookie chose it
    assert "Accept-Language" in response["Vary"]


def test_the_lean_path_runs_in_the_default_language_whatever_the_thread_served_before():
    client = _cookied_client()
    client.get("/probe/")  # activates English on this thread
    assert translation.get_language() == "en"
    client.get("/cgi-bin/probe", HTTP_ACCEPT_LANGUAGE="en")
    assert SEEN["/cgi-bin/probe"]["language"] == settings.LANGUAGE_CODE


def test_audit_rows_of_an_api_call_still_know_the_client_address():
    Client(REMOTE_ADDR="203.0.113.9").get("/cgi-bin/probe")
    assert SEEN["/cgi-bin/probe"]["ip"] == "203.0.113.9"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/runtime/v1/ping", 200),
        ("post", "/cgi-bin/stable_token", 200),  # an errcode: empty body
        ("get", "/cgi-bin/stable_token", 200),  # an errcode: wrong method
        ("get", "/cgi-bin/no-such-api", 200),
        ("get", "/pay/no-such-api", 404),
    ],
)
def test_api_answers_keep_the_security_headers_and_the_pages_policy(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, header
    assert _policy(response) == _policy(client.get("/login/"))
    assert int(response["Content-Length"]) == len(response.content)


def test_a_console_page_still_sets_its_cookie_and_varies_by_cookie_and_language(client):
    page = client.get("/login/")
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in page["Vary"].split(",")}
    assert page["Content-Language"] == settings.LANGUAGE_CODE


@pytest.mark.parametrize("path", ["/runtime/v1/ping", "/cgi-bin/stable_token"])
def test_a_hostile_host_is_refused_with_errcode_40097_and_http_200(client, path):
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert json.loads(response.content)["errcode"] == CoreError.INVALID_ARGS.errcode
    assert response["X-Content-Type-Options"] == "nosniff"


def test_body_caps_still_answer_45002_unread_on_the_lean_path(client):
    response = client.post(
        "/cgi-bin/stable_token", b"{}", content_type="application/json", CONTENT_LENGTH=str(GIB)
    )
    assert response.status_code == 200
    assert json.loads(response.content)["errcode"] == CoreError.CONTENT_TOO_LARGE.errcode


def test_a_request_line_over_the_limit_is_still_40097(client):
    response = client.get("/cgi-bin/token", {"x": "a" * limits.MAX_REQUEST_LINE_BYTES})
    assert json.loads(response.content)["errcode"] == CoreError.INVALID_ARGS.errcode


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_errors_stay_the_envelope_with_wechats_english_errmsg(client, language):
    wrong_method = client.get("/cgi-bin/stable_token", HTTP_ACCEPT_LANGUAGE=language)
    body = json.loads(wrong_method.content)
    assert body["errcode"] == CoreError.REQUIRE_POST.errcode
    assert body["errmsg"].startswith("require POST method rid: ")
    missing = json.loads(client.get("/wxa/no-such-api", HTTP_ACCEPT_LANGUAGE=language).content)
    assert missing["errmsg"].startswith("no such API rid: ")


def test_an_uncaught_failure_under_an_api_prefix_is_the_json_500():
    client = Client(raise_request_exception=False)
    response = client.get("/cgi-bin/boom")
    assert response.status_code == 500
    assert json.loads(response.content)["errcode"] == CoreError.SYSTEM_ERROR.errcode


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + str(pattern.pattern), pattern.callback


@pytest.mark.urls("miniport.urls")
def test_the_route_table_sends_every_api_route_lean_and_no_page_lives_under_its_prefixes():
    api.discover()
    served = dict(_patterns(get_resolver().url_patterns))
    for route in api.ROUTES.values():
        assert route.path in served, route.path
        # The API document (/openapi/, /openapi.json) is a page with the page context.
        assert lean.takes_lean_path(route.path) == limits.is_api(route.path), route.path
    for url, callback in served.items():
        if lean.takes_lean_path(url):
            assert callback.__module__ in ("miniport.web.api", "miniport.openapi.pay_xml"), url
    assert lean.takes_lean_path("/pay/unifiedorder") and lean.takes_lean_path("/sandboxnew/")
    for page in ("/", "/login/", "/ops/", "/m/", "/openapi/", "/static/x.css", "/captcha/"):
        assert not lean.takes_lean_path(page), page


@pytest.mark.urls("miniport.urls")
def test_the_remembered_matches_are_the_registered_routes_only():
    handler = lean.LeanHandler()
    factory = RequestFactory()
    handler.chain(factory.get("/runtime/v1/ping"))
    for n in range(50):
        assert handler.chain(factory.get(f"/cgi-bin/made-up-{n}")).status_code == 200
    assert [path for _urlconf, path in handler._matches] == ["/runtime/v1/ping"]


def test_the_bench_ceiling_answers_its_path_only_and_only_when_switched_on(monkeypatch):
    monkeypatch.delenv(bench_ceiling.ENVIRONMENT_FLAG, raising=False)
    assert not bench_ceiling.enabled()
    monkeypatch.setenv(bench_ceiling.ENVIRONMENT_FLAG, "1")
    assert bench_ceiling.enabled()
    calls = []

    def behind(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("404 Not Found", [])
        return [b""]

    app = bench_ceiling.with_ceiling(behind)
    statuses: list[str] = []
    body = app(
        {"PATH_INFO": bench_ceiling.BARE_PATH, "REQUEST_METHOD": "GET"},
        lambda status, headers: statuses.append(status),
    )
    assert statuses == ["200 OK"] and b"".join(body) == b'{"ok":true}' and calls == []
    app({"PATH_INFO": "/runtime/v1/ping", "REQUEST_METHOD": "GET"}, lambda *_: None)
    assert calls == ["/runtime/v1/ping"]
