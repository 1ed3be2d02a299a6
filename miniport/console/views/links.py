"""Settings › Association settings (OPN-1, OA-3, WW-5): the hub of a mini program's
links; and the scan sign-in of the official-account and enterprise consoles, with the
page that lists what the signed-in identity manages (`console/linked_access.py`).
Templates in `templates/console/links/` and `templates/console/linked/`."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from miniport.console import linked_access, session, tickets
from miniport.console.access import console_view
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.links import signin
from miniport.web.sessions import session_key_of

# (label, what it is for, URL name of the mini program's page of that part)
SECTIONS = (
    (
        _("Open platform"),
        _("Bind the mini program to an open platform account: its users get one UnionID."),
        "console:links_open",
    ),
    (
        _("Official accounts"),
        _("Official accounts associated with the mini program, for articles and menus."),
        "console:links_official",
    ),
    (
        _("Enterprises"),
        _("Enterprises whose members open the mini program from their workbench."),
        "console:links_enterprise",
    ),
)

LINKED_TICKET = "console_linked_ticket"
NEXT = "console_linked_next"


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@console_view(action="links.view")
@require_GET
def links_page(request):
    sections = [
        {"label": label, "help": help_text, "url": _url(name)}
        for label, help_text, name in SECTIONS
    ]
    return page(request, "console/links/index.html", sections=sections)


def _ticket(request):
    return tickets.kept_ticket(
        request, LINKED_TICKET, lambda key: signin.linked_login_request(session_key=key)
    )


def _signin_page(request, *, error: str = ""):
    ticket = _ticket(request)
    context = {
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket),
        "ticket_error": error,
        "confirm_url": reverse("console:links_signin_complete"),
    }
    return render(request, "console/linked/signin.html", context)


@require_GET
def links_signin(request):
    """The scan that signs in to the official-account and enterprise consoles."""
    if linked_access.linked_identity(request) is not None:
        return redirect("console:links_home")
    target = request.GET.get("next", "")
    # The scan alone signs in, so the ticket is bound to a key only this browser knows.
    session.renew_key(request)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = target
    return _signin_page(request)


@require_POST
def links_signin_complete(request):
    token = request.session.pop(LINKED_TICKET, "") or ""
    try:
        identity = signin.linked_login_confirmed(
            token=str(token), session_key=session_key_of(request)
        )
    except PlatformError as error:
        return _signin_page(request, error=error.message())
    target = request.session.pop(NEXT, "")
    request.session.cycle_key()
    linked_access.remember(request, identity)
    return redirect(target or "console:links_home")


@linked_access.linked_view
@require_GET
def links_home(request):
    """What the signed-in identity manages: its official accounts and enterprises."""
    identity = request.linked_identity
    return render(
        request,
        "console/linked/home.html",
        {"identity": identity, "homes": linked_access.homes_of(identity)},
    )


@require_POST
def links_signout(request):
    linked_access.forget(request)
    request.session.cycle_key()
    return redirect("console:links_signin")
