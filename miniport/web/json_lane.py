"""The JSON routes' lane of the lean WSGI handler (issue 14 item 1).

On the lean chain (miniport.web.lean), a call to a route of miniport.web.api still went
through three middleware layers, each wrapped in Django's exception converter, the
handler's view lookup, the route's view wrappers and an HttpResponse whose headers were
then copied out for the server. Timed in process, that glue cost more than ping's own
answer and as much as the request object and the answer's headers together. Under
`miniport serve`, `LeanWSGIHandler` hands a request for a registered JSON route here
instead, and this lane does the same steps as plain calls, in the chain's order:

1. the body and request line caps (RequestLimitsMiddleware.refuse; a refusal leaves
   as the chain's outermost layer would send it);
2. the https redirect, the Host check and the default language (ApiGateMiddleware.admit);
3. the client's address for audit rows (the origin RequestOriginMiddleware sets);
4. the route's answer (miniport.web.api.answer), whose JSON body leaves as bytes with
   the headers the gate gives an HttpResponse of that route, worked out once per route
   (and per secure or plain request, for HSTS) and copied with the body's length;
5. a body read past its cap becomes the refusal (RequestLimitsMiddleware.checked).

A handler's own HttpResponse (a binary answer), a redirect, a refusal or a failure of
the steps themselves is an HttpResponse with the headers the chain would give it, and
the WSGI handler finishes it as it finishes the chain's. The test client takes the
chain, and tests/web/test_lean_wsgi.py holds both entries to the same answers, headers
in order included.

The lane stands for the chain only as settings.API_MIDDLEWARE names it (`LANE_CHAIN`)
and with no database wrapping views in a transaction (ATOMIC_REQUESTS); otherwise the
WSGI handler sends every call down the chain.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponseBase

from miniport.core import origin
from miniport.web import api
from miniport.web.api_gate import ApiGateMiddleware
from miniport.web.middleware import RequestLimitsMiddleware, origin_of

# The chain this lane does the work of, layer by layer.
LANE_CHAIN = [
    "miniport.web.middleware.RequestLimitsMiddleware",
    "miniport.web.api_gate.ApiGateMiddleware",
    "miniport.web.middleware.RequestOriginMiddleware",
]

Headers = list[tuple[str, str]]


def usable() -> bool:
    """The lane does what the configured chain does, for views run outside a transaction."""
    return list(settings.API_MIDDLEWARE) == LANE_CHAIN and not any(
        database.get("ATOMIC_REQUESTS") for database in settings.DATABASES.values()
    )


def _unused(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("the lane calls its layers' steps, never their chain")


class JsonLane:
    def __init__(self) -> None:
        self.limits = RequestLimitsMiddleware(_unused)
        self.gate = ApiGateMiddleware(_unused)
        # (path, secure) -> (the headers of a JSON answer of that route, index of
        # Content-Length); the paths of registered routes only.
        self._headers: dict[tuple[str, bool], tuple[Headers, int]] = {}

    def answer(
        self, request: HttpRequest, route: api.Route, language_active: bool = False
    ) -> bytes | HttpResponseBase:
        """The JSON body of the route's answer, or the HttpResponse to send instead. With
        `language_active`, the thread has the platform's default language already."""
        try:
            refused = self.limits.refuse(request)
        except Exception as error:
            return response_for_exception(request, error)
        if refused is not None:
            return refused
        try:
            answer = self._gated(request, route, language_active)
        except Exception as error:
            answer = response_for_exception(request, error)
        if isinstance(answer, bytes):
            return self.limits.over_cap(request) or answer
        return self.limits.checked(request, answer)

    def _gated(
        self, request: HttpRequest, route: api.Route, language_active: bool
    ) -> bytes | HttpResponseBase:
        response = self.gate.admit(request, language_active)
        if response is None:
            token = origin.set_current(origin_of(request))
            try:
                result = api.answer(request, route)
            finally:
                origin.reset(token)
            if not isinstance(result, HttpResponseBase):
                return api.json_bytes(result)
            response = result
            self.gate.page_headers(request, response)
        self.gate.security_headers(request, response)
        return response

    def headers(self, request: HttpRequest, length: int) -> Headers:
        """The headers the gate gives a JSON answer of `length` bytes to this request."""
        secure = self.gate.hsts_entry is not None and request.is_secure()
        key = (request.path_info, secure)
        known = self._headers.get(key)
        if known is None:
            sample = api.json_response({})
            self.gate.page_headers(request, sample)
            self.gate.security_headers(request, sample)
            items = list(sample.items())
            at = [name.lower() for name, _ in items].index("content-length")
            known = self._headers[key] = (items, at)
        items, at = known
        headers = items.copy()
        headers[at] = (headers[at][0], str(length))
        return headers
