"""Claims: a reviewer takes a review so that nobody else decides it meanwhile, and
gives it back; a reviewer who belongs to what he reviews is refused."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.review import services
from miniport.review.errors import ReviewError
from miniport.review.models import Review
from tests.review.support import MEMBER, open_one, snapshot

pytestmark = pytest.mark.django_db


def test_a_claimed_review_names_its_claimant_and_records_the_claim(calls, alice, developer):
    review = open_one(developer)
    services.review_claim(actor=alice, review=review)
    stored = Review.objects.get(pk=review.pk)
    assert (stored.claimed_by, stored.claimed_by_label) == ("staff:101", "alice@miniport.example")
    assert stored.claimed_at is not None and stored.state == "pending"
    assert list(stored.history.values_list("action", flat=True)) == ["open", "claim"]


def test_claiming_ones_own_claim_again_changes_nothing(calls, alice, developer):
    review = open_one(developer)
    services.review_claim(actor=alice, review=review)
    before = snapshot()
    services.review_claim(actor=alice, review=review)
    assert snapshot() == before


@pytest.mark.parametrize("move", ["claim", "approve", "reject"])
def test_a_review_claimed_by_someone_else_cannot_be_claimed_or_decided(
    calls, alice, bob, developer, move
):
    review = open_one(developer)
    services.review_claim(actor=alice, review=review)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        if move == "reject":
            services.review_reject(actor=bob, review=review, reasons=["no"])
        else:
            getattr(services, f"review_{move}")(actor=bob, review=review)
    assert caught.value.code == ReviewError.CLAIMED_BY_OTHER
    assert caught.value.params == {"who": "alice@miniport.example"}
    assert snapshot() == before and calls.approved == [] and calls.rejected == []


def test_the_claimant_decides_his_claimed_review(calls, alice, developer):
    review = open_one(developer)
    services.review_claim(actor=alice, review=review)
    services.review_approve(actor=alice, review=review)
    assert Review.objects.get(pk=review.pk).state == "approved"


def test_an_unclaimed_review_may_be_decided_directly(calls, bob, developer):
    review = open_one(developer)
    services.review_reject(actor=bob, review=review, reasons=["blurred"])
    assert Review.objects.get(pk=review.pk).decided_by == "bob@miniport.example"


def test_only_the_claimant_releases_and_then_others_may_claim(calls, alice, bob, developer):
    review = open_one(developer)
    services.review_claim(actor=alice, review=review)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        services.review_release(actor=bob, review=review)
    assert caught.value.code == ReviewError.NOT_CLAIMED_BY_YOU
    assert snapshot() == before

    services.review_release(actor=alice, review=review)
    stored = Review.objects.get(pk=review.pk)
    assert (stored.claimed_by, stored.claimed_by_label, stored.claimed_at) == ("", "", None)
    services.review_claim(actor=bob, review=review)
    assert Review.objects.get(pk=review.pk).claimed_by == "staff:102"
    assert list(stored.history.values_list("action", flat=True)) == [
        "open",
        "claim",
        "release",
        "claim",
    ]


def test_releasing_an_unclaimed_review_is_refused(calls, alice, developer):
    review = open_one(developer)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        services.review_release(actor=alice, review=review)
    assert caught.value.code == ReviewError.NOT_CLAIMED_BY_YOU
    assert snapshot() == before


@pytest.mark.parametrize("move", ["claim", "approve", "reject"])
def test_a_reviewer_who_is_a_member_is_refused(calls, developer, move):
    """The kind's `is_member` check: a reviewer never reviews what he belongs to."""
    review = open_one(developer, target="own-1")
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        if move == "reject":
            services.review_reject(actor=MEMBER, review=review, reasons=["no"])
        else:
            getattr(services, f"review_{move}")(actor=MEMBER, review=review)
    assert caught.value.code == ReviewError.REVIEWER_IS_MEMBER
    assert snapshot() == before
    # The same reviewer decides what he does not belong to.
    services.review_approve(actor=MEMBER, review=open_one(developer, target="other-1"))
