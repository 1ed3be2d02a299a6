"""The lean request path of the APIs (issue 14 item 1).

The JSON API (`/cgi-bin/`, `/wxa/`, `/sns/`, `/runtime/`) and the payment sandbox's XML
API (`/pay/`, `/secapi/`, `/sandboxnew/`) are called by servers and host apps, never by
a browser page: they read no session, no signed-in user, no CSRF token, no message, no
language choice and no Content-Security-Policy nonce. Before this path they still went
through the fourteen middleware the console, ops and phone pages need: profiled in
process (cProfile), those took two thirds of /runtime/v1/ping's time and half of
stable_token's, the CSP header alone (rebuilt for every answer) a fifth of ping's.

`LeanPathMiddleware` stands first in settings.MIDDLEWARE, so Django's own handlers (the
WSGI server's and the test client's alike) run it, with their request signals, URL
configuration and error handlers: a path under one of `LEAN_PREFIXES` goes down the
short chain of settings.API_MIDDLEWARE (`LeanHandler`, built once), every other path
down the rest of MIDDLEWARE as before. What the short chain keeps:

- the body and request line caps (RequestLimitsMiddleware, still first);
- in one layer (`ApiGateMiddleware`): the security headers of every answer (Django's
  SecurityMiddleware, X-Frame-Options and the platform's Content-Security-Policy, built
  once), the Host check against ALLOWED_HOSTS (a hostile Host gets the error handlers'
  answer, as on the full chain) and the platform's default language, whatever the thread served before
  (answers do not depend on the caller's language: errmsg is WeChat's English);
- the client's address for audit rows (RequestOriginMiddleware);
- the JSON and XML error answers (the root URL configuration's handlers, as before).

The view of a registered path is found by one dictionary lookup once it has been
resolved in this process; unknown paths are resolved (and refused) as before.

Under a WSGI server (`miniport serve`), `LeanWSGIHandler` (miniport.wsgi) goes one step
further: it hands the APIs' paths to the lean chain itself, before Django's full handler.
Profiled under load in a gunicorn worker (py-spy), Django's WSGIHandler around the chain
cost about as much as the whole chain for /runtime/v1/ping: the request signals (two
sends, five receivers, each asking for the open connections again), the URL
configuration set and reset, the response's close after gunicorn wrote the body. The
lean WSGI handler does what those receivers do, once, and answers a list holding the
body. The test client still runs the full handler, whose first middleware routes the
same paths down the same chain, so both answer alike (tests/web/test_lean_path.py).
A call to a registered JSON route goes further still, down the JSON lane
(miniport.web.json_lane): the chain's steps as plain calls and the body handed over as
bytes, without the layers' wrappers or an HttpResponse.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any, cast

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.conf import settings
from django.core import signals
from django.core.cache import caches, close_caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.base import BaseHandler, reset_urlconf
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import close_old_connections, connections, reset_queries
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import ResolverMatch, get_resolver, set_script_prefix
from django.utils.log import log_response
from django.utils.module_loading import import_string

from miniport.web import api, json_lane, limits

# The route table: paths under these prefixes take the lean chain; every other path
# (console, ops desk, phone pages, static files, the API document at /openapi/) the
# full one. The same prefixes decide that failures are errcode bodies or <xml> envelopes
# instead of pages (miniport.web.errors), so no page lives under them.
LEAN_PREFIXES: tuple[str, ...] = (*limits.API_PREFIXES, *limits.PAY_XML_PREFIXES)


def takes_lean_path(path: str) -> bool:
    return path.startswith(LEAN_PREFIXES)


class LeanHandler(BaseHandler):
    """Django's request handling from settings.API_MIDDLEWARE instead of MIDDLEWARE,
    called from inside the full handler (which has sent request_started, set the URL
    configuration and will close the request)."""

    def __init__(self) -> None:
        # path -> match of a registered route, filled as routes are first called: the
        # paths of the route table, so it never grows with what callers make up.
        self._matches: dict[tuple[str, str], ResolverMatch] = {}
        # view -> the view as called (atomic per ATOMIC_REQUESTS, synchronous)
        self._views: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.load_middleware()

    def load_middleware(self, is_async: bool = False) -> None:
        """BaseHandler.load_middleware over API_MIDDLEWARE: synchronous middleware only
        (the platform runs under WSGI)."""
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(settings.API_MIDDLEWARE):
            middleware = import_string(path)
            try:
                instance = middleware(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {path} returned None.")
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def chain(self, request: HttpRequest) -> HttpResponseBase:
        return self._middleware_chain(request)  # type: ignore[misc,return-value]

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        """The root URL configuration's match, as Django finds it, remembered for the
        paths of registered routes (which take no arguments from the path). The thread's
        URL configuration stays the root one, so reverse() and the error handlers work
        as on any page."""
        key = (settings.ROOT_URLCONF, request.path_info)
        match = self._matches.get(key)
        if match is None:
            match = get_resolver().resolve(request.path_info)
            if not match.args and not match.kwargs and _is_route(request.path_info):
                self._matches[key] = match
        request.resolver_match = match
        return match

    def _get_response(self, request: HttpRequest) -> HttpResponseBase:
        """BaseHandler._get_response for a chain without view or template-response
        middleware (API_MIDDLEWARE has none), the view's wrapping worked out once."""
        if self._view_middleware or self._template_response_middleware:
            return super()._get_response(request)  # type: ignore[misc]
        callback, args, kwargs = self.resolve_request(request)
        view = self._views.get(callback)
        if view is None:
            view = self.make_view_atomic(callback)
            if iscoroutinefunction(view):
                view = async_to_sync(view)
            self._views[callback] = view
        try:
            response = view(request, *args, **kwargs)
        except Exception as error:
            response = self.process_exception_by_middleware(error, request)
            if response is None:
                raise
        self.check_response(response, callback)
        if hasattr(response, "render") and callable(response.render):
            try:
                response = response.render()
            except Exception as error:
                response = self.process_exception_by_middleware(error, request)
                if response is None:
                    raise
        return response


def _is_route(path: str) -> bool:
    """A path of the route table: a JSON route of miniport.web.api or an XML one."""
    return path in api.ROUTES or limits.is_pay_xml(path)


class LaneThread:
    """The thread of the last JSON lane answer and the script name it had, while nothing
    else has been served since: that thread's script prefix is still that name's and its
    language still the platform's default, so the lane sets neither again for it.
    Setting them (two of asgiref's Locals: a lock, a copied dict and a context variable
    each) was an eighth of ping's time on caches other processes had cooled, as a
    server's are; reading them first cost as much (issue 14 item 1). Requests are what
    change either: every request of Django's full handler (a server's pages, the test
    client's calls) passes LeanPathMiddleware, which forgets the thread, and so does the
    lean chain."""

    settled: tuple[int, str] | None = None


class LeanPathMiddleware:
    """First in settings.MIDDLEWARE: sends the APIs' paths down the lean chain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.lean = LeanHandler()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        LaneThread.settled = None
        if takes_lean_path(request.path_info):
            return self.lean.chain(request)
        return self.get_response(request)


class LeanWSGIHandler(WSGIHandler):
    """Django's WSGI handler, except that the APIs' paths go down the lean chain from
    here (see the module's docstring). Everything a request of the full handler gets
    that an API answer depends on is kept:

    - the script prefix of reverse() from the WSGI environment;
    - what the request signals' receivers do (Django registers reset_queries and
      close_old_connections on request_started; close_old_connections, close_caches and
      reset_urlconf on request_finished): before the request, each open database
      connection's query log is cleared and the connection is closed if an error made
      it unusable or it outlived CONN_MAX_AGE; after it, the same check and every open
      cache is closed. The URL configuration is never set on this path, so there is
      none to reset. When any other receiver is connected to either signal (a test,
      a library), the signals are sent as the full handler sends them;
    - failures become the error handlers' answers (the lean chain converts them), and
      answers of 400 and above are logged to django.request as before;
    - the request and the answer are closed (uploaded files, the resource closers)
      before the body is handed to the server, as one bytes object in a list, so the
      server knows its length; a streaming answer is handed over as the full handler
      does, and closed by the server."""

    def __init__(self) -> None:
        super().__init__()
        self.lean = LeanHandler()
        # The receivers Django connects (and this path does the work of), by identity:
        # a snapshot of the live ones would also take in whatever an app connected at
        # start-up and skip it on every API call.
        self._started = _keys(reset_queries, close_old_connections)
        self._finished = _keys(close_old_connections, close_caches, reset_urlconf)
        # The receiver lists (request_started's, request_finished's) last found plain.
        self._plain_lists: tuple[list[Any], list[Any]] = ([None], [None])
        self._routes = api.ROUTES
        self.lane = json_lane.JsonLane() if json_lane.usable() else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        # PATH_INFO is the path's bytes as latin-1 text: for the ASCII prefixes, the
        # same answer as request.path_info gives.
        if not takes_lean_path(environ.get("PATH_INFO", "")) or not self._plain():
            full = super().__call__(environ, start_response)
            _discard_unread_body(environ)
            return full
        for connection in _opened(connections):
            connection.queries_log.clear()
            connection.close_if_unusable_or_obsolete()
        request = WSGIRequest(environ)
        # The script name WSGIRequest found (get_script_name(environ)), not looked up twice.
        script_name = request.META["SCRIPT_NAME"]
        lane = self.lane
        route = self._routes.get(environ["PATH_INFO"]) if lane is not None else None
        if lane is None or route is None:
            LaneThread.settled = None
            set_script_prefix(script_name)
            response = self.lean.chain(request)
        else:
            settled = (threading.get_ident(), script_name)
            known = settled == LaneThread.settled
            if not known:
                set_script_prefix(script_name)
            answer = lane.answer(request, route, language_active=known)
            if isinstance(answer, bytes):
                LaneThread.settled = settled
                headers = lane.headers(request, len(answer))
                _discard_unread_body(environ, request)
                request.close()
                _after_answer()
                start_response("200 OK", headers)
                return [answer]
            LaneThread.settled = None
            response = answer
        if response.status_code >= 400:
            log_response(
                "%s: %s",
                response.reason_phrase,
                request.path,
                response=cast(HttpResponse, response),
                request=request,
            )
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [
            *response.items(),
            *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
        ]
        _discard_unread_body(environ, request)
        if response.streaming or getattr(response, "file_to_stream", None) is not None:
            response._resource_closers.append(request.close)  # type: ignore[attr-defined]
            start_response(status, headers)
            return response
        body = response.content  # type: ignore[attr-defined]
        request.close()
        _close(response)
        start_response(status, headers)
        return [body]

    def _plain(self) -> bool:
        """Only Django's own receivers listen to the request signals.

        The signals' receiver lists are compared with the lists last found plain, entry
        by entry (the same tuple objects while nobody connects or disconnects), before
        building their keys again: two frozensets a call were a tenth of ping's glue."""
        started, finished = signals.request_started.receivers, signals.request_finished.receivers
        if started == self._plain_lists[0] and finished == self._plain_lists[1]:
            return True
        if _receivers(signals.request_started) != self._started:
            return False
        if _receivers(signals.request_finished) != self._finished:
            return False
        self._plain_lists = (list(started), list(finished))
        return True


# Read in pieces of this size when dropping an unread body.
_DISCARD_CHUNK = 64 * 1024


def _discard_unread_body(environ: dict[str, Any], request: HttpRequest | None = None) -> None:
    """Read and drop what the application left of the request body, before its answer
    goes out: a body within the route's cap, which the front lets through whole.

    A request refused before its body was read (a bad access_token, a page's missing
    CSRF token) was otherwise answered while nginx was still sending the body; the sync
    worker then closed the connection with data unread, the kernel reset it, and nginx
    answered 502 Bad Gateway instead of the refusal (about every other time for a few
    hundred KB). A body the application read whole is not looked at again."""
    read_whole = hasattr(request, "_body") and not getattr(request, "body_cap_exceeded", False)
    if read_whole:
        return
    try:
        left = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if left <= 0 or left > limits.cap_for(environ.get("PATH_INFO", ""))[0]:
        # Over the route's cap the request was refused for its size: the front never
        # forwards such a body, and a client that reaches gunicorn directly (`--no-front`)
        # may never send what it declared; its refusal must not wait for it.
        return
    stream = environ["wsgi.input"]
    while left > 0:
        chunk = stream.read(min(left, _DISCARD_CHUNK))
        if not chunk:
            return
        left -= len(chunk)


def _receivers(signal: Signal) -> frozenset[object]:
    """The signal's receivers by their lookup keys (receiver and sender ids)."""
    return frozenset(receiver[0] for receiver in signal.receivers)


def _keys(*functions: Callable[..., Any]) -> frozenset[object]:
    """The lookup keys the signals give these functions connected for any sender."""
    return frozenset((id(function), id(None)) for function in functions)


def _close(response: HttpResponseBase) -> None:
    """HttpResponseBase.close with request_finished's receivers called directly: the
    resource closers, then close_old_connections and close_caches (reset_urlconf has
    nothing to reset here)."""
    closers = response._resource_closers  # type: ignore[attr-defined]
    for closer in closers:
        with contextlib.suppress(Exception):  # as HttpResponseBase.close: closing goes on
            closer()
    closers.clear()
    response.closed = True
    _after_answer()


def _after_answer() -> None:
    """What request_finished's receivers close_old_connections and close_caches do."""
    for connection in _opened(connections):
        connection.close_if_unusable_or_obsolete()
    if _caches_close():
        for cache in _opened(caches):
            cache.close()


@functools.cache
def _caches_close() -> bool:
    """Whether a configured cache backend has a close() of its own. Django's Redis and
    local-memory backends inherit BaseCache.close, which does nothing; looking for the
    thread's opened caches to call it (a miss raises inside asgiref's Local) was a tenth
    of ping's time in process."""
    return any(
        import_string(str(config["BACKEND"])).close is not BaseCache.close
        for config in settings.CACHES.values()
    )


def _opened(handler: Any) -> list[Any]:
    """handler.all(initialized_only=True) (connections, caches) with one look into the
    thread's connections per alias instead of two: this runs three times a request."""
    opened = _thread_storage(handler._connections)
    return [
        found for alias in handler.settings if (found := getattr(opened, alias, None)) is not None
    ]


def _thread_storage(local: Any) -> Any:
    """Where a thread-critical asgiref Local (the database connections') keeps this
    thread's values when no event loop runs in it, as its own lookup finds them: the
    plain thread-local under it. Its own lookup asks for the running loop first, which
    raises and catches an error, and the miss of an alias not opened raises another;
    both were a tenth of ping's time on cooled caches (issue 14 item 1). Any other kind
    of Local, or a thread running an event loop, is looked into as it is."""
    try:
        storage = object.__getattribute__(local, "_storage")
    except AttributeError:
        return local
    if isinstance(storage, threading.local) and asyncio._get_running_loop() is None:
        return storage
    return local
