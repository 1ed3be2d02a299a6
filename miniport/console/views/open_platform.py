"""Settings › Association settings › Open platform (OPN-1, OPN-2), the mini program side.

`links_open`: the open account the mini program is bound to (unbind), and the open
accounts of its subject (the same principal), with "create". `links_open_account`: one
of those accounts: its developer qualification certification (documents to the ops
desk), the apps bound to it (unbind) and, once certified, "bind a mini program" by AppID,
which shows a QR ticket for that mini program's administrator: the scan binds (the
ticket's purpose, `links.open_platform.purposes`). Operators read (`links.view`); the
administrator acts (`open_platform.manage`). Another subject's account is 404. Every
"Unbind" asks first: `links_open_unbind` is its confirmation page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from miniport.console import tickets
from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.open_platform import AppIdForm, CertificationForm
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.links.open_platform import certification, purposes, selectors, services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import Certification, OpenAccount
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.web.sessions import session_key_of

MANAGE = "open_platform.manage"
BIND_TICKET = "console_open_bind_ticket"


@console_view(action="links.view")
@require_GET
def links_open(request):
    mp = request.miniprogram
    return page(
        request,
        "console/open_platform/index.html",
        binding=selectors.binding_of(mp),
        accounts=list(selectors.accounts_of_subject(mp)),
        may_manage=request.console.may(MANAGE),
    )


@console_view(action=MANAGE, visible_with="links.view")
@require_POST
def links_open_act(request):
    """Create an open account of the subject; unbind this mini program from its own."""
    mp, actor = request.miniprogram, actor_of(request)
    op = request.POST.get("op", "")
    if op == "create":
        try:
            account = services.open_create(
                actor=actor, miniprogram=mp, via_api=False, bind_creator=True
            )
        except PlatformError as error:  # already bound (a second click, another tab)
            messages.error(request, error.message())
            return redirect("console:links_open")
        messages.success(request, _("The open platform account is created."))
        return redirect("console:links_open_account", open_appid=account.open_appid)
    if op == "unbind":
        binding = selectors.binding_of(mp)
        try:
            if binding is None:  # a second submission, or unbound from the account's side
                raise PlatformError(OpenError.NOT_BOUND_HERE)
            services.open_unbind(actor=actor, account=binding.open_account, miniprogram=mp)
        except PlatformError as error:  # unbound meanwhile from the account's side
            messages.error(request, error.message())
        else:
            messages.success(request, _("The mini program is unbound."))
        return redirect("console:links_open")
    raise Http404("no such action")


@console_view(action=MANAGE, visible_with="links.view")
@require_GET
def links_open_unbind(request):
    """The "Unbind" buttons lead here: a confirmation naming the open account and the
    mini program and what follows (GET); its button posts the unbinding, unchanged.
    Without a query, this mini program's own binding (posted to `links_open_act`);
    with `?open_appid=&appid=`, one app bound to an open account of the subject (posted
    to `links_open_account_act`; another subject's account is 404). When nothing is
    bound there any more, the page says what the unbinding would (NOT_BOUND_HERE)."""
    mp = request.miniprogram
    open_appid = request.GET.get("open_appid")
    if open_appid is None:
        binding = selectors.binding_of(mp)
        account = binding.open_account if binding is not None else None
        appid, name = mp.appid, mp.name
        action = reverse("console:links_open_act")
        back_url = reverse("console:links_open")
    else:
        account = _account_or_404(request, open_appid)
        appid = request.GET.get("appid", "").replace("\x00", "")
        binding = selectors.bound_apps(account).filter(miniprogram__appid=appid).first()
        name = binding.miniprogram.name if binding is not None else ""
        action = reverse("console:links_open_account_act", args=[account.open_appid])
        back_url = reverse("console:links_open_account", args=[account.open_appid])
    refusal = "" if binding is not None else PlatformError(OpenError.NOT_BOUND_HERE).message()
    return page(
        request,
        "console/open_platform/unbind_confirm.html",
        account=account,
        appid=appid,
        name=name,
        itself=open_appid is None,
        action=action,
        refusal=refusal,
        status=409 if refusal else 200,
        back_url=back_url,
    )


def _account_or_404(request, open_appid: str) -> OpenAccount:
    account = selectors.owned_account(request.miniprogram, open_appid)
    if account is None:
        raise Http404("no such open account")
    return account


def _live_ticket(request, account: OpenAccount):
    """The binding ticket this browser asked for this account, while it can be scanned."""
    ticket = tickets.alive_ticket(request, request.session.get(BIND_TICKET))
    if ticket is None or (ticket.payload or {}).get("open_appid") != account.open_appid:
        return None
    return ticket


def _account_page(request, account, *, bind_form=None, cert_form=None, status=200):
    context: dict = {
        "account": account,
        "bindings": list(selectors.bound_apps(account)),
        "may_manage": request.console.may(MANAGE),
        "bind_form": bind_form or AppIdForm(),
        "cert_form": cert_form or CertificationForm(),
        "may_certify": account.certification in (Certification.NONE, Certification.REJECTED),
    }
    ticket = _live_ticket(request, account) if context["may_manage"] else None
    if ticket is not None:
        context.update(
            ticket=ticket,
            scan_url=identity_services.scan_url(ticket),
            confirm_url=reverse("console:links_open_account_act", args=[account.open_appid]),
            binding_appid=(ticket.payload or {}).get("appid", ""),
        )
    return page(request, "console/open_platform/account.html", status=status, **context)


@console_view(action="links.view")
@require_GET
def links_open_account(request, open_appid: str):
    return _account_page(request, _account_or_404(request, open_appid))


@console_view(action=MANAGE, visible_with="links.view")
@require_POST
def links_open_account_act(request, open_appid: str):
    """certify: documents to the ops desk; bind: a ticket for the AppID's administrator;
    unbind: one bound app. A post without `op` (the scan's "continue") shows the page."""
    account = _account_or_404(request, open_appid)
    mp, actor = request.miniprogram, actor_of(request)
    op = request.POST.get("op", "")
    here = reverse("console:links_open_account", args=[account.open_appid])
    if op == "certify":
        form = CertificationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                certification.certification_submit(
                    actor=actor, account=account, miniprogram=mp, documents=form.uploads()
                )
            except PlatformError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The documents are submitted for review."))
                return redirect(here)
        return _account_page(request, account, cert_form=form, status=400)
    if op == "bind":
        bind_form = AppIdForm(request.POST)
        if bind_form.is_valid():
            target = mp_selectors.by_appid(bind_form.cleaned_data["appid"].strip())
            try:
                if target is None:
                    raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
                ticket = purposes.bind_request(
                    actor=actor,
                    account=account,
                    miniprogram=target,
                    session_key=session_key_of(request),
                )
            except PlatformError as error:
                attach_error(bind_form, error)
            else:
                request.session[BIND_TICKET] = ticket.token
                return redirect(here)
        return _account_page(request, account, bind_form=bind_form, status=400)
    if op == "unbind":
        binding = account.bindings.select_related("miniprogram").filter(
            miniprogram__appid=request.POST.get("appid", "").replace("\x00", "")
        )
        found = binding.first()
        try:
            if found is None:  # a second submission, or unbound from the app's side
                raise PlatformError(OpenError.NOT_BOUND_HERE)
            services.open_unbind(actor=actor, account=account, miniprogram=found.miniprogram)
        except PlatformError as error:
            messages.error(request, error.message())
        else:
            messages.success(request, _("The mini program is unbound."))
    elif op:
        raise Http404("no such action")
    else:
        _after_scan(request, account)
    return redirect(here)


def _after_scan(request, account: OpenAccount) -> None:
    """The scan's "continue" (clicked, or posted by the page when the ticket is confirmed):
    say what came of it; a ticket not confirmed yet stays on the page."""
    ticket = _live_ticket(request, account)
    if ticket is not None and ticket.status in ("pending", "scanned"):
        messages.error(request, _("The administrator has not confirmed on the phone yet."))
        return
    token = request.session.pop(BIND_TICKET, None)
    done = identity_selectors.ticket_by_token(token) if token else None
    appid = (done.payload or {}).get("appid", "") if done is not None else ""
    if appid and account.bindings.filter(miniprogram__appid=appid).exists():
        messages.success(request, _("%(appid)s is bound.") % {"appid": appid})
