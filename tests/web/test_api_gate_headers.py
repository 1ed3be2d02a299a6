"""Issue 14 item 1: ApiGateMiddleware writes an API answer's fixed headers, converted
once, straight into the answer's header store. Whatever the security settings, an
answer leaves with the very headers, in the same order, that setting them one by one
and Django's own SecurityMiddleware give, and a header the answer set itself is kept."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

from miniport.web import api, api_gate

SETTINGS = [
    {},  # the platform's own
    {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True},
    {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_PRELOAD": True},
    {"SECURE_REFERRER_POLICY": " no-referrer , strict-origin "},
    {"SECURE_REFERRER_POLICY": ["no-referrer", "origin"]},
    {"SECURE_REFERRER_POLICY": None, "SECURE_CROSS_ORIGIN_OPENER_POLICY": None},
    {"SECURE_CONTENT_TYPE_NOSNIFF": False},
    {"X_FRAME_OPTIONS": "sameorigin"},
]


def _answer() -> HttpResponse:
    return api.json_response({"errcode": 0, "errmsg": "ok"})


def _one_by_one(gate: api_gate.ApiGateMiddleware, request, response: HttpResponse) -> HttpResponse:
    """The headers as setting each through Django's public API gives them."""
    if "X-Frame-Options" not in response:
        response.headers["X-Frame-Options"] = gate.frame_options
    for (_key, (header, value)), _exempt, _excluded in gate.policies:
        if header not in response:
            response.headers[header] = value
    if "Content-Length" not in response:
        response.headers["Content-Length"] = str(len(response.content))
    return SecurityMiddleware(lambda r: response).process_response(request, response)


@pytest.mark.parametrize("overrides", SETTINGS)
@pytest.mark.parametrize("secure", [False, True])
def test_an_answer_leaves_with_the_headers_setting_them_one_by_one_gives(
    settings, overrides, secure
):
    for name, value in overrides.items():
        setattr(settings, name, value)
    gate = api_gate.ApiGateMiddleware(lambda request: _answer())
    request = RequestFactory().get("/runtime/v1/ping", secure=secure)
    answered = gate(request)
    expected = _one_by_one(gate, request, _answer())
    assert list(answered.items()) == list(expected.items())
    assert ("Strict-Transport-Security" in answered) == bool(
        secure and overrides.get("SECURE_HSTS_SECONDS")
    )


def test_headers_the_answer_set_itself_are_kept():
    def own(request):
        response = _answer()
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["referrer-policy"] = "origin"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    answered = api_gate.ApiGateMiddleware(own)(RequestFactory().get("/cgi-bin/token"))
    assert answered["X-Frame-Options"] == "SAMEORIGIN"
    assert answered["Referrer-Policy"] == "origin"
    assert answered["Content-Security-Policy"] == "default-src 'none'"
    assert answered["X-Content-Type-Options"] == "nosniff"
    assert int(answered["Content-Length"]) == len(answered.content)
