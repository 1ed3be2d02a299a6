"""Helpers of the review machine tests."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.review import services
from miniport.review.models import Review, ReviewHistory

KIND = "test.thing"
# A target the throw-away kind refuses to approve, to show a refusing callback.
STUBBORN = "stubborn"
# A staff member the throw-away kind counts as a member of every target "own-*".
MEMBER = Actor("staff", "999", "member@miniport.example")


def open_one(actor, target="t-1", appid="wx0000000000000001", **extra):
    return services.review_open(
        actor=actor, kind=KIND, target_id=target, appid=appid, material={"n": 1}, **extra
    )


def snapshot() -> dict:
    """What a refused move must leave exactly as it was."""
    return {
        "reviews": sorted(
            Review.objects.values_list(
                "id", "state", "reasons", "note", "claimed_by", "decided_by", "decided_at"
            )
        ),
        "history": ReviewHistory.objects.count(),
        "audit": AuditEntry.objects.count(),
        "events": OutboxEvent.objects.count(),
    }
