"""INF-2 / INF-6: the operators' review desk for names and sensitive categories, one
queue over every review kind."""

from __future__ import annotations

import pytest
from django.utils import translation

from miniport.core.models import AuditEntry
from miniport.miniprograms.models import CategoryStatus
from miniport.review import selectors as review_selectors
from miniport.review.models import Review, ReviewState
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    add_bank_category,
    company_app_fixture,  # noqa: F401
    fresh,
    image_bytes,
    personal_app_fixture,  # noqa: F401
    request_name,
    snapshot,
)


@pytest.fixture
def staff_client(client, db):
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "reviewer@miniport.example",
        "Passw0rd!",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client.force_login(staff)
    return client


def category_review(row) -> Review:
    return review_selectors.latest_review("category", row.pk)


@pytest.fixture
def pending_name(personal_app):
    return request_name(personal_app, "待审核的名字")


@pytest.fixture
def reviewing_category(company_app):
    return add_bank_category(company_app)


def test_the_queue_lists_pending_names_and_categories(
    staff_client, pending_name, reviewing_category
):
    with translation.override("en"):
        html = staff_client.get("/ops/reviews/").content.decode()
    assert "待审核的名字" in html
    assert f'data-review="{category_review(reviewing_category).pk}"' in html
    assert 'data-kind="name"' in html and 'data-kind="category"' in html
    assert "金融许可证" in html


def test_approving_a_name_from_the_desk_renames_the_mini_program(
    staff_client, pending_name, personal_app
):
    """INF-2: takes effect on approval, audited."""
    response = staff_client.post(f"/ops/reviews/{pending_name.pk}/approve/")
    assert response.status_code == 302
    assert fresh(personal_app).name == "待审核的名字"
    assert AuditEntry.objects.filter(action="profile.name_approve", actor_kind="staff").exists()


def test_rejecting_a_name_without_a_reason_changes_nothing(
    staff_client, pending_name, personal_app
):
    before = snapshot(personal_app)
    staff_client.post(f"/ops/reviews/{pending_name.pk}/reject/", {"reason": ""})
    assert snapshot(personal_app) == before


def test_rejecting_a_name_with_a_reason(staff_client, pending_name):
    staff_client.post(f"/ops/reviews/{pending_name.pk}/reject/", {"reason": "涉嫌侵权"})
    review = Review.objects.get(pk=pending_name.pk)
    assert (review.state, review.reasons) == (ReviewState.REJECTED, ["涉嫌侵权"])


def test_approving_and_rejecting_categories(staff_client, reviewing_category):
    """INF-6: reviewing → approved / rejected with reason."""
    staff_client.post(
        f"/ops/reviews/{category_review(reviewing_category).pk}/reject/", {"reason": "许可证模糊"}
    )
    reviewing_category.refresh_from_db()
    assert (reviewing_category.status, reviewing_category.reason) == (
        CategoryStatus.REJECTED,
        "许可证模糊",
    )


def test_the_reviewer_can_open_the_qualification_image(staff_client, reviewing_category):
    review = category_review(reviewing_category)
    response = staff_client.get(f"/ops/reviews/{review.pk}/documents/0/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert staff_client.get(f"/ops/reviews/{review.pk}/documents/5/").status_code == 404


def test_console_accounts_do_not_reach_the_desk(client, personal_app, pending_name):
    client.force_login(personal_app.account)
    assert client.get("/ops/reviews/").status_code == 404
    before = snapshot(personal_app)
    assert client.post(f"/ops/reviews/{pending_name.pk}/approve/").status_code == 404
    assert snapshot(personal_app) == before
