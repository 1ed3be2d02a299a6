"""Ops desk: the review queues of mini program names (INF-2) and sensitive service
categories (INF-6). Operators approve, or reject with a reason; each decision is one
service call, audited there."""

from __future__ import annotations

import io

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
from miniport.miniprograms.services import categories, media, profile
from miniport.ops.access import actor_of, staff_required

DECISIONS = ("approve", "reject")


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


@staff_required
@require_GET
def review_queue(request):
    names = (
        NameReview.objects.filter(status=ReviewStatus.PENDING)
        .select_related("miniprogram")
        .order_by("id")
    )
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


@staff_required
@require_GET
def certificate_image(request, pk: int, index: int):
    """A qualification image of a category, for the reviewer's eyes."""
    row = MiniProgramCategory.objects.filter(pk=pk).select_related("miniprogram").first()
    if row is None or not 0 <= index < len(row.certificates or []):
        raise Http404
    try:
        stored = media.media_get(row.miniprogram, row.certificates[index].get("value"))
    except PlatformError:
        raise Http404
    # The file was checked as an image on upload; name its type for the browser.
    try:
        with Image.open(io.BytesIO(stored.data)) as image:
            content_type = Image.MIME.get(image.format or "", "application/octet-stream")
    except Exception:
        raise Http404
    response = HttpResponse(stored.data, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("", review_queue, name="reviews"),
    path("names/<int:pk>/<str:decision>/", name_decide, name="review_name_decide"),
    path("categories/<int:pk>/<str:decision>/", category_decide, name="review_category_decide"),
    path(
        "categories/<int:pk>/certificates/<int:index>/",
        certificate_image,
        name="review_certificate",
    ),
]
