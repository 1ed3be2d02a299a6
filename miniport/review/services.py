"""The moves of a review, each a named action with an explicit actor, one transaction,
a history row, an audit row and an event.

Refusals (`ReviewError` unless noted), after which nothing changed:
- a move the state table (`REVIEW_TRANSITIONS`) does not allow: ILLEGAL_MOVE;
- a second open review of one target: ALREADY_OPEN (the database constraint decides);
- claiming, releasing or deciding by anyone but platform staff: REVIEWER_ONLY;
- claiming or deciding a review of something the reviewer belongs to: REVIEWER_IS_MEMBER;
- deciding or claiming a review someone else claimed: CLAIMED_BY_OTHER;
- releasing a claim one does not hold: NOT_CLAIMED_BY_YOU;
- delaying a review of a kind that registered no `delay` callback: ILLEGAL_MOVE;
- rejecting or delaying without a reason (CoreError.FIELD_REQUIRED) or with reasons
  longer than `REASONS_MAX_LENGTH` (CoreError.FIELD_INVALID); with more than
  `SCREENSHOTS_MAX` screenshots (CoreError.FIELD_INVALID).

A rejection or a delay may carry the reviewer's screenshots: references to images the
surface already checked and stored, kept in the review's material as
`decision_screenshots` (the kind's callback reads them from the review it is given).

Every move is a conditional UPDATE on the state (and the claim) read before it, so two
operators deciding at once cannot both win: the second finds the row moved and is
refused, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Translatable
from miniport.review import registry
from miniport.review.errors import ReviewError
from miniport.review.models import (
    REASONS_MAX_LENGTH,
    REVIEW_TRANSITIONS,
    Review,
    ReviewHistory,
    ReviewState,
)

REVIEWER_KINDS = frozenset({"staff", "system"})
# At most this many screenshots with one rejection or delay; each reference at most
# SCREENSHOT_REF_MAX characters.
SCREENSHOTS_MAX = 5
SCREENSHOT_REF_MAX = 200


def actor_key(actor: Actor) -> str:
    """How a claim names its holder: kind and id, never the label, which may repeat."""
    return f"{actor.kind}:{actor.id}"


def clean_reasons(reasons: Iterable[str] | str | None) -> list[str]:
    """The reasons of a rejection: one per item (or per line of a text), blanks dropped."""
    if reasons is None:
        items: list[str] = []
    elif isinstance(reasons, str):
        items = reasons.splitlines()
    else:
        items = [str(reason) for reason in reasons]
    clean = [" ".join(item.split()) for item in items]
    clean = [item for item in clean if item]
    if not clean:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reason")
    if len("\n".join(clean)) > REASONS_MAX_LENGTH:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="reason",
            reason=Translatable(gettext_noop("at most %(max)s characters"), max=REASONS_MAX_LENGTH),
        )
    return clean


def clean_screenshots(screenshots: Iterable[str] | None) -> list[str]:
    """The references of a decision's screenshots, blanks dropped."""
    refs = [str(ref).strip() for ref in screenshots or () if str(ref).strip()]
    if len(refs) > SCREENSHOTS_MAX or any(len(ref) > SCREENSHOT_REF_MAX for ref in refs):
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="screenshots",
            reason=Translatable(gettext_noop("at most %(max)s screenshots"), max=SCREENSHOTS_MAX),
        )
    return refs


def _record(
    actor: Actor, review: Review, action: str, before: str, note: str = "", **after: Any
) -> None:
    ReviewHistory.objects.create(
        review=review,
        action=action,
        from_state=before,
        to_state=review.state,
        at=clock.now(),
        actor_label=actor.label,
        note=note[:300],
    )
    audit.record(
        actor,
        f"review.{action}",
        target=review,
        appid=review.appid,
        before={"state": before},
        after={"kind": review.kind, "target": review.target_id, "state": review.state, **after},
    )
    events.emit(
        f"review.{action}",
        {"review": review.pk, "kind": review.kind, "target": review.target_id, "from": before},
        appid=review.appid,
    )


def review_open(
    *,
    actor: Actor,
    kind: str,
    target_id: Any,
    appid: str = "",
    material: dict | None = None,
    submitted_by: str | None = None,
) -> Review:
    """Open a review of a target; a target with an open review is refused."""
    registry.get(kind)  # an unknown kind fails loudly, before anything is written
    with transaction.atomic():
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    kind=kind,
                    target_id=str(target_id),
                    appid=appid,
                    material=material or {},
                    submitted_by=actor.label if submitted_by is None else submitted_by,
                    submitted_at=clock.now(),
                )
        except IntegrityError:
            raise PlatformError(ReviewError.ALREADY_OPEN) from None
        _record(actor, review, "open", "")
    return review


def _fresh(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)


def _require_reviewer(actor: Actor, review: Review) -> None:
    if actor.kind not in REVIEWER_KINDS:
        raise PlatformError(ReviewError.REVIEWER_ONLY)
    if registry.get(review.kind).is_member(review, actor):
        raise PlatformError(ReviewError.REVIEWER_IS_MEMBER)


def _require_move(review: Review, to: str, action: str) -> None:
    if to not in REVIEW_TRANSITIONS.get(review.state, set()):
        raise PlatformError(ReviewError.ILLEGAL_MOVE, state=review.state, action=action)


def _require_claim_free_or_mine(review: Review, actor: Actor) -> None:
    if review.claimed_by and review.claimed_by != actor_key(actor):
        raise PlatformError(ReviewError.CLAIMED_BY_OTHER, who=review.claimed_by_label)


def _sync(target: Review, source: Review) -> None:
    """Keep the caller's instance in step with what was stored."""
    for field in (f.attname for f in Review._meta.concrete_fields):
        setattr(target, field, getattr(source, field))


def review_claim(*, actor: Actor, review: Review) -> Review:
    """Take a review to decide it; others may then neither claim nor decide it."""
    with transaction.atomic():
        current = _fresh(review)
        _require_reviewer(actor, current)
        if not current.is_open:
            raise PlatformError(ReviewError.ILLEGAL_MOVE, state=current.state, action="claim")
        if current.claimed_by == actor_key(actor):
            _sync(review, current)
            return review
        _require_claim_free_or_mine(current, actor)
        now = clock.now()
        moved = Review.objects.filter(pk=current.pk, state=current.state, claimed_by="").update(
            claimed_by=actor_key(actor), claimed_by_label=actor.label, claimed_at=now
        )
        if not moved:
            # Someone claimed or decided it since we read it: the second look refuses
            # with what happened.
            return review_claim(actor=actor, review=review)
        current = _fresh(current)
        _record(actor, current, "claim", current.state)
    _sync(review, current)
    return review


def review_release(*, actor: Actor, review: Review) -> Review:
    """Give a claimed review back to the queue."""
    with transaction.atomic():
        current = _fresh(review)
        if actor.kind not in REVIEWER_KINDS:
            raise PlatformError(ReviewError.REVIEWER_ONLY)
        if not current.is_open:
            raise PlatformError(ReviewError.ILLEGAL_MOVE, state=current.state, action="release")
        moved = Review.objects.filter(
            pk=current.pk, state=current.state, claimed_by=actor_key(actor)
        ).update(claimed_by="", claimed_by_label="", claimed_at=None)
        if not moved:
            raise PlatformError(ReviewError.NOT_CLAIMED_BY_YOU)
        current = _fresh(current)
        _record(actor, current, "release", current.state)
    _sync(review, current)
    return review


def _decide(
    actor: Actor,
    review: Review,
    to: str,
    action: str,
    *,
    reasons: list[str],
    note: str,
    callback: Callable[[Review], None] | None,
    screenshots: list[str] | None = None,
) -> Review:
    with transaction.atomic():
        current = _fresh(review)
        if to != ReviewState.WITHDRAWN:
            _require_reviewer(actor, current)
        _require_move(current, to, action)
        if to != ReviewState.WITHDRAWN:
            _require_claim_free_or_mine(current, actor)
        # Compare and set: the state and the claim as read, or nothing moves.
        changes: dict[str, Any] = {}
        if screenshots is not None:
            changes["material"] = {**(current.material or {}), "decision_screenshots": screenshots}
        moved = Review.objects.filter(
            pk=current.pk, state=current.state, claimed_by=current.claimed_by
        ).update(
            state=to,
            reasons=reasons,
            note=note[:300],
            decided_by=actor.label,
            decided_at=clock.now(),
            **changes,
        )
        if not moved:
            # Moved or claimed by someone else since we read it: refuse with what happened.
            latest = _fresh(current)
            if latest.is_open:
                raise PlatformError(ReviewError.CLAIMED_BY_OTHER, who=latest.claimed_by_label)
            raise PlatformError(ReviewError.ILLEGAL_MOVE, state=latest.state, action=action)
        decided = _fresh(current)
        if callback is not None:
            callback(decided)
        _record(actor, decided, action, current.state, note=note, reasons=reasons)
    _sync(review, decided)
    return review


def review_approve(*, actor: Actor, review: Review, note: str = "") -> Review:
    """Approve: the kind applies the decision to its target in the same transaction."""
    kind = registry.get(review.kind)
    return _decide(
        actor,
        review,
        ReviewState.APPROVED,
        "approve",
        reasons=[],
        note=note,
        callback=lambda decided: kind.approve(decided, actor),
    )


def review_reject(
    *,
    actor: Actor,
    review: Review,
    reasons: Iterable[str] | str,
    note: str = "",
    screenshots: Iterable[str] | None = None,
) -> Review:
    """Reject with at least one reason; the kind applies it to its target."""
    kind = registry.get(review.kind)
    clean = clean_reasons(reasons)
    shots = clean_screenshots(screenshots)
    return _decide(
        actor,
        review,
        ReviewState.REJECTED,
        "reject",
        reasons=clean,
        note=note,
        callback=lambda decided: kind.reject(decided, actor, clean),
        screenshots=shots,
    )


def review_withdraw(*, actor: Actor, review: Review, note: str = "") -> Review:
    """The submitter takes an open review back; the domain decides who may call this."""
    kind = registry.get(review.kind)
    withdraw = kind.withdraw
    return _decide(
        actor,
        review,
        ReviewState.WITHDRAWN,
        "withdraw",
        reasons=[],
        note=note,
        callback=(lambda decided: withdraw(decided, actor)) if withdraw else None,
    )


def review_delay(
    *,
    actor: Actor,
    review: Review,
    reasons: Iterable[str] | str,
    note: str = "",
    screenshots: Iterable[str] | None = None,
) -> Review:
    """Keep the review open but tell the submitter why the decision takes longer
    (WeChat's audit status 4). Only kinds that registered a `delay` callback."""
    kind = registry.get(review.kind)
    delay = kind.delay
    if delay is None:
        raise PlatformError(ReviewError.ILLEGAL_MOVE, state=review.state, action="delay")
    clean = clean_reasons(reasons)
    shots = clean_screenshots(screenshots)
    return _decide(
        actor,
        review,
        ReviewState.DELAYED,
        "delay",
        reasons=clean,
        note=note,
        callback=lambda decided: delay(decided, actor, clean),
        screenshots=shots,
    )


def review_resume(*, actor: Actor, review: Review, material: dict | None = None) -> Review:
    """A delayed review goes back to the queue: the submitter answered what the delay
    asked for (a kind that asks for more material adds it to the review's material). The
    domain decides who may call this; the claim, if any, stays with its reviewer."""
    with transaction.atomic():
        current = _fresh(review)
        _require_move(current, ReviewState.PENDING, "resume")
        changes: dict[str, Any] = {}
        if material:
            changes["material"] = {**(current.material or {}), **material}
        # Back to undecided: the delay's reasons and decider stay in the history only.
        moved = Review.objects.filter(pk=current.pk, state=ReviewState.DELAYED).update(
            state=ReviewState.PENDING, reasons=[], decided_by="", decided_at=None, **changes
        )
        if not moved:
            latest = _fresh(current)
            raise PlatformError(ReviewError.ILLEGAL_MOVE, state=latest.state, action="resume")
        resumed = _fresh(current)
        _record(actor, resumed, "resume", current.state)
    _sync(review, resumed)
    return review
