"""Issue 14 item 1: under a WSGI server the APIs' paths go down the lean chain from the
WSGI call (miniport.web.lean.LeanWSGIHandler, miniport.wsgi.application), skipping the
request signals' dispatch; the test client's path (Django's full handler, whose first
middleware routes the same paths down the same chain) must answer alike, and what the
signals' receivers do for a request must still happen.

Transactional tests: the WSGI handler checks the database connections as a served
request does, which a test's enclosing transaction would not survive.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import signals
from django.core.cache import caches
from django.db import connections
from django.test import Client, RequestFactory, override_settings

from miniport.core.errors import CoreError
from miniport.web import json_lane, lean
from miniport.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)

# Headers the two paths may set differently for the same answer.
UNCOMPARED = {"Date", "Server"}


def _through_wsgi(request) -> tuple[int, list[tuple[str, str]], bytes]:
    started: list = []
    body = application(request.environ, lambda status, headers: started.append((status, headers)))
    content = b"".join(body)
    getattr(body, "close", lambda: None)()
    status, headers = started[0]
    return int(status.split()[0]), headers, content


def _through_client(request, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    client = Client(raise_request_exception=False)
    response = client.generic(
        request.method,
        request.get_full_path(),
        data=body,
        content_type=request.META.get("CONTENT_TYPE", ""),
        HTTP_HOST=request.META["HTTP_HOST"],
    )
    return response.status_code, list(response.headers.items()), response.content


def _comparable(content: bytes) -> object:
    """The body, with the request id of an error message (new for every call) cut off."""
    try:
        data = json.loads(content)
    except ValueError:
        return content
    if isinstance(data, dict) and "errmsg" in data:
        data["errmsg"] = data["errmsg"].split(" rid: ")[0]
    return data


REQUESTS = [
    ("GET", "/runtime/v1/ping", b"", "testserver"),
    ("POST", "/cgi-bin/stable_token", b'{"grant_type":"client_credential"}', "testserver"),
    ("POST", "/cgi-bin/stable_token", b"{not json", "testserver"),
    (
        "GET",
        "/sns/jscode2session?appid=wx0&secret=x&js_code=y&grant_type=authorization_code",
        b"",
        "testserver",
    ),  # fmt: skip
    ("GET", "/wxa/no-such-api", b"", "testserver"),
    ("GET", "/runtime/v1/ping", b"", "evil.example.com"),
    ("POST", "/pay/unifiedorder", b"<xml><appid>wx0</appid></xml>", "testserver"),
    # The JSON lane's other answers: a wrong method, the runtime's named refusal, a
    # request line over the cap, a body over it.
    ("GET", "/cgi-bin/stable_token", b"", "testserver"),
    ("GET", "/runtime/v1/launch?appid=wx0&env=release", b"", "testserver"),
    ("GET", "/runtime/v1/ping?pad=" + "x" * 9000, b"", "testserver"),
    ("POST", "/cgi-bin/stable_token", b"{" + b" " * 3_000_000 + b"}", "testserver"),
]


@pytest.mark.parametrize(("method", "path", "body", "host"), REQUESTS)
def test_the_wsgi_path_answers_an_api_call_as_the_test_clients_path_does(method, path, body, host):
    request = RequestFactory().generic(
        method, path, data=body, content_type="application/json", HTTP_HOST=host
    )
    wsgi_status, wsgi_headers, wsgi_body = _through_wsgi(request)
    request = RequestFactory().generic(
        method, path, data=body, content_type="application/json", HTTP_HOST=host
    )
    client_status, client_headers, client_body = _through_client(request, body)
    assert wsgi_status == client_status
    assert [(k, v) for k, v in wsgi_headers if k not in UNCOMPARED] == [
        (k, v) for k, v in client_headers if k not in UNCOMPARED
    ]
    wsgi_headers, client_headers = dict(wsgi_headers), dict(client_headers)
    assert _comparable(wsgi_body) == _comparable(client_body)
    if "Content-Length" in wsgi_headers:  # refusals before the view carry none on either path
        assert int(wsgi_headers["Content-Length"]) == len(wsgi_body)


def test_the_wsgi_path_answers_a_hostile_host_with_errcode_40097_and_http_200():
    status, _headers, body = _through_wsgi(
        RequestFactory().get("/cgi-bin/stable_token", HTTP_HOST="evil.example.com")
    )
    assert status == 200
    assert json.loads(body)["errcode"] == CoreError.INVALID_ARGS.errcode


@pytest.mark.parametrize("own_close", [True, False])
def test_the_wsgi_path_checks_the_connections_and_closes_the_caches_around_each_call(
    monkeypatch, own_close
):
    # With backends whose close() is BaseCache's (it does nothing), none is looked for.
    monkeypatch.setattr(lean, "_caches_close", lambda: own_close)
    Client().get("/runtime/v1/ping")  # reorders the receivers, as any test-client call
    connection = connections["default"]
    connection.ensure_connection()
    checks: list[str] = []
    closes: list[str] = []
    real_check = connection.close_if_unusable_or_obsolete

    def check():
        checks.append("checked")
        real_check()

    monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", check)
    cache = caches["default"]
    monkeypatch.setattr(cache, "close", lambda **kwargs: closes.append("closed"))
    sent: list[str] = []
    for signal in (signals.request_started, signals.request_finished):
        monkeypatch.setattr(signal, "send", lambda **kwargs: sent.append("sent"))
    connection.queries_log.append({"sql": "left over from an earlier request", "time": "0"})
    status, _headers, _body = _through_wsgi(RequestFactory().get("/runtime/v1/ping"))
    assert status == 200
    assert checks == ["checked", "checked"]  # as request_started and request_finished
    assert closes == (["closed"] if own_close else [])
    assert not connection.queries_log
    assert sent == []  # done here, not by the signals' dispatch


def test_the_wsgi_path_drops_a_connection_an_error_made_unusable():
    connection = connections["default"]
    connection.ensure_connection()
    connection.errors_occurred = True
    usable = connection.is_usable
    connection.is_usable = lambda: False  # type: ignore[method-assign]
    try:
        status, _headers, _body = _through_wsgi(RequestFactory().get("/runtime/v1/ping"))
    finally:
        connection.is_usable = usable  # type: ignore[method-assign]
    assert status == 200
    assert connection.connection is None


def test_with_another_receiver_connected_the_request_signals_are_sent():
    heard: list[str] = []

    def started(**kwargs):
        heard.append("started")

    def finished(**kwargs):
        heard.append("finished")

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        status, _headers, _body = _through_wsgi(RequestFactory().get("/runtime/v1/ping"))
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert status == 200
    assert heard == ["started", "finished"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/wxa/commit?access_token=bad", "/login/"])
def test_a_body_refused_unread_is_read_to_its_end_before_the_answer_goes_out(path):
    """Behind nginx, a body left unread made the worker's close reset the connection
    while nginx was still sending it (502 instead of the refusal); the API's lane and
    the pages' full handler both read what is left, up to the route's cap."""
    body = b'{"a":"' + b"x" * 300_000 + b'"}'
    request = RequestFactory().post(path, data=body, content_type="application/json")
    stream = request.environ["wsgi.input"]
    status, _headers, _body = _through_wsgi(request)
    assert status in (200, 403)
    assert stream.read() == b""  # nothing left for the connection's close to meet


@pytest.mark.django_db
def test_a_body_declared_over_its_cap_is_refused_without_waiting_for_it():
    """A client reaching gunicorn directly may declare a body it never sends: the refusal
    for its size goes out without reading any of it."""

    class NeverSent:
        def read(self, *args):
            raise AssertionError("the refusal waited for the body")

        readline = read

    request = RequestFactory().post("/wxa/modify_domain?access_token=x", content_type="text/plain")
    request.environ.update({"CONTENT_LENGTH": str(2**30), "wsgi.input": NeverSent()})
    status, _headers, body = _through_wsgi(request)
    assert status == 200
    assert json.loads(body)["errcode"] == CoreError.CONTENT_TOO_LARGE.errcode


def test_the_lean_path_sets_the_script_prefix_from_the_wsgi_environment():
    """reverse() in an API answer names URLs under the prefix the server mounts the site
    at (SCRIPT_NAME), as on the full handler."""
    from django.urls import get_script_prefix

    request = RequestFactory().get("/runtime/v1/ping")
    request.environ["SCRIPT_NAME"] = "/mounted"
    try:
        status, _headers, _body = _through_wsgi(request)
        assert status == 200
        assert get_script_prefix() == "/mounted/"
    finally:
        _through_wsgi(RequestFactory().get("/runtime/v1/ping"))  # unmounted again
    assert get_script_prefix() == "/"


def _prefix_and_language_seen_by_ping(monkeypatch, request) -> tuple[str, str]:
    """The script prefix and language /runtime/v1/ping's handler runs under."""
    from django.urls import get_script_prefix
    from django.utils import translation

    from miniport.web import api

    seen: list[tuple[str, str]] = []
    route = api.ROUTES["/runtime/v1/ping"]
    real = route.handler

    def handler(call):
        seen.append((get_script_prefix(), translation.get_language()))
        return real(call)

    monkeypatch.setitem(api.ROUTES, route.path, dataclasses.replace(route, handler=handler))
    status, _headers, _body = _through_wsgi(request)
    assert status == 200
    return seen[0]


def test_after_a_page_the_json_lane_sets_the_script_prefix_and_default_language_again(
    monkeypatch,
):
    """The lane leaves the thread's script prefix and language as they are after one of
    its own answers; a page in between (its language the visitor's) is forgotten."""
    ping = RequestFactory().get("/runtime/v1/ping")
    ping.environ["SCRIPT_NAME"] = "/mounted"
    unmounted = RequestFactory().get("/runtime/v1/ping")
    try:
        assert _prefix_and_language_seen_by_ping(monkeypatch, ping) == ("/mounted/", "zh-hans")
        assert _prefix_and_language_seen_by_ping(monkeypatch, ping) == ("/mounted/", "zh-hans")
        page = RequestFactory().get("/login/", HTTP_ACCEPT_LANGUAGE="en")
        status, headers, _body = _through_wsgi(page)
        assert status == 200 and dict(headers)["Content-Language"] == "en"
        assert _prefix_and_language_seen_by_ping(monkeypatch, ping) == ("/mounted/", "zh-hans")
        Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en")  # the full handler, in this thread
        assert _prefix_and_language_seen_by_ping(monkeypatch, ping) == ("/mounted/", "zh-hans")
        assert _prefix_and_language_seen_by_ping(monkeypatch, unmounted) == ("/", "zh-hans")
    finally:
        _through_wsgi(unmounted)


def test_the_json_lane_sets_them_again_in_another_thread(monkeypatch):
    import threading

    from django.utils import translation

    ping = RequestFactory().get("/runtime/v1/ping")
    assert _prefix_and_language_seen_by_ping(monkeypatch, ping) == ("/", "zh-hans")
    seen: list[tuple[str, str]] = []

    def other_thread():
        translation.activate("en")
        seen.append(
            _prefix_and_language_seen_by_ping(monkeypatch, RequestFactory().get("/runtime/v1/ping"))
        )

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen == [("/", "zh-hans")]


def test_a_receiver_connected_after_a_plain_call_is_sent_the_signals_until_disconnected():
    """The handler remembers the receiver lists it last found plain; a receiver connected
    later changes them, and once it is gone the lean path is taken again."""
    heard: list[str] = []

    def finished(**kwargs):
        heard.append("finished")

    handler = lean.LeanWSGIHandler()

    def call() -> None:
        request = RequestFactory().get("/runtime/v1/ping")
        body = handler(request.environ, lambda status, headers: None)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    call()
    assert handler._plain()
    signals.request_finished.connect(finished)
    try:
        assert not handler._plain()
        call()
    finally:
        signals.request_finished.disconnect(finished)
    assert heard == ["finished"]
    assert handler._plain()
    call()
    assert heard == ["finished"]


def test_a_receiver_connected_before_the_handler_was_built_is_still_sent_the_signals():
    """An app connecting to request_finished in its ready() (before the WSGI handler is
    built) is not taken for one of Django's own receivers and skipped."""
    heard: list[str] = []

    def finished(**kwargs):
        heard.append("finished")

    signals.request_finished.connect(finished)
    try:
        handler = lean.LeanWSGIHandler()
        started: list = []
        request = RequestFactory().get("/runtime/v1/ping")
        body = handler(request.environ, lambda status, headers: started.append(status))
        b"".join(body)
        getattr(body, "close", lambda: None)()
    finally:
        signals.request_finished.disconnect(finished)
    assert started == ["200 OK"]
    assert heard == ["finished"]


def test_pages_still_go_through_the_full_handler(monkeypatch):
    chained: list[str] = []
    laned: list[str] = []
    real_chain, real_answer = lean.LeanHandler.chain, json_lane.JsonLane.answer

    def chain(self, request):
        chained.append(request.path)
        return real_chain(self, request)

    def answer(self, request, route, **kwargs):
        laned.append(request.path)
        return real_answer(self, request, route, **kwargs)

    monkeypatch.setattr(lean.LeanHandler, "chain", chain)
    monkeypatch.setattr(json_lane.JsonLane, "answer", answer)
    status, headers, _body = _through_wsgi(RequestFactory().get("/login/"))
    assert status == 200 and "csrftoken" in dict(headers).get("Set-Cookie", "")
    assert chained == [] and laned == []
    _through_wsgi(RequestFactory().get("/runtime/v1/ping"))
    assert laned == ["/runtime/v1/ping"] and chained == []
    _through_wsgi(RequestFactory().post("/pay/unifiedorder", b"<xml/>", "text/xml"))
    _through_wsgi(RequestFactory().get("/wxa/no-such-api"))
    assert chained == ["/pay/unifiedorder", "/wxa/no-such-api"]
    assert laned == ["/runtime/v1/ping"]


def test_the_json_lane_stands_for_the_api_chain_only_as_configured(monkeypatch):
    assert json_lane.usable()
    with override_settings(API_MIDDLEWARE=[*json_lane.LANE_CHAIN, "example.Extra"]):
        assert not json_lane.usable()
    monkeypatch.setitem(settings.DATABASES["default"], "ATOMIC_REQUESTS", True)
    assert not json_lane.usable()


def test_caches_are_closed_only_for_a_backend_whose_close_does_something():
    lean._caches_close.cache_clear()
    try:
        assert not lean._caches_close()  # the platform's local-memory or Redis cache
        memcached = {"default": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"}}
        with override_settings(CACHES=memcached):
            lean._caches_close.cache_clear()
            assert lean._caches_close()
    finally:
        lean._caches_close.cache_clear()


def test_the_server_module_loads_the_routes_before_any_request_without_a_connection():
    # The workers fork from the process that imported miniport.wsgi: the URL
    # configuration is loaded there once, and no database connection may be open.
    probe = (
        "import miniport.wsgi\n"
        "from django.db import connections\n"
        "from miniport.web import api\n"
        "assert '/sns/jscode2session' in api.ROUTES, 'routes not loaded'\n"
        "assert all(c.connection is None for c in connections.all()), 'a connection is open'\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_connections_are_looked_up_in_the_plain_thread_local_outside_an_event_loop():
    import asyncio
    import threading

    connection = connections["default"]
    storage = lean._thread_storage(connections._connections)
    assert isinstance(storage, threading.local)
    assert lean._opened(connections) == [connection]

    async def inside_a_loop():
        return lean._thread_storage(connections._connections)

    assert asyncio.run(inside_a_loop()) is connections._connections
    # The caches' Local is not thread-critical: looked into as it is.
    assert lean._thread_storage(caches._connections) is caches._connections
