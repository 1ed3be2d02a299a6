"""REG-6, REG-7, REG-11: registrations seen and decided by staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from miniport.accounts.models import RegistrationStatus
from miniport.accounts.selectors import registration_state
from miniport.accounts.services.verification import (
    registration_fail,
    registration_verify,
    registrations_fail_overdue,
)
from miniport.core.errors import PlatformError
from miniport.ops import presentation, queries
from miniport.ops.access import actor_of, staff_required
from miniport.ops.forms.registrations import FailForm, RegistrationFilterForm, VerifyForm
from miniport.ops.views.common import keyset_page
from miniport.web.forms import add_platform_error

DECIDABLE = (RegistrationStatus.PENDING_REMITTANCE, RegistrationStatus.PENDING_CERTIFICATION)


def _row(registration) -> dict:
    remittance = getattr(registration, "remittance", None)
    deadline = remittance.deadline if remittance is not None else None
    waiting = registration.status == RegistrationStatus.PENDING_REMITTANCE
    return {
        "registration": registration,
        "subject": getattr(registration, "subject", None),
        "remittance": remittance,
        "deadline": deadline if waiting else None,
        "days_left": presentation.days_left(deadline) if waiting else None,
    }


@staff_required
def home(request):
    return redirect("ops:registrations")


@staff_required
def registration_list(request):
    # The 10-day failures are already true when read; writing them down here keeps
    # the status filter honest (REG-6).
    registrations_fail_overdue()
    form = RegistrationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(
        request, queries.registrations(**{k: v for k, v in filters.items() if v}), ("-id",)
    )
    return render(
        request,
        "ops/registrations/list.html",
        {"form": form, "page": page, "rows": [_row(r) for r in page.rows]},
    )


def _load(pk: int):
    registration = queries.registration_detail(pk)
    if registration is None:
        raise Http404
    return registration


def _detail(request, registration, *, verify_form=None, fail_form=None, status=200):
    state = registration_state(registration)
    return render(
        request,
        "ops/registrations/detail.html",
        {
            "registration": registration,
            # The effective state: a remittance past its deadline reads as failed (REG-11).
            "state": state,
            "subject": getattr(registration, "subject", None),
            "remittance": getattr(registration, "remittance", None),
            "orders": registration.certification_orders.order_by("id"),
            "history": registration.history.order_by("id"),
            "decidable": registration.status in DECIDABLE and not state.is_overdue,
            "verify_form": verify_form or VerifyForm(),
            "fail_form": fail_form or FailForm(),
        },
        status=status,
    )


@staff_required
def registration_detail(request, pk: int):
    return _detail(request, _load(pk))


@staff_required
@require_POST
def registration_verify_view(request, pk: int):
    registration = _load(pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            registration_verify(
                actor=actor_of(request), registration=registration, note=form.cleaned_data["note"]
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            messages.success(request, _("The subject is verified; the registration is active."))
            return redirect("ops:registration_detail", pk=pk)
    return _detail(request, _load(pk), verify_form=form, status=400)


@staff_required
@require_POST
def registration_fail_view(request, pk: int):
    registration = _load(pk)
    form = FailForm(request.POST)
    if form.is_valid():
        try:
            registration_fail(
                actor=actor_of(request),
                registration=registration,
                reason=form.cleaned_data["reason"],
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            messages.success(request, _("The registration is marked as failed."))
            return redirect("ops:registration_detail", pk=pk)
    return _detail(request, _load(pk), fail_form=form, status=400)
