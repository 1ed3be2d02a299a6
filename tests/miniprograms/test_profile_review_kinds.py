"""INF-2 / INF-6 on the review machine: the "name" and "category" kinds describe their
targets to the desk, apply decisions, and refuse a reviewer who belongs to the mini
program (a staff account that owns it)."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Account
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import CategoryStatus, PendingName
from miniport.miniprograms.services import categories, media, profile
from miniport.review import registry, selectors, services
from miniport.review.errors import ReviewError
from miniport.review.models import Review
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    add_bank_category,
    company_app_fixture,
    fresh,
    image_bytes,
    personal_app_fixture,
    request_name,
    snapshot,
    staff_actor_fixture,
)


def owner_as_staff(mp) -> Actor:
    """The mini program's own account, made platform staff: a member of it."""
    Account.objects.filter(pk=mp.account_id).update(is_staff=True)
    return Actor.for_account(Account.objects.get(pk=mp.account_id))


@pytest.fixture
def name_review(personal_app):
    return request_name(personal_app, "审核中的名字")


@pytest.fixture
def bank_category(company_app):
    return add_bank_category(company_app)


def test_a_name_request_opens_a_name_review_of_the_mini_program(personal_app, name_review):
    """INF-2: the target is the mini program; the requested name is held meanwhile."""
    assert (name_review.kind, name_review.target_id) == ("name", str(personal_app.pk))
    assert name_review.appid == personal_app.appid
    assert PendingName.objects.get(miniprogram=personal_app).review == name_review
    description = registry.get("name").describe(name_review)
    assert "审核中的名字" in description.title
    assert description.summary == f"{personal_app.name} → 审核中的名字"


def test_a_sensitive_category_opens_a_category_review_and_a_plain_one_does_not(
    company_app, bank_category
):
    """INF-6: only categories that need qualifications wait for an operator."""
    review = selectors.open_review("category", bank_category.pk)
    assert review is not None and review.appid == company_app.appid
    description = registry.get("category").describe(review)
    assert description.documents == (("0", "金融许可证"),)
    assert registry.get("category").document(review, "0")[1] == "PNG"
    assert registry.get("category").document(review, "x") is None
    plain = categories.category_add(
        actor=actor_of(company_app), miniprogram=company_app, first=1, second=101
    )
    assert plain.status == CategoryStatus.APPROVED
    assert selectors.latest_review("category", plain.pk) is None


def test_a_resubmitted_category_opens_a_new_review_and_keeps_the_old_decision(
    company_app, bank_category, staff_actor
):
    """INF-6: rejected → modified → pending again, on a new review."""
    first = selectors.open_review("category", bank_category.pk)
    categories.category_review_reject(actor=staff_actor, category=bank_category, reason="模糊")
    licence = media.media_upload(
        actor=actor_of(company_app),
        miniprogram=company_app,
        upload=image_bytes("JPEG"),
        media_type="image",
    )
    row = categories.category_modify(
        actor=actor_of(company_app),
        miniprogram=company_app,
        first=9,
        second=901,
        certificates=[{"key": "金融许可证", "value": licence.media_id}],
    )
    assert row.status == CategoryStatus.PENDING
    second = selectors.open_review("category", row.pk)
    assert second.pk != first.pk
    assert Review.objects.get(pk=first.pk).reasons == ["模糊"]


def test_withdrawing_a_name_review_frees_the_name_and_gives_the_change_back(
    personal_app, name_review
):
    """INF-2: a request that ends without approval uses no change."""
    assert profile.allowances(fresh(personal_app))["name"].remaining == 1
    services.review_withdraw(actor=actor_of(personal_app), review=name_review)
    assert not PendingName.objects.exists()
    assert profile.allowances(fresh(personal_app))["name"].remaining == 2
    assert not profile.name_taken("审核中的名字")


def test_a_staff_account_that_owns_the_mini_program_cannot_review_its_name(
    personal_app, name_review
):
    """A reviewer never reviews a mini program of which he is a member."""
    member = owner_as_staff(personal_app)
    assert registry.get("name").is_member(name_review, member)
    before = snapshot(personal_app)
    for move in (services.review_claim, services.review_approve):
        with pytest.raises(PlatformError) as caught:
            move(actor=member, review=name_review)
        assert caught.value.code == ReviewError.REVIEWER_IS_MEMBER
    with pytest.raises(PlatformError) as caught:
        profile.name_review_reject(actor=member, review=name_review, reason="自己驳回")
    assert caught.value.code == ReviewError.REVIEWER_IS_MEMBER
    assert snapshot(personal_app) == before


def test_a_staff_account_that_owns_the_mini_program_cannot_review_its_category(
    company_app, bank_category
):
    member = owner_as_staff(company_app)
    before = snapshot(company_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_review_approve(actor=member, category=bank_category)
    assert caught.value.code == ReviewError.REVIEWER_IS_MEMBER
    assert snapshot(company_app) == before


def test_other_staff_are_no_members(personal_app, name_review, staff_actor):
    assert not registry.get("name").is_member(name_review, staff_actor)
    assert not registry.get("name").is_member(name_review, Actor.system())
