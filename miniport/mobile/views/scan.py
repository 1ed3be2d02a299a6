"""Scan confirmations of a signed-in identity: home lists the requests still waiting for
it, and the page a QR code opens shows one request, where it came from, and confirm or
deny (a refusal says why, and offers to switch identity where another could decide)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from miniport.core.errors import CoreError, PlatformError
from miniport.identities import purposes, selectors, services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from miniport.mobile.agents import describe_agent
from miniport.mobile.auth import identity_required

# Refusals after which another identity could still decide: offer to switch.
IDENTITY_REFUSALS = {
    IdentityError.TICKET_WRONG_IDENTITY,
    IdentityError.IDENTITY_NOT_REAL_NAME,
    IdentityError.IDENTITY_UNDERAGE,
    IdentityError.IDENTITY_MISMATCH,
}


@identity_required
def home(request: HttpRequest, identity: Identity) -> HttpResponse:
    waiting = [_ticket_view(ticket) for ticket in selectors.pending_confirmations(identity)]
    return render(request, "mobile/scan/home.html", {"identity": identity, "waiting": waiting})


@require_http_methods(["GET", "POST"])
@identity_required
def scan(request: HttpRequest, identity: Identity, token: str) -> HttpResponse:
    """What the QR code opens: the request, where it came from, confirm or deny."""
    if request.method == "POST":
        return _decide(request, identity, token)
    try:
        ticket = services.ticket_for_scan(identity=identity, token=token)
    except PlatformError as error:
        return _refused(request, identity, token, error)
    context = {"identity": identity, "token": token, **_ticket_view(ticket)}
    return render(request, "mobile/scan/confirm.html", context)


def _decide(request: HttpRequest, identity: Identity, token: str) -> HttpResponse:
    decision = request.POST.get("decision")
    actions = {"confirm": services.ticket_confirm, "deny": services.ticket_deny}
    if decision not in actions:
        error = PlatformError(CoreError.INVALID_ARGS, field="decision")
        return _refused(request, identity, token, error, status=400)
    try:
        ticket = actions[decision](identity=identity, token=token)
    except PlatformError as error:
        return _refused(request, identity, token, error)
    context = {"identity": identity, "decision": decision, **_ticket_view(ticket)}
    return render(request, "mobile/scan/done.html", context)


def _refused(
    request: HttpRequest,
    identity: Identity,
    token: str,
    error: PlatformError,
    *,
    status: int | None = None,
) -> HttpResponse:
    if status is None:
        status = 404 if error.code is IdentityError.TICKET_INVALID else 200
    context = {
        "identity": identity,
        "error": error,
        "error_message": error.message(),
        "offer_switch": error.code in IDENTITY_REFUSALS,
        "scan_path": reverse("mobile:scan", args=[token]),
    }
    return render(request, "mobile/scan/refused.html", context, status=status)


def _ticket_view(ticket: QrTicket) -> dict:
    seconds_left = selectors.seconds_left(ticket)
    # The label and the explanation come from the domain that registered the purpose.
    purpose = purposes.get(ticket.purpose)
    return {
        "ticket": ticket,
        "purpose": purpose.label if purpose is not None else ticket.purpose,
        # What confirming does for this ticket, in the words of the purpose's domain.
        "purpose_shows": purpose.shows_of(ticket.payload) if purpose is not None else "",
        # A summary of spaces alone has nothing to show: the Details row is left out.
        "summary": (ticket.summary or "").strip(),
        "device": describe_agent(ticket.requester_agent),
        "seconds_left": seconds_left,
        # The same m:ss the page's countdown script shows once it runs.
        "time_left": f"{seconds_left // 60}:{seconds_left % 60:02d}",
    }
