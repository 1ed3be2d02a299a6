"""Endpoints the requesting (console) page uses while it shows a QR code.

Both answer only the browser session that asked for the ticket; any other gets 404,
so a leaked token reveals nothing.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from miniport.core import qr
from miniport.core.errors import PlatformError
from miniport.identities import selectors, services


@require_GET
def ticket_qr(request: HttpRequest, token: str) -> HttpResponse:
    ticket = selectors.session_ticket(token=token, session_key=request.session.session_key)
    if ticket is None:
        raise Http404
    response = HttpResponse(qr.png_bytes(services.scan_url(ticket)), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        status = services.ticket_status(token=token, session_key=request.session.session_key)
    except PlatformError:
        raise Http404
    response = JsonResponse({"status": status})
    response["Cache-Control"] = "no-store"
    return response
