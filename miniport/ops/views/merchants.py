"""Ops desk: payment merchants (PAY-1). Every merchant, newest first, searchable by AppID
or mch_id; staff suspend one (with a reason; its unified orders then answer NOAUTH) or
resume it. The refusals are the services' (`merchant_suspend`, `merchant_resume`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from miniport.core.errors import PlatformError
from miniport.ops.access import actor_of, staff_required
from miniport.ops.views.common import keyset_page
from miniport.payments.merchants.services import merchant_resume, merchant_suspend
from miniport.payments.models import Merchant, MerchantState

ACTIONS = ("suspend", "resume")


class MerchantFilterForm(forms.Form):
    appid = forms.CharField(label=gettext_lazy("AppID"), required=False, max_length=32)
    mch_id = forms.CharField(label=gettext_lazy("Merchant ID"), required=False, max_length=13)


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,  # the service says what is wrong, on this field
        max_length=300,
    )


def _rows(form: MerchantFilterForm):
    rows = Merchant.objects.select_related("miniprogram").order_by("-created_at", "-id")
    if form.is_valid():
        appid = form.cleaned_data["appid"].strip()
        if appid:
            rows = rows.filter(miniprogram__appid=appid)
        mch_id = form.cleaned_data["mch_id"].strip()
        if mch_id:
            rows = rows.filter(mch_id=mch_id)
    return rows


def _page(request, *, forms_by_pk=None, errors_by_pk=None, status: int = 200):
    form = MerchantFilterForm(request.GET or None)
    page = keyset_page(request, _rows(form), ("-created_at", "-id"))
    forms_by_pk = forms_by_pk or {}
    errors_by_pk = errors_by_pk or {}
    rows = [
        {
            "merchant": merchant,
            "suspended": merchant.state == MerchantState.SUSPENDED,
            "form": forms_by_pk.get(merchant.pk) or SuspendForm(prefix=f"m{merchant.pk}"),
            "error": errors_by_pk.get(merchant.pk, ""),
        }
        for merchant in page.rows
    ]
    context = {
        "form": form if form.is_bound else MerchantFilterForm(),
        "page": page,
        "rows": rows,
    }
    return render(request, "ops/merchants/list.html", context, status=status)


@staff_required
@require_GET
def merchant_list(request):
    return _page(request)


@staff_required
@require_POST
def merchant_state(request, pk: int):
    merchant = get_object_or_404(Merchant.objects.select_related("miniprogram"), pk=pk)
    action = request.POST.get("action")
    form = SuspendForm(request.POST, prefix=f"m{merchant.pk}")
    if action not in ACTIONS:
        return _page(request, errors_by_pk={merchant.pk: _("Unknown action.")}, status=400)
    if action == "resume":
        try:
            merchant_resume(actor=actor_of(request), merchant=merchant)
        except PlatformError as error:
            return _page(request, errors_by_pk={merchant.pk: error.message()}, status=400)
        messages.success(
            request, _("Merchant %(mch_id)s was resumed.") % {"mch_id": merchant.mch_id}
        )
        return redirect("ops:merchants")
    if form.is_valid():
        try:
            merchant_suspend(
                actor=actor_of(request), merchant=merchant, reason=form.cleaned_data["reason"]
            )
        except PlatformError as error:
            if error.field != "reason":
                # e.g. already suspended: the row shows the resume form, so the message
                # goes on the row, not on a suspend form that is not drawn.
                return _page(request, errors_by_pk={merchant.pk: error.message()}, status=400)
            form.add_error("reason", error.message())
        else:
            messages.success(
                request,
                _("Merchant %(mch_id)s was suspended; its orders are refused until it is resumed.")
                % {"mch_id": merchant.mch_id},
            )
            return redirect("ops:merchants")
    return _page(request, forms_by_pk={merchant.pk: form}, status=400)
