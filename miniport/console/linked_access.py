"""Who acts in the consoles of official accounts and enterprises (OA-3, WW-2).

Their administrators are identities: one scan (`links.signin`) signs the browser in as
that identity, kept in the session apart from any mini program console session. Each
page then loads its official account or enterprise through its part's permission-checking
selector and answers 404 to an identity that does not manage it.

Parts list what an identity may manage on the chooser page by registering a lister here
(`register_home`) from their console URL module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.shortcuts import redirect

from miniport.core.actors import Actor
from miniport.identities.models import Identity
from miniport.identities.selectors import identity_by_id

# The identity that signed in to the official-account and enterprise consoles.
LINKED_IDENTITY = "console_linked_identity_id"


@dataclass(frozen=True)
class LinkedHome:
    """One console the identity may enter, as the chooser shows it."""

    kind: str  # a translated label: "Official account", "Enterprise"
    name: str
    url: str


_LISTERS: list[Callable[[Identity], list[LinkedHome]]] = []


def register_home(lister: Callable[[Identity], list[LinkedHome]]) -> None:
    if lister not in _LISTERS:
        _LISTERS.append(lister)


def homes_of(identity: Identity) -> list[LinkedHome]:
    return [home for lister in _LISTERS for home in lister(identity)]


def remember(request, identity: Identity) -> None:
    """After the scan; the caller has given the session a fresh key."""
    request.session[LINKED_IDENTITY] = identity.pk


def forget(request) -> None:
    request.session.pop(LINKED_IDENTITY, None)


def linked_identity(request) -> Identity | None:
    cached = getattr(request, "_linked_identity", None)
    if cached is not None:
        return cached
    identity = identity_by_id(request.session.get(LINKED_IDENTITY))
    if identity is not None:
        request._linked_identity = identity
    return identity


def linked_actor(request) -> Actor:
    identity = linked_identity(request)
    if identity is None:
        raise RuntimeError("linked_actor outside a linked_view")
    return Actor.for_identity(identity)


def linked_view(view):
    """Decorator: the view runs with `request.linked_identity` set; without a sign-in the
    browser is sent to the scan sign-in, then back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        identity = linked_identity(request)
        if identity is None:
            from django.urls import reverse
            from django.utils.http import url_has_allowed_host_and_scheme, urlencode

            target = request.get_full_path()
            if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
                target = ""
            login = reverse("console:links_signin")
            return redirect(f"{login}?{urlencode({'next': target})}" if target else login)
        request.linked_identity = identity
        return view(request, *args, **kwargs)

    return wrapper
