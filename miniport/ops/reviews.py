"""Ops desk: the review queues of mini program names (INF-2) and sensitive service
categories (INF-6). Operators approve, or reject with a reason; each decision is one
service call, audited there."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from miniport.core.errors import PlatformError
from miniport.miniprograms.models import (
    CategoryStatus,
    MiniProgramCategory,
    NameReview,
    ReviewStatus,
)
from miniport.miniprograms.services import categories, profile
from miniport.ops.access import actor_of, staff_required

DECISIONS = ("approve", "reject")


def material_label(name: str) -> str:
    """How the queue names one kind of naming material (setnickname's fields)."""
    if name == "id_card":
        return _("ID card")
    if name == "license":
        return _("Business licence")
    return _("Other material %(n)s") % {"n": name.rsplit("_", 1)[-1]}


class RejectForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Refused above what a review row holds, never cut short.
        self.fields["reason"] = forms.CharField(
            label=gettext_lazy("Reason"), max_length=profile.reason_max_length()
        )


@staff_required
@require_GET
def review_queue(request):
    names = [
        {
            "review": review,
            "material": [(name, material_label(name)) for name in profile.naming_material(review)],
        }
        for review in NameReview.objects.filter(status=ReviewStatus.PENDING)
        .select_related("miniprogram")
        .order_by("id")
    ]
    pending_categories = (
        MiniProgramCategory.objects.filter(status=CategoryStatus.REVIEWING)
        .select_related("miniprogram", "miniprogram__subject")
        .order_by("id")
    )
    recent_names = NameReview.objects.exclude(status=ReviewStatus.PENDING).select_related(
        "miniprogram"
    )[:20]
    context = {
        "names": names,
        "categories": pending_categories,
        "recent_names": recent_names,
        "reject_form": RejectForm(),
        "reason_max_length": profile.reason_max_length(),
    }
    return render(request, "ops/reviews/queue.html", context)


def _decide(request, decision: str, approve, reject, label: str):
    if decision not in DECISIONS:
        raise Http404
    try:
        if decision == "approve":
            approve()
            messages.success(request, _("%(what)s approved.") % {"what": label})
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                if (request.POST.get("reason") or "").strip():
                    messages.error(request, " ".join(form.errors["reason"]))
                else:
                    messages.error(request, _("Give a reason for the rejection."))
                return redirect("ops:reviews")
            reject(form.cleaned_data["reason"])
            messages.success(request, _("%(what)s rejected.") % {"what": label})
    except PlatformError as error:
        messages.error(request, error.message())
    return redirect("ops:reviews")


@staff_required
@require_POST
def name_decide(request, pk: int, decision: str):
    review = NameReview.objects.filter(pk=pk).first()
    if review is None:
        raise Http404
    actor = actor_of(request)
    return _decide(
        request,
        decision,
        lambda: profile.name_review_approve(actor=actor, review=review),
        lambda reason: profile.name_review_reject(actor=actor, review=review, reason=reason),
        _("Name “%(name)s”") % {"name": review.requested_name},
    )


@staff_required
@require_POST
def category_decide(request, pk: int, decision: str):
    row = MiniProgramCategory.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    actor = actor_of(request)
    return _decide(
        request,
        decision,
        lambda: categories.category_review_approve(actor=actor, category=row),
        lambda reason: categories.category_review_reject(actor=actor, category=row, reason=reason),
        _("Category %(name)s") % {"name": f"{row.first_name} > {row.second_name}"},
    )


def _image_response(found: tuple[bytes, str] | None) -> HttpResponse:
    """A stored document for the reviewer's eyes, typed by its (checked) content."""
    if found is None:
        raise Http404
    data, fmt = found
    response = HttpResponse(data, content_type=Image.MIME.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def certificate_image(request, pk: int, index: int):
    """A qualification document of a category (its permanent copy)."""
    row = MiniProgramCategory.objects.filter(pk=pk).select_related("miniprogram").first()
    if row is None:
        raise Http404
    return _image_response(categories.certificate_image(row, index))


@staff_required
@require_GET
def naming_material_image(request, pk: int, name: str):
    """One document of a name request's naming material (its permanent copy)."""
    review = NameReview.objects.filter(pk=pk).first()
    if review is None:
        raise Http404
    return _image_response(profile.naming_material_image(review, name))


urlpatterns = [
    path("", review_queue, name="reviews"),
    path("names/<int:pk>/<str:decision>/", name_decide, name="review_name_decide"),
    path("categories/<int:pk>/<str:decision>/", category_decide, name="review_category_decide"),
    path(
        "categories/<int:pk>/certificates/<int:index>/",
        certificate_image,
        name="review_certificate",
    ),
    path(
        "names/<int:pk>/material/<str:name>/",
        naming_material_image,
        name="review_naming_material",
    ),
]
