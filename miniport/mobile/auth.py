"""Which identity the phone pages act for: one id in the browser session."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from miniport.identities import selectors, services
from miniport.identities.models import Identity

SESSION_IDENTITY = "mobile_identity_id"


def current_identity(request: HttpRequest) -> Identity | None:
    pk = request.session.get(SESSION_IDENTITY)
    if pk is None:
        return None
    return selectors.identity_by_id(pk)


def sign_in(request: HttpRequest, identity: Identity, *, method: str) -> None:
    """Remember the identity under a fresh session key (against session fixation).

    The session is shared with the console, so a console sign-in stays as it was.
    """
    old_key = request.session.session_key
    request.session.cycle_key()
    request.session[SESSION_IDENTITY] = identity.pk
    request.session.save()
    services.identity_signed_in(
        identity=identity,
        method=method,
        old_session_key=old_key,
        new_session_key=request.session.session_key,
    )


def sign_out(request: HttpRequest) -> None:
    # Only the phone identity leaves; a console sign-in in the same browser stays.
    request.session.pop(SESSION_IDENTITY, None)


def safe_next(request: HttpRequest, raw: str | None) -> str:
    """A same-site path to go on to, or the phone home page."""
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return reverse("mobile:home")


def login_url(next_path: str) -> str:
    return f"{reverse('mobile:login')}?{urlencode({'next': next_path})}"


def identity_required(view):
    """Send a visitor with no signed-in identity to the sign-in page, then back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        identity = current_identity(request)
        if identity is None:
            return HttpResponseRedirect(login_url(request.get_full_path()))
        return view(request, identity, *args, **kwargs)

    return wrapper
