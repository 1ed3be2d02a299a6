"""Ops desk: certification fees (CER-2). The applications waiting for their 300 CNY fee,
searchable by AppID; an operator records a bank remittance against one (with the
transfer's reference), which starts its review like a sandbox payment would. The review
itself is the generic review queue's (kind "certification")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from miniport.accounts.selectors import yuan
from miniport.core.errors import PlatformError
from miniport.ops.access import actor_of, staff_required
from miniport.ops.views.common import keyset_page
from miniport.payments.certification import selectors, services
from miniport.payments.models import CertificationApplication, CertificationState, TradeState


class FeeFilterForm(forms.Form):
    appid = forms.CharField(label=gettext_lazy("AppID"), required=False, max_length=32)
    waiting = forms.BooleanField(
        label=gettext_lazy("Only those waiting for the fee"), required=False, initial=True
    )


class RemittanceForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Remittance reference"),
        required=False,  # the service says what is wrong, on this field
        max_length=100,
        help_text=gettext_lazy("The bank transfer's reference or serial number."),
    )


def _rows(form: FeeFilterForm):
    rows = CertificationApplication.objects.select_related(
        "miniprogram", "miniprogram__subject", "fee_order"
    ).order_by("-id")
    if form.is_valid():
        appid = form.cleaned_data["appid"].strip()
        if appid:
            rows = rows.filter(miniprogram__appid=appid)
        if form.cleaned_data["waiting"] or not form.data:
            rows = rows.filter(state=CertificationState.FEE_UNPAID)
    return rows


def _paid_on_phone(application) -> bool:
    """The fee order was paid; its notification has not moved the application yet."""
    order = application.fee_order
    return (
        application.state == CertificationState.FEE_UNPAID
        and order is not None
        and order.trade_state == TradeState.SUCCESS
    )


def _page(request, *, forms_by_pk=None, status: int = 200):
    form = FeeFilterForm(request.GET or None)
    page = keyset_page(request, _rows(form), ("-id",))
    forms_by_pk = forms_by_pk or {}
    reviews = selectors.reviews_of(page.rows)  # one query for the page (issue 14 item 2)
    rows = [
        {
            "application": application,
            "fee_yuan": yuan(application.fee_fen),
            "review": reviews.get(application.pk),
            "paid_on_phone": _paid_on_phone(application),
            "form": forms_by_pk.get(application.pk)
            or (
                RemittanceForm(prefix=f"a{application.pk}")
                if application.state == CertificationState.FEE_UNPAID
                and not _paid_on_phone(application)
                else None
            ),
        }
        for application in page.rows
    ]
    context = {
        "form": form if form.is_bound else FeeFilterForm(initial={"waiting": True}),
        "page": page,
        "rows": rows,
    }
    return render(request, "ops/certification/fees.html", context, status=status)


@staff_required
@require_GET
def certification_fees(request):
    return _page(request)


@staff_required
@require_POST
def certification_fee_remittance(request, pk: int):
    application = selectors.application_by_pk(pk)
    if application is None:
        raise Http404
    form = RemittanceForm(request.POST, prefix=f"a{application.pk}")
    if form.is_valid():
        try:
            services.certification_fee_record_remittance(
                actor=actor_of(request),
                application=application,
                reference=form.cleaned_data["reference"],
            )
        except PlatformError as error:
            form.add_error("reference" if error.field == "reference" else None, error.message())
        else:
            messages.success(
                request,
                _("The remittance was recorded; the certification of %(appid)s is under review.")
                % {"appid": application.miniprogram.appid},
            )
            return redirect("ops:certification_fees")
    return _page(request, forms_by_pk={application.pk: form}, status=400)
