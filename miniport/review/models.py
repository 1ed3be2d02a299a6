"""Reviews of any kind (DESIGN.md, "State machines").

A `Review` is one submission of one target for one decision: a requested name, a
sensitive category, later a code version or a plugin. The kind says what the target is
(`registry`); the row keeps the process: who submitted it and when, who holds the claim,
who decided, why. At most one review per target is open at a time, and the database
holds that, not the services alone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    PENDING = "pending", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # The reviewer needs more time and says why (WeChat's audit status 4); still open.
    DELAYED = "delayed", _("review delayed")


# The states in which a review still waits for its decision.
OPEN_STATES: tuple[str, ...] = (ReviewState.PENDING, ReviewState.DELAYED)

# The only legal moves; every service checks here before changing a state.
REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewState.PENDING: {
        ReviewState.APPROVED,
        ReviewState.REJECTED,
        ReviewState.WITHDRAWN,
        ReviewState.DELAYED,
    },
    # Back to the queue when the submitter answers what the delay asked for (more material).
    ReviewState.DELAYED: {
        ReviewState.PENDING,
        ReviewState.APPROVED,
        ReviewState.REJECTED,
        ReviewState.WITHDRAWN,
    },
    ReviewState.APPROVED: set(),
    ReviewState.REJECTED: set(),
    ReviewState.WITHDRAWN: set(),
}

# The reasons of a rejection, joined by line breaks, fit in this many characters: the
# kinds copy them into their own rows (a category keeps its rejection reason).
REASONS_MAX_LENGTH = 300


class Review(models.Model):
    kind = models.CharField(max_length=40)
    # The target's primary key as text, so that every kind's target fits one column.
    target_id = models.CharField(max_length=64)
    # Denormalised from the target: the desk filters by it and the member check needs it.
    appid = models.CharField(max_length=32, blank=True, db_index=True)
    state = models.CharField(
        max_length=12, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reasons = models.JSONField(default=list, blank=True)
    # What the reviewer looks at, as the kind recorded it when the review opened.
    material = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    submitted_by = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField()
    # The claimant as "<actor kind>:<actor id>", so that only he decides or releases.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_by_label = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # One open review per target (DESIGN.md, "State machines").
            models.UniqueConstraint(
                fields=["kind", "target_id"],
                condition=Q(state__in=OPEN_STATES),
                name="review_one_open_per_target",
            ),
        ]
        # The desk's queue, the longest waiting first by keyset on (submitted_at, id): by
        # state, by kind and state, and in every state (issue 14 item 2).
        indexes = [
            models.Index(fields=["state", "submitted_at", "id"], name="review_queue_idx"),
            models.Index(fields=["kind", "state", "submitted_at", "id"], name="review_kind_queue"),
            models.Index(fields=["submitted_at", "id"], name="review_submitted_id"),
            # The reviews of a page of targets in any state (the fee desk's list).
            models.Index(fields=["kind", "target_id", "id"], name="review_kind_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def reason_text(self) -> str:
        """The reasons as one text, one per line."""
        return "\n".join(str(reason) for reason in self.reasons or [])


class ReviewHistory(models.Model):
    """One row per move and per claim or release of a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} -> {self.to_state}"
