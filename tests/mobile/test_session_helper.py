"""`session_key_of` gives a page the session key that a QR ticket is bound to."""

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from miniport.web.sessions import session_key_of


def _serve(cookie: str | None = None):
    seen = {}

    def view(request):
        seen["key"] = session_key_of(request)
        seen["again"] = session_key_of(request)
        return HttpResponse()

    request = RequestFactory().get("/")
    if cookie:
        request.COOKIES["sessionid"] = cookie
    response = SessionMiddleware(view)(request)
    return seen, response


def test_a_browser_without_session_gets_one_and_its_cookie(db):
    seen, response = _serve()
    assert seen["key"] and seen["key"] == seen["again"]
    assert response.cookies["sessionid"].value == seen["key"]
    assert SessionStore().exists(seen["key"])


def test_an_existing_session_keeps_its_key(db):
    store = SessionStore()
    store["console"] = "signed in"
    store.create()
    seen, _ = _serve(store.session_key)
    assert seen["key"] == store.session_key


def test_a_made_up_session_key_is_never_used(db):
    """A key the store does not know (planted or stale) is replaced by a fresh one."""
    made_up = "a" * 32
    seen, response = _serve(made_up)
    assert seen["key"] != made_up
    assert response.cookies["sessionid"].value == seen["key"]
