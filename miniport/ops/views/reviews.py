"""Ops desk: one review queue over every registered kind (names, categories, and the
kinds later domains register). Operators filter the queue, claim a review so nobody
else decides it meanwhile, open its detail with the kind's description and documents,
and approve or reject it with reasons. Each step is one call of the review machine,
which refuses, audits and records history; a reviewer who belongs to the mini program
is refused there, not only here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from miniport.core.errors import PlatformError
from miniport.ops.access import actor_of, staff_required
from miniport.ops.forms.reviews import ReviewFilterForm, ReviewNoteForm, ReviewRejectForm
from miniport.ops.views.common import paginate, query_without_page
from miniport.review import registry, selectors, services
from miniport.review.models import REASONS_MAX_LENGTH, Review

ACTIONS = ("claim", "release", "approve", "reject")


def _review_or_404(pk) -> Review:
    review = selectors.review_by_pk(pk)
    if review is None:
        raise Http404
    return review


@staff_required
@require_GET
def review_queue(request):
    form = ReviewFilterForm(request.GET)
    if form.is_valid():
        rows = selectors.queue(**form.filters())
        status = 200
    else:
        # An unknown kind or state names no review: show the form's errors, no rows.
        rows = Review.objects.none()
        status = 400
    page = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "rows": selectors.queue_rows(page.object_list),
        "query": query_without_page(request),
    }
    return render(request, "ops/reviews/queue.html", context, status=status)


@staff_required
@require_GET
def review_detail(request, pk: int):
    review = _review_or_404(pk)
    actor = actor_of(request)
    kind = registry.get(review.kind)
    waited = selectors.waiting_time(review)
    context = {
        "review": review,
        "kind": kind,
        "description": kind.describe(review),
        "waiting": waited,
        "colour": selectors.sla_colour(waited),
        "history": review.history.all(),
        "mine": review.claimed_by == services.actor_key(actor),
        "is_member": kind.is_member(review, actor),
        "approve_form": ReviewNoteForm(),
        "reject_form": ReviewRejectForm(),
        "reason_max_length": REASONS_MAX_LENGTH,
    }
    return render(request, "ops/reviews/detail.html", context)


@staff_required
@require_POST
def review_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    review = _review_or_404(pk)
    actor = actor_of(request)
    title = registry.get(review.kind).describe(review).title
    try:
        if action == "claim":
            services.review_claim(actor=actor, review=review)
            messages.success(request, _("You claimed %(what)s.") % {"what": title})
        elif action == "release":
            services.review_release(actor=actor, review=review)
            messages.success(request, _("You released %(what)s.") % {"what": title})
        elif action == "approve":
            note = ReviewNoteForm(request.POST)
            if not note.is_valid():
                messages.error(request, " ".join(str(e) for e in note.errors["note"]))
                return redirect("ops:review_detail", pk=review.pk)
            services.review_approve(actor=actor, review=review, note=note.cleaned_data["note"])
            messages.success(request, _("%(what)s approved.") % {"what": title})
            return redirect("ops:reviews")
        else:
            form = ReviewRejectForm(request.POST)
            if not form.is_valid():
                if (request.POST.get("reason") or "").strip():
                    errors = [str(e) for field in form.errors.values() for e in field]
                    messages.error(request, " ".join(errors))
                else:
                    messages.error(request, _("Give a reason for the rejection."))
                return redirect("ops:review_detail", pk=review.pk)
            services.review_reject(
                actor=actor,
                review=review,
                reasons=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("%(what)s rejected.") % {"what": title})
            return redirect("ops:reviews")
    except PlatformError as error:
        messages.error(request, error.message())
    return redirect("ops:review_detail", pk=review.pk)


@staff_required
@require_GET
def review_document(request, pk: int, key: str):
    """One document of a review (a qualification, naming material), for the reviewer's
    eyes, typed by its checked content."""
    review = _review_or_404(pk)
    document = registry.get(review.kind).document
    found = document(review, key) if document is not None else None
    if found is None:
        raise Http404
    data, fmt = found
    response = HttpResponse(data, content_type=Image.MIME.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
