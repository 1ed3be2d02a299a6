"""The JSON surfaces' small framework: one route registry, one dispatcher, one error renderer.

Decision: django-ninja is not used (and not installed); pydantic (ninja's own schema
library, a direct dependency) describes the bodies and the OpenAPI document is generated
from this registry (`miniport.openapi.document`). WeChat's wire rules do not fit ninja's
defaults, and working around each of them would hide more than this module says plainly:

- every answer is HTTP 200; a wrong method is errcode 43001/43002 (ninja answers 405),
  invalid input is an errcode (ninja answers 422 with its own body);
- a JSON body is read whatever the Content-Type (wechatpy posts without one); an empty
  body is 44002, an unparseable one 47001, which ninja cannot tell apart;
- token and jscode2session success bodies carry no errcode, all others get
  `{"errcode": 0, "errmsg": "ok"}` added;
- the token endpoints sit on the benchmark's hot path, where ninja's per-request
  signature and response validation cost throughput for nothing.

Adding an endpoint is one decorator in a module named `*_api.py` of a JSON surface
(`openapi`, `runtime`: settings.API_PACKAGES, see `discover`); the urls and the document
pick it up by themselves:

    @post("/wxa/bind_tester", body=BindTesterBody, permission="experience.manage")
    def bind_tester(call: Call) -> dict:
        member = members.tester_bind(actor=call.actor, miniprogram=call.miniprogram, ...)
        return {"userstr": member.userstr}

The handler gets a `Call` (request, parsed query/body, the authenticated mini program
or identity) and returns a dict (or an HttpResponse for binary answers); refusals are
raised as `PlatformError` and rendered here as `{"errcode", "errmsg"}`.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ConfigDict, ValidationError

from miniport.core import origin
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import permissions

log = logging.getLogger(__name__)

# WeChat's own header (sic: "encoding", not "charset"); JSON is UTF-8 either way.
CONTENT_TYPE = "application/json; encoding=utf-8"
OK = {"errcode": 0, "errmsg": "ok"}


class WireModel(BaseModel):
    """Base for request bodies and queries: unknown fields ignored, numbers sent as
    strings (and the reverse) accepted, as WeChat does."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


@dataclass
class Call:
    """One request to a registered route, as the handler sees it."""

    request: HttpRequest
    route: Route
    query: Any = None
    body: Any = None
    miniprogram: Any = None  # set by the access_token authenticator
    identity: Any = None  # set by the runtime session authenticator
    host_app: str = ""  # set by the runtime host authenticator
    roles: set[str] = field(default_factory=set)

    @property
    def actor(self) -> Actor:
        if self.miniprogram is not None:
            return Actor.for_app(self.miniprogram.appid)
        if self.identity is not None:
            return Actor.for_identity(self.identity)
        return Actor.anonymous()

    @property
    def client_ip(self) -> str:
        return origin.client_ip(self.request)


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Route:
    path: str  # as served, e.g. "/cgi-bin/token" or "/runtime/v1/login"
    methods: tuple[str, ...]
    handler: Handler
    surface: str  # "openapi" or "runtime": which urls module serves it
    auth: str  # a key of AUTHENTICATORS
    permission: str | None
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None  # documented success body (not validated at run time)
    envelope: bool  # add errcode 0 / errmsg "ok" to the success body
    summary: str
    description: str
    tags: tuple[str, ...]
    hot: bool = False  # matched before the others (the token and login endpoints)


ROUTES: dict[str, Route] = {}

# auth name -> callable(call) that fills the call or raises PlatformError.
# "none" needs nothing; "access_token" is the app's token (registered at the end of this
# module); miniport.runtime.auth adds "host" and "host_session".
AUTHENTICATORS: dict[str, Callable[[Call], None]] = {"none": lambda call: None}
SURFACE_PREFIX = {"openapi": "/", "runtime": "/runtime/v1/"}


def route(
    path: str,
    *,
    methods: tuple[str, ...] = ("POST",),
    auth: str = "access_token",
    permission: str | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    envelope: bool = True,
    summary: str = "",
    tags: tuple[str, ...] = (),
    surface: str | None = None,
    hot: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a handler for `path`. One path, one route: registering a path twice is a
    programming error and fails at import."""
    if surface is None:
        surface = "runtime" if path.startswith(SURFACE_PREFIX["runtime"]) else "openapi"
    if permission is not None and permission not in permissions.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r} for {path}")

    def register(handler: Handler) -> Handler:
        existing = ROUTES.get(path)
        if existing is not None and existing.handler.__qualname__ != handler.__qualname__:
            raise ValueError(f"{path} is already registered by {existing.handler.__qualname__}")
        doc = (handler.__doc__ or "").strip()
        ROUTES[path] = Route(
            path=path,
            methods=tuple(m.upper() for m in methods),
            handler=handler,
            surface=surface,
            auth=auth,
            permission=permission,
            query=query,
            body=body,
            response=response,
            envelope=envelope,
            summary=summary or (doc.splitlines()[0] if doc else handler.__name__),
            description=doc,
            tags=tags,
            hot=hot,
        )
        return handler

    return register


def get(path: str, **options: Any) -> Callable[[Handler], Handler]:
    return route(path, methods=("GET",), **options)


def post(path: str, **options: Any) -> Callable[[Handler], Handler]:
    return route(path, methods=("POST",), **options)


# --- rendering -------------------------------------------------------------------------


def request_id() -> str:
    """WeChat's "rid" suffix: three groups of 8 hex digits, the first the time."""
    return f"{int(time.time()) & 0xFFFFFFFF:08x}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


# One encoder for every answer: json.dumps builds a new one per call when given options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def json_bytes(data: dict[str, Any]) -> bytes:
    return _ENCODER.encode(data).encode()


def json_response(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json_bytes(data), content_type=CONTENT_TYPE)


def error_body(error: PlatformError) -> dict[str, Any]:
    return {"errcode": error.errcode, "errmsg": f"{error.wire_message()} rid: {request_id()}"}


def error_data(error: PlatformError, route: Route | None = None) -> dict[str, Any]:
    body = error_body(error)
    if route is not None and route.surface == "runtime":
        # The host app is ours: name the refusal too, errcode alone is ambiguous for
        # platform-only codes.
        body["error"] = error.code.name.lower()
    return body


def error_response(error: PlatformError, route: Route | None = None) -> HttpResponse:
    return json_response(error_data(error, route))


# --- parsing ---------------------------------------------------------------------------


def _field_of(exc: ValidationError) -> str:
    for problem in exc.errors():
        if problem.get("loc"):
            return ".".join(str(part) for part in problem["loc"])
    return ""


def _refuse_number(text: str) -> float:
    raise ValueError(f"not a finite JSON number: {text}")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):  # 1e400 and the like
        raise ValueError(f"not a finite JSON number: {text}")
    return number


def _clean_text(value: str) -> bool:
    """No NUL (PostgreSQL's text refuses it) and no lone surrogate (a "\\ud800" escape:
    not Unicode text, it cannot be stored or encoded as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_text_clean(data: Any) -> bool:
    """Every string (keys included) of a parsed JSON document is clean; iterative, so a
    deep document cannot exhaust the stack here."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not _clean_text(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def parse_body(model: type[BaseModel], raw: bytes) -> BaseModel:
    """The JSON body as `model`: 44002 when empty, 47001 when it is not one JSON object
    of clean text and finite numbers (NaN, Infinity and 1e400 are not JSON numbers)."""
    if not raw or not raw.strip():
        raise PlatformError(CoreError.EMPTY_POST_DATA)
    try:
        # UTF-8 only: json.loads would guess UTF-16 or UTF-32 from bytes.
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_number, parse_float=_finite)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PlatformError(CoreError.DATA_FORMAT_ERROR)
    if not isinstance(data, dict) or not _all_text_clean(data):
        raise PlatformError(CoreError.DATA_FORMAT_ERROR)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PlatformError(CoreError.DATA_FORMAT_ERROR, field=_field_of(exc))


_QUERY_VALUES = "_miniport_query_values"


def query_values(request: HttpRequest) -> dict[str, str]:
    """The query string as name -> value, the last value of a repeated name and the
    names in their first order: what `{key: request.GET.get(key) for key in
    request.GET}` gives, parsed the way Django's QueryDict parses it (the same
    redecoding, blanks kept, the same cap on the number of fields raising
    TooManyFieldsSent), without building the QueryDict. Parsed once per request, for
    the authenticator and the route's query alike (issue 14 item 1: the QueryDict was
    most of parse_query's time on jscode2session and launch)."""
    cached = request.__dict__.get(_QUERY_VALUES)
    if cached is not None:
        return cached
    environ = getattr(request, "environ", None)
    if environ is None:  # not a WSGI request: Django's own parse
        values = {key: request.GET.get(key) or "" for key in request.GET}
    else:
        raw = environ.get("QUERY_STRING", "")
        encoding = request.encoding or settings.DEFAULT_CHARSET
        if raw and not raw.isascii():
            # As WSGIRequest.GET: the server decoded the bytes as ISO-8859-1; decoded
            # again with the charset, or left as they were when they are not in it.
            data = raw.encode("iso-8859-1")
            try:
                raw = data.decode(encoding)
            except UnicodeDecodeError:
                raw = data.decode("iso-8859-1")
        values = dict(_query_pairs(raw, encoding))
    request.__dict__[_QUERY_VALUES] = values
    return values


def _query_pairs(raw: str, encoding: str) -> list[tuple[str, str]]:
    """parse_qsl(raw, keep_blank_values=True) under Django's cap on the number of fields.
    A query of plain characters (no escape, no "+") is split as parse_qsl would split
    it, without its unquoting of every name and value: the login and launch queries are
    such, and unquoting was half of their parsing."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if "%" in raw or "+" in raw or not raw.isascii():
        try:
            return parse_qsl(raw, keep_blank_values=True, encoding=encoding, max_num_fields=limit)
        except ValueError as exc:  # only raised for too many fields (not strict parsing)
            raise TooManyFieldsSent("too many query fields") from exc
    fields = raw.split("&") if raw else []
    if limit is not None and len(fields) > limit:
        raise TooManyFieldsSent("too many query fields")
    pairs = []
    for field_text in fields:
        if field_text:
            name, _, value = field_text.partition("=")
            pairs.append((name, value))
    return pairs


def parse_query(model: type[BaseModel], request: HttpRequest) -> BaseModel:
    values = query_values(request)
    for key, value in values.items():
        if not _clean_text(key) or not _clean_text(value or ""):
            raise PlatformError(CoreError.INVALID_ARGS, field=key)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise PlatformError(CoreError.INVALID_ARGS, field=_field_of(exc))


# --- dispatch --------------------------------------------------------------------------


def _method_error(route: Route) -> PlatformError:
    return PlatformError(
        CoreError.REQUIRE_POST if "POST" in route.methods else CoreError.REQUIRE_GET
    )


def answer(request: HttpRequest, route: Route) -> dict[str, Any] | HttpResponseBase:
    """One request's answer: method, authentication, permission, input, handler. The
    JSON body as data (the success body, or the errcode of whatever went wrong, never a
    traceback), or the handler's own HttpResponse for a binary answer."""
    try:
        if request.method not in route.methods:
            raise _method_error(route)
        call = Call(request=request, route=route)
        AUTHENTICATORS[route.auth](call)
        if route.permission is not None and not permissions.allowed(call.roles, route.permission):
            raise PlatformError(CoreError.API_UNAUTHORIZED)
        if route.query is not None:
            call.query = parse_query(route.query, request)
        if route.body is not None and request.method == "POST":
            call.body = parse_body(route.body, request.body)
        result = route.handler(call)
    except PlatformError as error:
        return error_data(error, route)
    except (RequestDataTooBig, TooManyFieldsSent):
        # Django's own caps on a request's size (DATA_UPLOAD_MAX_MEMORY_SIZE and
        # DATA_UPLOAD_MAX_NUMBER_FIELDS), met while reading the body or the query.
        return error_data(PlatformError(CoreError.CONTENT_TOO_LARGE), route)
    except Exception:
        log.exception("unhandled error in %s", route.path)
        return error_data(PlatformError(CoreError.SYSTEM_ERROR), route)
    if isinstance(result, HttpResponseBase):  # raw bytes, streamed ones included
        return result
    if route.envelope:
        return {**OK, **(result or {})}
    return result


def run(request: HttpRequest, route: Route) -> HttpResponseBase:
    """Answer one request as an HttpResponse (all HTTP 200)."""
    result = answer(request, route)
    if isinstance(result, HttpResponseBase):
        return result
    return json_response(result)


def view_for(route: Route) -> Callable[[HttpRequest], HttpResponseBase]:
    def view(request: HttpRequest, **_kwargs: Any) -> HttpResponseBase:
        return run(request, route)

    view.__name__ = route.handler.__name__
    return csrf_exempt(view)


def urlpatterns_for(surface: str) -> list:
    """Django url patterns of every registered route of one surface, paths relative to
    the surface's include prefix."""
    from django.urls import path as url_path

    prefix = SURFACE_PREFIX[surface]
    # Django tries patterns in order: the hot routes first spares them the rest.
    ordered = sorted(ROUTES.values(), key=lambda r: (not r.hot, r.path))
    return [
        url_path(r.path[len(prefix) :], view_for(r), name=r.handler.__name__)
        for r in ordered
        if r.surface == surface
    ]


def discover() -> None:
    """Import every `*_api.py` module of the JSON surfaces (settings.API_PACKAGES), so
    their routes register. The surfaces are named by the project's settings, not here:
    this toolkit sits below them."""
    import importlib
    import pkgutil

    for package_name in settings.API_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name.endswith("_api"):
                importlib.import_module(f"{package_name}.{module.name}")


def _authenticate_access_token(call: Call) -> None:
    """`?access_token=`: the caller is the token's mini program, with role "app"."""
    from miniport.miniprograms.services import credentials

    call.miniprogram = credentials.app_for_access_token(
        query_values(call.request).get("access_token", "")
    )
    call.roles = {permissions.APP}


AUTHENTICATORS["access_token"] = _authenticate_access_token
