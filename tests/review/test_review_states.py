"""The review machine's states (DESIGN.md, "State machines"; INF-2, INF-6 run on it):
one table of moves, a coded refusal for any other move with nothing changed, one open
review per target held by the database, history, audit and an event for every move."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from miniport.core import clock
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.review import registry, services
from miniport.review.errors import ReviewError
from miniport.review.models import (
    REASONS_MAX_LENGTH,
    REVIEW_TRANSITIONS,
    Review,
    ReviewHistory,
    ReviewState,
)
from tests.review.support import KIND, STUBBORN, open_one, snapshot

pytestmark = pytest.mark.django_db


def decide(actor, review, to):
    if to == ReviewState.APPROVED:
        return services.review_approve(actor=actor, review=review)
    if to == ReviewState.REJECTED:
        return services.review_reject(actor=actor, review=review, reasons=["no"])
    return services.review_withdraw(actor=actor, review=review)


def test_the_transition_table_names_every_state_and_only_open_states_move():
    assert set(REVIEW_TRANSITIONS) == set(ReviewState.values)
    assert {state for state, moves in REVIEW_TRANSITIONS.items() if moves} == {
        "pending",
        "delayed",
    }


def test_an_opened_review_is_pending_with_its_material_and_submitter(calls, developer):
    review = open_one(developer)
    assert (review.state, review.kind, review.material) == ("pending", KIND, {"n": 1})
    assert review.submitted_by == "developer" and review.submitted_at is not None
    assert list(review.history.values_list("action", "from_state", "to_state")) == [
        ("open", "", "pending")
    ]


@pytest.mark.parametrize("first", ["approved", "rejected", "withdrawn"])
@pytest.mark.parametrize("then", ["approved", "rejected", "withdrawn"])
def test_a_decided_review_refuses_every_further_move_and_nothing_changes(
    calls, alice, developer, first, then
):
    review = open_one(developer)
    decide(alice, review, first)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        decide(alice, Review.objects.get(pk=review.pk), then)
    assert caught.value.code == ReviewError.ILLEGAL_MOVE
    assert snapshot() == before


@pytest.mark.parametrize("move", ["claim", "release"])
def test_a_decided_review_can_be_neither_claimed_nor_released(calls, alice, developer, move):
    review = open_one(developer)
    services.review_approve(actor=alice, review=review)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        getattr(services, f"review_{move}")(actor=alice, review=review)
    assert caught.value.code == ReviewError.ILLEGAL_MOVE
    assert snapshot() == before


def test_approving_runs_the_kinds_callback_and_records_everything(calls, alice, developer):
    review = open_one(developer)
    audit_rows, events = AuditEntry.objects.count(), OutboxEvent.objects.count()
    services.review_approve(actor=alice, review=review, note="looks fine")
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.decided_by, stored.note) == (
        "approved",
        "alice@miniport.example",
        "looks fine",
    )
    assert stored.decided_at is not None and review.state == "approved"
    assert calls.approved == ["t-1"]
    assert ReviewHistory.objects.filter(review=review, action="approve").exists()
    assert AuditEntry.objects.count() == audit_rows + 1
    assert AuditEntry.objects.order_by("-id").first().action == "review.approve"
    assert OutboxEvent.objects.filter(kind="review.approve").count() == 1
    assert OutboxEvent.objects.count() == events + 1


def test_rejecting_keeps_each_reason_and_hands_them_to_the_kind(calls, alice, developer):
    review = open_one(developer)
    services.review_reject(actor=alice, review=review, reasons="名称侵权\n\n  与主体不符 ")
    assert Review.objects.get(pk=review.pk).reasons == ["名称侵权", "与主体不符"]
    assert calls.rejected == [("t-1", ["名称侵权", "与主体不符"])]


@pytest.mark.parametrize("reasons", ["", "   \n ", [], ["", " "]])
def test_rejecting_without_a_reason_is_refused_and_nothing_changes(
    calls, alice, developer, reasons
):
    review = open_one(developer)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        services.review_reject(actor=alice, review=review, reasons=reasons)
    assert (caught.value.code, caught.value.field) == (CoreError.FIELD_REQUIRED, "reason")
    assert snapshot() == before and calls.rejected == []


def test_reasons_longer_than_the_review_keeps_are_refused_not_cut(calls, alice, developer):
    review = open_one(developer)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        services.review_reject(
            actor=alice, review=review, reasons=["因" * (REASONS_MAX_LENGTH + 1)]
        )
    assert caught.value.code == CoreError.FIELD_INVALID
    assert snapshot() == before
    services.review_reject(actor=alice, review=review, reasons=["因" * REASONS_MAX_LENGTH])
    assert Review.objects.get(pk=review.pk).reasons == ["因" * REASONS_MAX_LENGTH]


def test_a_callback_that_refuses_leaves_the_review_undecided(calls, alice, developer):
    review = open_one(developer, target=STUBBORN)
    before = snapshot()
    with pytest.raises(PlatformError):
        services.review_approve(actor=alice, review=review)
    assert snapshot() == before
    assert Review.objects.get(pk=review.pk).state == "pending"


def test_withdrawing_runs_the_kinds_withdraw_callback(calls, developer):
    review = open_one(developer)
    services.review_withdraw(actor=developer, review=review)
    assert Review.objects.get(pk=review.pk).state == "withdrawn"
    assert calls.withdrawn == ["t-1"]


@pytest.mark.parametrize("move", ["claim", "approve", "reject"])
def test_only_platform_staff_claim_or_decide(calls, developer, move):
    review = open_one(developer)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        if move == "reject":
            services.review_reject(actor=developer, review=review, reasons=["x"])
        else:
            getattr(services, f"review_{move}")(actor=developer, review=review)
    assert caught.value.code == ReviewError.REVIEWER_ONLY
    assert snapshot() == before


def test_a_second_open_review_of_one_target_is_refused(calls, developer, alice):
    first = open_one(developer)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        open_one(developer)
    assert caught.value.code == ReviewError.ALREADY_OPEN
    assert snapshot() == before
    # Once decided, the target may go to review again.
    services.review_reject(actor=alice, review=first, reasons=["again"])
    assert open_one(developer).state == "pending"
    # Another target, or another kind's review of the same id, is independent.
    assert open_one(developer, target="t-2").state == "pending"


def test_the_database_refuses_a_second_open_review_when_the_service_is_bypassed(calls):
    """DESIGN: the database enforces the invariant, not only the service."""
    Review.objects.create(kind=KIND, target_id="t-9", submitted_at=clock.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(kind=KIND, target_id="t-9", submitted_at=clock.now())
    # Decided reviews of the target do not count.
    Review.objects.filter(target_id="t-9").update(state=ReviewState.REJECTED)
    Review.objects.create(kind=KIND, target_id="t-9", submitted_at=clock.now())
    Review.objects.create(kind=KIND, target_id="t-9", submitted_at=clock.now(), state="approved")
    assert Review.objects.filter(target_id="t-9").count() == 3


def test_an_unknown_kind_fails_loudly_and_writes_nothing(developer):
    before = snapshot()
    with pytest.raises(LookupError, match="unknown review kind"):
        services.review_open(actor=developer, kind="no.such.kind", target_id=1)
    with pytest.raises(LookupError):
        registry.get("no.such.kind")
    assert snapshot() == before


def test_registering_one_key_twice_with_other_callbacks_is_refused(calls):
    kind = registry.get(KIND)
    registry.register(kind)  # the same kind again is harmless
    other = registry.Kind(
        key=KIND,
        label="other",
        describe=kind.describe,
        approve=kind.approve,
        reject=kind.reject,
        is_member=kind.is_member,
    )
    with pytest.raises(ValueError):
        registry.register(other)


def test_the_domains_register_the_name_and_category_kinds():
    """INF-2, INF-6: both reviews run on the machine."""
    assert {"name", "category"} <= {kind.key for kind in registry.kinds()}
