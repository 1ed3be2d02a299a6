"""Settings › Association settings › Official accounts, the mini program's side (OA-3):
the official accounts associated with the mini program and the requests waiting for it
(operators read it, `links.view`). Its administrator (`official_accounts.manage`)
confirms a waiting request by scan (`?confirm=<pk>` shows the QR, kept per request in
this browser's session; confirming on the phone links it), refuses one, or unlinks after
a confirmation (`?unlink=<pk>`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from miniport.console import tickets
from miniport.console.access import actor_of, console_view
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import links, selectors
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink

MANAGE = "official_accounts.manage"
TICKETS = "console_oa_link_tickets"


def _ticket(request, link: OfficialAccountLink) -> QrTicket:
    """The live QR of this request shown by this browser, or a new one."""
    return tickets.kept_ticket_of(
        request,
        TICKETS,
        link.pk,
        lambda key: links.confirmation_ticket(link, session_key=key),
    )


@console_view(action="links.view")
@require_GET
def links_official(request):
    """OA-3: the official accounts of the mini program, and the requests waiting."""
    mp = request.miniprogram
    may_manage = request.console.may(MANAGE)
    context: dict = {"rows": selectors.links_of_miniprogram(mp), "may_manage": may_manage}
    confirming = selectors.link_of_miniprogram(mp, request.GET.get("confirm"))
    if (
        may_manage
        and confirming is not None
        and selectors.effective_status(confirming) == LinkStatus.WAITING
    ):
        ticket = _ticket(request, confirming)
        context.update(
            confirming=confirming,
            ticket=ticket,
            scan_url=identity_services.scan_url(ticket),
            confirm_url=reverse("console:links_official_act"),
        )
    # `?unlink=<pk>`: the confirmation before an association ends (its post acts).
    unlinking = selectors.link_of_miniprogram(mp, request.GET.get("unlink"))
    if (
        may_manage
        and unlinking is not None
        and selectors.effective_status(unlinking) == LinkStatus.LINKED
    ):
        context["unlinking"] = unlinking
    return page(request, "console/official_accounts/miniprogram.html", **context)


@console_view(action=MANAGE, visible_with="links.view")
@require_POST
def links_official_act(request):
    """Refuse a waiting request or unlink an association. A post without an `op` (the
    scan's "continue") shows the list again: the scan itself made the change."""
    op = request.POST.get("op", "")
    if op not in ("", "refuse", "unlink"):
        raise Http404("no such action")
    if op:
        link = selectors.link_of_miniprogram(request.miniprogram, request.POST.get("link"))
        if link is None:
            raise Http404("no such association")
        try:
            if op == "refuse":
                links.link_refuse(actor=actor_of(request), link=link)
                messages.success(request, _("The request is refused."))
            else:
                links.unlink(actor=actor_of(request), link=link)
                messages.success(request, _("The association has ended."))
        except PlatformError as error:
            messages.error(request, error.message())
    return redirect("console:links_official")
