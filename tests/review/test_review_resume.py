"""A delayed review goes back to the queue when the submitter answers what the delay
asked for (CER-2, PAY-1: "ask for more material"): undecided again, with the added
material, the delay kept in the history only; any other state refuses and nothing moves."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.review import registry, services
from miniport.review.errors import ReviewError
from miniport.review.models import Review, ReviewState

pytestmark = pytest.mark.django_db

KIND = "test_material"
STAFF = Actor("staff", "101", "alice@miniport.example")
SUBMITTER = Actor("identity", "7", "developer")


@pytest.fixture(autouse=True)
def material_kind():
    registry.register(
        registry.Kind(
            key=KIND,
            label="thing with material",
            describe=lambda review: registry.Description(title="thing"),
            approve=lambda review, actor: None,
            reject=lambda review, actor, reasons: None,
            is_member=lambda review, actor: False,
            delay=lambda review, actor, reasons: None,
            delay_label="Ask for more material",
        )
    )
    yield
    registry.unregister(KIND)


def _delayed() -> Review:
    review = services.review_open(
        actor=SUBMITTER, kind=KIND, target_id="t-1", material={"documents": ["licence"]}
    )
    return services.review_delay(actor=STAFF, review=review, reasons=["the seal is unreadable"])


def test_a_resumed_review_is_undecided_again_with_the_added_material():
    review = _delayed()
    assert (review.state, review.decided_by, review.reasons) == (
        ReviewState.DELAYED,
        STAFF.label,
        ["the seal is unreadable"],
    )

    services.review_resume(
        actor=SUBMITTER, review=review, material={"documents": ["licence", "letter"]}
    )

    stored = Review.objects.get(pk=review.pk)
    assert stored.state == ReviewState.PENDING
    assert (stored.decided_by, stored.decided_at, stored.reasons) == ("", None, [])
    assert stored.material["documents"] == ["licence", "letter"]
    assert list(stored.history.values_list("action", "from_state", "to_state")) == [
        ("open", "", "pending"),
        ("delay", "pending", "delayed"),
        ("resume", "delayed", "pending"),
    ]
    # Resumed, it can be decided like any pending review.
    services.review_approve(actor=STAFF, review=stored)
    assert Review.objects.get(pk=review.pk).state == ReviewState.APPROVED


def test_only_a_delayed_review_can_be_resumed_and_a_refusal_moves_nothing():
    review = services.review_open(actor=SUBMITTER, kind=KIND, target_id="t-2")
    with pytest.raises(PlatformError) as refused:
        services.review_resume(actor=SUBMITTER, review=review, material={"x": 1})
    assert refused.value.code is ReviewError.ILLEGAL_MOVE
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.material) == (ReviewState.PENDING, {})
    assert stored.history.count() == 1
