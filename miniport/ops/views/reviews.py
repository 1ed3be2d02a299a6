"""Ops desk: one review queue over every registered kind (names, categories, code and the
kinds later domains register). Operators filter the queue, claim a review so nobody
else decides it meanwhile, open its detail with the kind's description and documents,
and approve, reject (reasons from the kind's catalog and free text, screenshots) or
delay it. Each step is one call of the review machine, which refuses, audits and records
history; a reviewer who belongs to the mini program is refused there, not only here.

The views name no kind: a kind's own part of the detail page is the data of its `detail`
hook (a code review's file tree, file viewer, pre-checks and diff), rendered with the
template `ops/reviews/kinds/<kind>.html` when there is one; its reasons to pick are its
`reason_choices`; only kinds with a `delay` callback offer the delay.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images
from miniport.ops.access import actor_of, staff_required
from miniport.ops.forms.reviews import (
    CodedRejectForm,
    ReviewDelayForm,
    ReviewFilterForm,
    ReviewNoteForm,
)
from miniport.ops.views.common import bounded_count, keyset_page
from miniport.review import registry, selectors, services
from miniport.review.models import REASONS_MAX_LENGTH, Review
from miniport.web.forms import add_platform_error

ACTIONS = ("claim", "release", "approve", "reject", "delay")
# Where the reviewers' screenshots are stored, once per content.
SCREENSHOT_FOLDER = "review-screenshots"


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
    # The queue's order (the longest waiting first), the id breaking ties.
    page = keyset_page(request, rows, ("submitted_at", "id"))
    context = {
        "form": form,
        "page": page,
        "total": bounded_count(rows),
        "rows": selectors.queue_rows(page.rows),
    }
    return render(request, "ops/reviews/queue.html", context, status=status)


@cache
def kind_template(key: str) -> str | None:
    """The desk's template for a kind's own part of the detail page, if it has one."""
    name = f"ops/reviews/kinds/{key}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def reason_choices(kind: registry.Kind) -> list[tuple[str, str]]:
    if kind.reason_choices is None:
        return []
    return [
        (str(key), str(label)) for key, label in kind.reason_choices(translation.get_language())
    ]


@staff_required
@require_GET
def review_detail(request, pk: int):
    return _detail(request, _review_or_404(pk))


def _detail(request, review: Review, *, refused=None, status: int = 200):
    """The review's page; after a refused rejection or delay, with what the reviewer
    typed kept in its form (`refused`), each refusal of the form on its field; the review
    machine's refusals, which name no field, stand on top of the page."""
    actor = actor_of(request)
    kind = registry.get(review.kind)
    waited = selectors.waiting_time(review)
    choices = reason_choices(kind)
    labels = dict(choices)
    panel = {}
    if kind.detail is not None:
        params = {
            "file": request.GET.get("file", "")[:500],
            "view_bytes": str(policy.value("ops.review_file_view_bytes")),
        }
        panel = dict(kind.detail(review, params))
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
        "reject_form": CodedRejectForm(choices=choices),
        "delay_form": ReviewDelayForm(asks_for_material=bool(kind.delay_label))
        if kind.delay is not None
        else None,
        "reason_labels": [labels.get(reason, reason) for reason in review.reasons or []],
        "reviewer_screenshots": list((review.material or {}).get("decision_screenshots") or []),
        "reason_max_length": REASONS_MAX_LENGTH,
        "panel": panel,
        "kind_template": kind_template(kind.key) if panel else None,
    }
    if isinstance(refused, CodedRejectForm):
        context["reject_form"] = refused
    elif isinstance(refused, ReviewDelayForm):
        context["delay_form"] = refused
    return render(request, "ops/reviews/detail.html", context, status=status)


def _store_screenshots(checked) -> tuple[list[str], list[str]]:
    """Store checked, re-encoded images once per content: (their names, those new)."""
    names, new = [], []
    for data, fmt in checked:
        digest = hashlib.sha256(data).hexdigest()
        name = f"{SCREENSHOT_FOLDER}/{digest[:2]}/{digest}.{images.extension(fmt)}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
            new.append(name)
        names.append(name)
    return names, new


def _forget(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _decide_with_reasons(request, review: Review, action: str, title: str):
    """Reject or delay: the form's reasons and screenshots, the machine's decision; the
    screenshots stored for a refused decision are removed again."""
    kind = registry.get(review.kind)
    form: CodedRejectForm | ReviewDelayForm
    if action == "reject":
        form = CodedRejectForm(request.POST, request.FILES, choices=reason_choices(kind))
    else:
        form = ReviewDelayForm(
            request.POST, request.FILES, asks_for_material=bool(kind.delay_label)
        )
    if not form.is_valid():
        # The page again with what was typed (files must be chosen again), not a redirect
        # that would lose the reasons.
        return _detail(request, review, refused=form, status=400)
    data = form.cleaned_data
    names, new = _store_screenshots(data.get("screenshots") or [])
    decide = services.review_reject if action == "reject" else services.review_delay
    try:
        decide(
            actor=actor_of(request),
            review=review,
            reasons=data["reasons"] if action == "reject" else data["reason"],
            note=data["note"],
            screenshots=names,
        )
    except PlatformError as error:
        _forget(new)
        review.refresh_from_db()
        if error.field in form.fields:
            add_platform_error(form, error)
        else:
            # The machine's refusal (a claim, a state, a member) names no field, and the
            # page may offer no form any more: it stands on top of the page.
            messages.error(request, error.message())
        return _detail(request, review, refused=form, status=400)
    if action == "reject":
        messages.success(request, _("%(what)s was rejected.") % {"what": title})
        return redirect("ops:reviews")
    # A kind whose delay asks for more material says so.
    done = _("%(what)s: more material requested.") if kind.delay_label else _("%(what)s delayed.")
    messages.success(request, done % {"what": title})
    return redirect("ops:review_detail", pk=review.pk)


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
            messages.success(request, _("%(what)s was approved.") % {"what": title})
            return redirect("ops:reviews")
        else:
            return _decide_with_reasons(request, review, action, title)
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
    # Images by Pillow's name of their format; a review's preview video is checked mp4.
    mime = "video/mp4" if fmt == "MP4" else Image.MIME.get(fmt, "application/octet-stream")
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def review_screenshot(request, pk: int, index: int):
    """One screenshot a reviewer attached to the review's rejection or delay."""
    review = _review_or_404(pk)
    names = list((review.material or {}).get("decision_screenshots") or [])
    if not 0 <= index < len(names) or not str(names[index]).startswith(SCREENSHOT_FOLDER + "/"):
        raise Http404
    name = str(names[index])
    if not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    fmt = images.sniff(data)
    if fmt is None:
        raise Http404
    response = HttpResponse(data, content_type=Image.MIME.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
