"""Settings › Development settings › Webhooks (B-6): signed webhook endpoints, each with
its delivery log (attempt, status code, duration, error, next retry).

`devsettings.view` opens the list and an endpoint's log (anyone else gets 404);
`devsettings.edit` adds and removes endpoints (403 for those who only see). The secret is
shown once, in the answer that created it. Forms in `console/forms/webhooks.py`,
templates in `templates/console/webhooks/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.webhooks import WebhookForm
from miniport.console.views.common import page
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import webhooks


@console_view(action="devsettings.view")
@require_GET
def webhooks_page(request):
    """B-6: the endpoints, with their deliveries by state."""
    mp = request.miniprogram
    rows = [(endpoint, webhooks.delivery_counts(endpoint)) for endpoint in webhooks.webhooks_of(mp)]
    return page(
        request,
        "console/webhooks/index.html",
        rows=rows,
        limit=policy.value("dev.webhooks_max"),
        can_edit=request.console.may("devsettings.edit"),
    )


@never_cache
@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def webhook_add(request):
    """B-6: add an endpoint; its secret is shown in this answer only."""
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.webhook_create(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"] or "*",
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            return page(request, "console/webhooks/created.html", endpoint=endpoint, secret=secret)
    return page(request, "console/webhooks/add.html", form=form)


def _endpoint(request, pk: int):
    try:
        return webhooks.webhook_of(request.miniprogram, pk)
    except PlatformError:
        raise Http404


@console_view(action="devsettings.view")
@require_GET
def webhook_detail(request, pk: int):
    """B-6: one endpoint and its delivery log, newest attempt first."""
    endpoint = _endpoint(request, pk)
    return page(
        request,
        "console/webhooks/detail.html",
        endpoint=endpoint,
        counts=webhooks.delivery_counts(endpoint),
        attempts=webhooks.delivery_log(endpoint),
        can_edit=request.console.may("devsettings.edit"),
    )


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_POST
def webhook_remove(request, pk: int):
    endpoint = _endpoint(request, pk)
    webhooks.webhook_remove(
        actor=actor_of(request), miniprogram=request.miniprogram, pk=endpoint.pk
    )
    messages.success(request, _("The webhook was removed."))
    return redirect("console:dev_webhooks")
