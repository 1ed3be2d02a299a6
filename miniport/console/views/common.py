"""What every console view shares: `page` renders a page inside the console shell (the
menu by the session's roles, the mini program, its registration badge), `refused` the
page of an action the platform refused outright.

Each area of the console is `console/views/<area>.py` (views only), its forms
`console/forms/<area>.py` and its templates `templates/console/<area>/`; every route is
in `console/urls.py`. Who acts is `console.access.actor_of`; putting a refusal on a form
is `console.forms.common.attach_error`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from miniport.accounts.selectors import registration_state
from miniport.console import menu
from miniport.console.views.status import badge_of
from miniport.core import vault
from miniport.core.errors import PlatformError
from miniport.identities.errors import IdentityError


def shell_context(request) -> dict:
    """What every page inside the console shell needs: the menu and the mini program."""
    match = getattr(request, "resolver_match", None)
    miniprogram = request.miniprogram
    state = registration_state(miniprogram.subject.registration)
    return {
        "menu": menu.build(
            match.view_name if match else None, request.console.roles, path=request.path
        ),
        "miniprogram": miniprogram,
        "registration_state": state,
        "registration_badge": badge_of(state),
    }


def page(request, template: str, *, status: int = 200, **context):
    """A page inside the console shell (views behind `console_view` only)."""
    return render(request, template, {**shell_context(request), **context}, status=status)


def refused(request, error: PlatformError, *, back_url: str, back_label: str, status: int = 409):
    """A page for an action the platform refused outright (e.g. editing a confirmed subject)."""
    context = {
        "error": error,
        "message": error.message(),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "console/refused.html", context, status=status)


def content_length(request) -> int:
    """The request's declared Content-Length (0 when absent or not a number): what an
    upload view compares to its bound before reading the body."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def complete_scan(request, *, ticket_key: str, back: str, complete, done):
    """POST of a page waiting for the administrator's scan (the AppSecret, the IP
    whitelist, the merchant's API key): run `complete()`. Done: the ticket leaves the
    session and `done(result)` answers. Refused for good: the ticket leaves the session
    and the page named `back` says why. Not confirmed on the phone yet: (None, the
    message), and the QR stays."""
    try:
        result = complete()
    except PlatformError as refusal:
        if refusal.code == IdentityError.TICKET_PENDING:
            return None, refusal.message()
        request.session.pop(ticket_key, None)
        messages.error(request, refusal.message())
        return redirect(back), ""
    request.session.pop(ticket_key, None)
    return done(result), ""


def keep_for_one_display(request, key: str, secret: str, *, owner: str = "", **facts) -> None:
    """Post/redirect/get for a secret shown once (the AppSecret, a merchant's API key):
    it waits in the session, sealed, bound to the mini program (or to `owner`, the AppID
    of a linked console's account), with a few facts the page needs."""
    request.session[key] = {
        "appid": owner or request.miniprogram.appid,
        "sealed": vault.seal_personal(secret),
        **facts,
    }


def take_for_display(request, key: str, *, owner: str = "") -> tuple[str, dict]:
    """The secret kept by `keep_for_one_display` and its facts, taken out of the session
    (a reload finds nothing: ("", {}))."""
    kept = request.session.pop(key, None)
    if not isinstance(kept, dict) or kept.get("appid") != (owner or request.miniprogram.appid):
        return "", {}
    try:
        secret = vault.open_personal(str(kept.get("sealed", "")))
    except vault.VaultError:
        return "", {}
    return secret, {name: value for name, value in kept.items() if name not in ("appid", "sealed")}
