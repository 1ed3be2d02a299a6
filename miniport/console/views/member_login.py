"""Member login by scan: project members have no email, administrators may use it too.
The identity that confirms the ticket chooses one of the mini programs it holds a
console role in. No mini program is in the session yet, so these are no `console_view`s.
Templates in `templates/console/member_login/`; the role labels come from
`console/forms/members.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console import session, tickets
from miniport.console.access import console_miniprogram, remember_member
from miniport.console.forms.members import ROLE_LABELS
from miniport.core.errors import PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.miniprograms import selectors
from miniport.miniprograms.services import member_login as login_services
from miniport.web.sessions import session_key_of

MEMBER_LOGIN_TICKET = "console_member_login_ticket"
MEMBER_LOGIN_IDENTITY = "console_member_login_identity"


def _member_login_ticket(request):
    return tickets.kept_ticket(
        request,
        MEMBER_LOGIN_TICKET,
        lambda key: login_services.member_login_request(session_key=key),
    )


def _member_login_page(request, *, error: str = ""):
    ticket = _member_login_ticket(request)
    context = {
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket),
        "ticket_error": error,
        "confirm_url": reverse("console:member_login_complete"),
    }
    return render(request, "console/member_login/index.html", context)


def _enter(request, identity, miniprogram):
    """Log this browser in as `identity` in `miniprogram`, on a fresh session key."""
    login_services.member_login_enter(identity=identity, miniprogram=miniprogram)
    # Whatever this browser was logged in as ends here; the session gets a fresh key.
    logout(request)
    remember_member(request, identity.pk, miniprogram)
    return redirect("console:home")


@require_GET
def member_login(request):
    if console_miniprogram(request) is not None:
        return redirect("console:home")
    # The scan alone logs in here, so the key the QR ticket is bound to must be one only
    # this browser knows: a key planted beforehand (with a ticket asked for under it)
    # stops working, and the live ticket follows to the new key.
    session.renew_key(request)
    return _member_login_page(request)


@require_POST
def member_login_complete(request):
    token = request.session.get(MEMBER_LOGIN_TICKET) or ""
    try:
        identity, miniprograms = login_services.member_login_confirmed(
            token=str(token), session_key=session_key_of(request)
        )
    except PlatformError as error:
        request.session.pop(MEMBER_LOGIN_TICKET, None)
        return _member_login_page(request, error=error.message())
    request.session.pop(MEMBER_LOGIN_TICKET, None)
    if len(miniprograms) == 1:
        return _enter(request, identity, miniprograms[0])
    request.session.cycle_key()
    request.session[MEMBER_LOGIN_IDENTITY] = identity.pk
    return redirect("console:member_login_choose")


@require_http_methods(["GET", "POST"])
def member_login_choose(request):
    """The identity holds roles in several mini programs: it picks one."""
    identity = identity_selectors.identity_by_id(request.session.get(MEMBER_LOGIN_IDENTITY))
    if identity is None:
        return redirect("console:member_login")
    choices = selectors.miniprograms_of(identity)
    if request.method == "POST":
        chosen = next((mp for mp in choices if mp.appid == request.POST.get("appid")), None)
        if chosen is not None:
            try:
                return _enter(request, identity, chosen)
            except PlatformError as error:
                messages.error(request, error.message())
    rows = [
        {
            "miniprogram": mp,
            "roles": [
                str(ROLE_LABELS[r])
                for r in sorted(selectors.roles_of(identity, mp))
                if r in ROLE_LABELS
            ],
        }
        for mp in choices
    ]
    return render(request, "console/member_login/choose.html", {"identity": identity, "rows": rows})
