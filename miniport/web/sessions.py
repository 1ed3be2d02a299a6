"""Small helpers shared by the web surfaces."""

from __future__ import annotations

from django.http import HttpRequest

# Keeps the session non-empty: Django sends no cookie for an empty session.
_STARTED = "miniport.session_started"


def session_key_of(request: HttpRequest) -> str:
    """The browser session's key, creating the session first when it has none yet.

    QR tickets are bound to this key, so a page that asks for one needs it to exist and
    to reach the browser. Reading the session first drops a cookie key that the session
    store does not know (stale or made up), so a ticket is never bound to such a key.
    """
    session = request.session
    if not session.get(_STARTED):
        session[_STARTED] = True
    if not session.session_key:
        session.save()
    key = session.session_key
    if not key:  # save() always assigns one; a store that does not is broken
        raise RuntimeError("the session store assigned no session key")
    return key
