"""Reads of reviews: the desk's queue over every kind, with waiting times.

Waiting time is computed when read, from `submitted_at` and the clock (DESIGN.md,
"Kernel: clock"): no scheduler marks a review late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db.models import Model, QuerySet

from miniport.core import clock, policy
from miniport.review import registry
from miniport.review.models import OPEN_STATES, Review, ReviewState

_Row = TypeVar("_Row", bound=Model)

# How the desk colours a waiting time (CSS badge classes of the ops desk).
ON_TIME, LATE, OVERDUE = "ok", "warn", "bad"


def queue(*, kind: str = "", state: str = ReviewState.PENDING, appid: str = "") -> QuerySet[Review]:
    """Reviews of every registered kind, the longest waiting first. An empty filter
    does not narrow; `state` "" lists every state."""
    rows = Review.objects.filter(kind__in=[k.key for k in registry.kinds()])
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    appid = (appid or "").strip()
    if appid:
        rows = rows.filter(appid=appid)
    return rows.order_by("submitted_at", "id")


def waiting_time(review: Review, *, now: datetime | None = None) -> timedelta:
    """How long the review waited: until its decision, or until now while it is open."""
    end = review.decided_at if review.decided_at and not review.is_open else now or clock.now()
    return max(timedelta(0), end - review.submitted_at)


def sla_colour(waiting: timedelta) -> str:
    hours = waiting.total_seconds() / 3600
    if hours >= policy.value("review.sla_hours"):
        return OVERDUE
    if hours >= policy.value("review.sla_warn_hours"):
        return LATE
    return ON_TIME


@dataclass(frozen=True)
class QueueRow:
    review: Review
    kind: registry.Kind
    description: registry.Description
    waiting: timedelta
    colour: str


def queue_rows(reviews) -> list[QueueRow]:
    """Each review with its kind, its target's description and its waiting time. The
    descriptions are read per kind, a page at once where the kind can (`describe_many`),
    so a page costs the same few queries however many rows it shows."""
    reviews = list(reviews)
    now = clock.now()
    kinds = {key: registry.get(key) for key in dict.fromkeys(r.kind for r in reviews)}
    described: dict[int, registry.Description] = {}
    for key, kind in kinds.items():
        of_kind = [review for review in reviews if review.kind == key]
        if kind.describe_many is not None:
            found = kind.describe_many(of_kind)
        else:
            found = [kind.describe(review) for review in of_kind]
        described.update(zip((id(review) for review in of_kind), found, strict=True))
    rows = []
    for review in reviews:
        waited = waiting_time(review, now=now)
        rows.append(
            QueueRow(
                review,
                kinds[review.kind],
                described[id(review)],
                waited,
                sla_colour(waited),
            )
        )
    return rows


def review_by_pk(pk) -> Review | None:
    """A review of a registered kind, or None."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return queue(state="").filter(pk=number).first()


def open_review(kind: str, target_id) -> Review | None:
    return Review.objects.filter(kind=kind, target_id=str(target_id), state__in=OPEN_STATES).first()


def latest_review(kind: str, target_id) -> Review | None:
    return Review.objects.filter(kind=kind, target_id=str(target_id)).order_by("-id").first()


def target_row(review: Review, rows: QuerySet[_Row], *, lock: bool = False) -> _Row | None:
    """The row of `rows` a review is about (its `target_id` read as a primary key), locked
    for the decision with `lock`; None when the target is not a number or the row is gone.
    For the kinds whose target is one row of their own table."""
    target = str(review.target_id)
    if not target.isdigit():
        return None
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=int(target)).first()
