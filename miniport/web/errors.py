"""The error pages: 403, 404, 500 and a refused CSRF check.

A page answers in the page's language (LocaleMiddleware has chosen it from the language
cookie or the browser) and leads back to the home of the surface the visitor was on:
the ops desk for /ops/ paths, the phone pages for /m/ paths, the console otherwise. It
names no internals: no exception text, no CSRF reason, no traceback.

The JSON API (`/cgi-bin/`, `/wxa/`, `/sns/`, `/runtime/`) never answers a page: an
unknown path or a failure outside a route's own handling is an errcode body, with the
HTTP status of the failure (HTTP 200 for an unknown path and a refused request, as
WeChat answers its refusals). The payment sandbox's XML API (`/pay/`, `/secapi/`,
`/sandboxnew/`) answers WeChat Pay's `<xml>` envelope (return_code FAIL) instead.

A path's surface is that of the path the front matched: nginx merges repeated slashes
before choosing a location, but passes the path on as the client wrote it.
"""

from __future__ import annotations

import html
import logging
import re

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.web import limits

log = logging.getLogger(__name__)

# (path prefix, home link) of the surfaces with a home of their own; the console last.
SURFACE_HOMES = (("/ops/", "/ops/"), ("/m/", "/m/"))
CONSOLE_HOME = "/"


def home_for(path: str) -> str:
    """The home of the surface a path belongs to."""
    for prefix, home in SURFACE_HOMES:
        if path.startswith(prefix):
            return home
    return CONSOLE_HOME


def surface_path(path: str) -> str:
    """`path` with each run of slashes merged, as nginx merges them (merge_slashes, its
    default) before matching its locations and its map of surfaces: `//cgi-bin/token`
    reaches Django as written, matches no route and is refused as the API path the front
    took it for, not with a page. Only the choice of envelope follows the merged path:
    routing it as /cgi-bin/token would mean rewriting the path of every request (the
    front passes paths as written, for their percent-encoding), and a caller whose base
    URL doubles a slash learns it from the errcode."""
    return _SLASHES.sub("/", path)


_SLASHES = re.compile(r"//+")


def _api_answer(status: int, code: ErrorCode) -> HttpResponse:
    from miniport.web.api import error_body, json_response

    response = json_response(error_body(PlatformError(code)))
    response.status_code = status
    return response


def _fallback(status: int) -> HttpResponse:
    """Should the styled page itself fail (a broken database behind a context
    processor, say), a bare page that cannot fail, in both languages."""
    code = CoreError.SYSTEM_ERROR if status >= 500 else CoreError.NOT_FOUND
    zh, en = html.escape(code.message("zh-hans")), html.escape(code.message("en"))
    body = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{status}</title></head><body><h1>{status}</h1>"
        f'<p>{zh}</p><p lang="en">{en}</p><p><a href="{CONSOLE_HOME}">Miniport</a></p>'
        "</body></html>"
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    context = {"status": status, "home_url": home_for(surface_path(request.path))}
    try:
        body = render_to_string(template, context, request=request)
    except Exception:
        log.exception("the %s page could not be rendered", status)
        return _fallback(status)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


# Paths of the WeChat Pay v2 XML API (payments.sandbox): failures are `<xml>` envelopes.
PAY_XML_PREFIXES = limits.PAY_XML_PREFIXES
# Its return_msg for a failure of the platform, and for a request it will not read (a
# hostile Host); the front (miniport.cli.front) answers its own the same way.
PAY_SYSTEM_ERROR_MESSAGE = "系统繁忙，请稍后再试"
PAY_BAD_REQUEST_MESSAGE = "请求无效"


def _pay_xml_answer(status: int, message: str) -> HttpResponse:
    body = limits.pay_xml_body(message)
    return HttpResponse(body.encode(), status=status, content_type="text/xml; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    path = surface_path(request.path)
    if path.startswith(PAY_XML_PREFIXES):
        return _pay_xml_answer(404, "接口不存在")
    if limits.is_api(path):
        # HTTP 200, as every refusal of the API (wechat-api 1.1): SDKs read the errcode
        # of a 200 answer and report any other status without it.
        return _api_answer(200, CoreError.NO_SUCH_API)
    return _page(request, 404, "errors/404.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if limits.is_api(surface_path(request.path)):
        return _api_answer(403, CoreError.API_UNAUTHORIZED)
    return _page(request, 403, "errors/403.html")


def server_error(request: HttpRequest) -> HttpResponse:
    path = surface_path(request.path)
    if path.startswith(PAY_XML_PREFIXES):
        return _pay_xml_answer(500, PAY_SYSTEM_ERROR_MESSAGE)
    if limits.is_api(path):
        return _api_answer(500, CoreError.SYSTEM_ERROR)
    return _page(request, 500, "errors/500.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view (a Host not in ALLOWED_HOSTS, most
    often): HTTP 200 with the surface's envelope on the APIs, whose callers read the
    errcode or return_code of a 200 answer only (wechat-api 1.1, wechat-pay-v2 1)."""
    path = surface_path(request.path)
    if path.startswith(PAY_XML_PREFIXES):
        return _pay_xml_answer(200, PAY_BAD_REQUEST_MESSAGE)
    if limits.is_api(path):
        return _api_answer(200, CoreError.INVALID_ARGS)
    return _page(request, 400, "errors/400.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form's security check failed (an expired page, a blocked
    cookie). The reason is Django's: its CSRF logger records it, the page does not."""
    if limits.is_api(surface_path(request.path)):
        return _api_answer(403, CoreError.API_UNAUTHORIZED)
    return _page(request, 403, "errors/csrf.html")
