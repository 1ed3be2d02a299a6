"""Settings › Association settings › Enterprises, the mini program's side (WW-2, WW-3,
WW-5): every enterprise association of the mini program with its status, live or ended
(operators read it, `links.view`); its administrator (`enterprise.manage`) starts one by
the enterprise's ID, authorises a waiting one by scan (`?authorize=<pk>` shows the QR),
refuses or cancels a request at once and removes an active association after a
confirmation page (`links_enterprise_end`). A request started here waits, after the
scan, for the enterprise to accept it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.enterprise import CorpIdForm
from miniport.console.views.common import page
from miniport.console.views.enterprise_common import keep_ticket, rows, ticket_context
from miniport.core.errors import PlatformError
from miniport.links.enterprise import selectors
from miniport.links.enterprise.models import AssociationStatus, StartedBy
from miniport.links.enterprise.services import associations
from miniport.web.sentences import sentence
from miniport.web.sessions import session_key_of

S = AssociationStatus
MANAGE = "enterprise.manage"


def _page(request, *, form=None, status=200):
    mp = request.miniprogram
    may_manage = request.console.may(MANAGE)
    context: dict = {
        "rows": rows(selectors.associations_of_miniprogram(mp)),
        "form": form or CorpIdForm(),
        "may_manage": may_manage,
        "released": selectors.is_released(mp),
    }
    authorizing = selectors.association_of_miniprogram(mp, request.GET.get("authorize"))
    if (
        may_manage
        and authorizing is not None
        and selectors.effective_status(authorizing) == S.WAITING_MINIPROGRAM
    ):
        context["authorizing"] = authorizing
        context.update(
            ticket_context(request, authorizing, reverse("console:links_enterprise_act"))
        )
    return page(request, "console/enterprise/links.html", status=status, **context)


@console_view(action="links.view")
@require_GET
def links_enterprise(request):
    """WW-5: every enterprise association of the mini program."""
    return _page(request)


# What the page says once a request or an association is ended from this side.
_ENDED = {
    "removed": gettext_lazy("The association has ended."),
    "cancelled": gettext_lazy("The request was cancelled."),
    "refused": gettext_lazy("The request was refused."),
}


def _ending(association) -> str:
    """What ending it means from this side: a request the enterprise started is refused,
    our own request cancelled, an association removed."""
    if association.status == S.ACTIVE:
        return "removed"
    return "cancelled" if association.started_by == StartedBy.MINIPROGRAM else "refused"


@console_view(action=MANAGE, visible_with="links.view")
@require_GET
def links_enterprise_end(request):
    """The list's "Remove" of an active association leads here (`?association=<pk>`): a
    confirmation naming the enterprise and what follows (GET); its button posts the
    ending to `links_enterprise_act`. A request still waiting is cancelled or refused
    from the list at once (nothing live goes), but this page confirms it too; an ended
    association's page says the ending's refusal."""
    found = selectors.association_of_miniprogram(
        request.miniprogram, request.GET.get("association")
    )
    if found is None:
        raise Http404("no such association")
    refusal = ""
    try:
        associations.ensure_endable(found)
    except PlatformError as error:
        refusal = error.message()
    return page(
        request,
        "console/enterprise/links_end_confirm.html",
        row=rows([found])[0],
        association=found,
        ending=_ending(found),
        refusal=refusal,
        status=409 if refusal else 200,
        back_url=reverse("console:links_enterprise"),
    )


@console_view(action=MANAGE, visible_with="links.view")
@require_POST
def links_enterprise_act(request):
    """WW-2: start an association by the enterprise's ID; end one. A post without an
    `op` (the scan's "continue") shows the list again."""
    op = request.POST.get("op", "")
    mp, actor = request.miniprogram, actor_of(request)
    if op == "start":
        form = CorpIdForm(request.POST)
        if form.is_valid():
            try:
                association, ticket = associations.request_from_miniprogram(
                    actor=actor,
                    miniprogram=mp,
                    corp_id=form.cleaned_data["corp_id"],
                    session_key=session_key_of(request),
                )
            except PlatformError as error:
                attach_error(form, error)
            else:
                keep_ticket(request, association, ticket)
                return redirect(f"{reverse('console:links_enterprise')}?authorize={association.pk}")
        return _page(request, form=form, status=400)
    if op == "end":
        found = selectors.association_of_miniprogram(mp, request.POST.get("association"))
        if found is None:
            raise Http404("no such association")
        ending = _ending(found)
        try:
            associations.association_end(
                actor=actor, association=found, side="miniprogram", reason=ending
            )
        except PlatformError as error:
            messages.error(request, sentence(error.message()))
        else:
            messages.success(request, _ENDED[ending])
    elif op:
        raise Http404("no such action")
    return redirect("console:links_enterprise")
