"""The phone pages of super-app users: sign in, home, scan-confirm, and the launch page
a mini program code opens; plus the public avatar images those pages show."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.core.errors import CoreError, PlatformError
from miniport.identities import purposes, selectors, services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from miniport.miniprograms.services import material
from miniport.mobile.agents import describe_agent
from miniport.mobile.auth import (
    current_identity,
    identity_required,
    login_url,
    safe_next,
    sign_in,
    sign_out,
)
from miniport.mobile.forms import SignInForm
from miniport.web.forms import add_platform_error

# Refusals after which another identity could still decide: offer to switch.
IDENTITY_REFUSALS = {
    IdentityError.TICKET_WRONG_IDENTITY,
    IdentityError.IDENTITY_NOT_REAL_NAME,
    IdentityError.IDENTITY_UNDERAGE,
    IdentityError.IDENTITY_MISMATCH,
}


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            identity = services.identity_authenticate(
                wechat_id=form.cleaned_data["wechat_id"], password=form.cleaned_data["password"]
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            sign_in(request, identity, method="password")
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "identity": current_identity(request),
        "demo_identities": list(selectors.demo_identities()) if settings.DEMO_MODE else None,
    }
    return render(request, "mobile/login.html", context)


def demo_login(request: HttpRequest) -> HttpResponse:
    """One-click sign-in as a demo identity; does not exist outside demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    identity = selectors.identity_by_id(request.POST.get("identity"))
    if identity is None or not identity.is_demo:
        raise Http404
    sign_in(request, identity, method="demo")
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    next_path = request.POST.get("next")
    if next_path and safe_next(request, next_path) == next_path:
        return HttpResponseRedirect(login_url(next_path))
    return HttpResponseRedirect(reverse("mobile:login"))


@identity_required
def home(request: HttpRequest, identity: Identity) -> HttpResponse:
    waiting = [_ticket_view(ticket) for ticket in selectors.pending_confirmations(identity)]
    return render(request, "mobile/home.html", {"identity": identity, "waiting": waiting})


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
    return render(request, "mobile/scan.html", context)


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
    return render(request, "mobile/scan_done.html", context)


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
    return render(request, "mobile/scan_refused.html", context, status=status)


def _ticket_view(ticket: QrTicket) -> dict:
    seconds_left = selectors.seconds_left(ticket)
    # The label and the explanation come from the domain that registered the purpose.
    purpose = purposes.get(ticket.purpose)
    return {
        "ticket": ticket,
        "purpose": purpose.label if purpose is not None else ticket.purpose,
        "purpose_shows": purpose.shows if purpose is not None else "",
        "device": describe_agent(ticket.requester_agent),
        "seconds_left": seconds_left,
        # The same m:ss the page's countdown script shows once it runs.
        "time_left": f"{seconds_left // 60}:{seconds_left % 60:02d}",
    }


@require_GET
def launch(request: HttpRequest, appid: str) -> HttpResponse:
    """What the mini program code opens in a phone's browser (INF-7): the mini
    program's name, avatar and introduction, and that it runs in the super-app."""
    mp = material.launch_target(appid)
    if mp is None:
        raise Http404
    context = {
        "identity": current_identity(request),
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "avatar_url": material.avatar_url(mp),
    }
    return render(request, "mobile/launch.html", context)


@require_GET
def avatar(request: HttpRequest, filename: str) -> FileResponse:
    """A mini program's current avatar, public (getaccountbasicinfo's head_image_url)."""
    name = material.public_avatar(filename)
    if name is None:
        raise Http404
    content_type = "image/jpeg" if name.endswith(".jpg") else "image/png"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Every new avatar gets a new name, so a stored one never changes.
    response["Cache-Control"] = "public, max-age=86400"
    return response
