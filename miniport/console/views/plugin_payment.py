"""The plugin's payment page (PLG-10): the application for the plugin's payment in
service-provider or ordinary mode, its state, the reviewer's reasons and the supplement
they ask for. `plugin.view` opens the page, `plugin.payment` applies, supplements and
withdraws (the administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.plugin_payment import (
    PROOF_FIELDS,
    PaymentApplicationForm,
    PaymentSupplementForm,
)
from miniport.console.views.common import page
from miniport.console.views.plugin_common import plugin_context, plugin_or_404
from miniport.core.errors import PlatformError
from miniport.plugins.models import PLUGIN_PAYMENT_OPEN_STATES, PluginPaymentState
from miniport.plugins.payment import selectors, services
from miniport.plugins.payment.errors import PluginPaymentError


def _attach(form, error: PlatformError) -> None:
    if error.field == "documents":
        error = PlatformError(error.code, field=PROOF_FIELDS[0], **error.params)
    attach_error(form, error)


def _page(request, plugin, *, form=None, supplement_form=None, status: int = 200):
    application = selectors.latest_application(plugin)
    refusal, may_apply = "", True
    try:
        services.require_eligible(plugin)
    except PlatformError as error:
        may_apply = False
        # An open or approved application is shown as it is; other refusals as text.
        if error.code not in (
            PluginPaymentError.APPLICATION_OPEN,
            PluginPaymentError.ALREADY_APPROVED,
        ):
            refusal = error.message()
    context = plugin_context(
        request,
        plugin,
        "payment",
        application=application,
        has_payment=selectors.plugin_has_payment(plugin),
        refusal=refusal,
        may_apply=may_apply,
        can_apply=request.console.may("plugin.payment"),
        form=form or PaymentApplicationForm(),
        supplement_form=supplement_form or PaymentSupplementForm(),
        states=PluginPaymentState,
        open_states=PLUGIN_PAYMENT_OPEN_STATES,
        applications=selectors.applications(plugin),
    )
    return page(request, "console/plugin/payment/index.html", status=status, **context)


@console_view(action="plugin.view")
@require_GET
def plugin_payment(request):
    """PLG-10: the plugin's payment, or the application for it."""
    return _page(request, plugin_or_404(request))


@console_view(action="plugin.payment", visible_with="plugin.view")
@require_POST
def plugin_payment_apply(request):
    plugin = plugin_or_404(request)
    form = PaymentApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.plugin_payment_apply(
                actor=actor_of(request),
                plugin=plugin,
                mode=form.cleaned_data["mode"],
                sub_mch_id=form.cleaned_data.get("sub_mch_id", ""),
                online_service=form.cleaned_data.get("online_service", ""),
                documents=form.uploads(),
            )
        except PlatformError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The application was submitted for review."))
            return redirect("console:plugin_payment")
    return _page(request, plugin, form=form, status=400)


@console_view(action="plugin.payment", visible_with="plugin.view")
@require_POST
def plugin_payment_supplement(request):
    plugin = plugin_or_404(request)
    form = PaymentSupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.plugin_payment_supplement(
                actor=actor_of(request),
                plugin=plugin,
                documents=form.uploads(),
                note=form.cleaned_data.get("note", ""),
            )
        except PlatformError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The material was added; the review goes on."))
            return redirect("console:plugin_payment")
    return _page(request, plugin, supplement_form=form, status=400)


@console_view(action="plugin.payment", visible_with="plugin.view")
@require_POST
def plugin_payment_withdraw(request):
    plugin = plugin_or_404(request)
    try:
        services.plugin_payment_withdraw(actor=actor_of(request), plugin=plugin)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("console:plugin_payment")
