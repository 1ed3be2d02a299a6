"""The ops desk's one review queue over every kind (issue 7; INF-2, INF-6): filters,
waiting times with colours, claims, the detail page, decisions with reasons, and the
reviewer who is a member being refused. Bad input never answers 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.accounts.models import Account, AccountKind
from miniport.core import clock, policy
from miniport.miniprograms.models import MiniProgramCategory
from miniport.review import selectors
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
)
from tests.ops.journeys import PASSWORD


@pytest.fixture
def name_review(personal_app):
    return request_name(personal_app, "柜台上的名字")


@pytest.fixture
def category_review(company_app):
    return selectors.open_review("category", add_bank_category(company_app).pk)


@pytest.fixture
def second_operator(db):
    return Account.objects.create_user(
        "second@miniport.example", PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


def rows_of(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-review="')[1:]]


def queue(client, **params) -> str:
    response = client.get("/ops/reviews/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_shows_every_kind_and_filters_by_kind_and_appid(
    staff_client, name_review, category_review, company_app
):
    assert rows_of(queue(staff_client)) == [str(name_review.pk), str(category_review.pk)]
    assert rows_of(queue(staff_client, kind="category")) == [str(category_review.pk)]
    assert rows_of(queue(staff_client, appid=company_app.appid)) == [str(category_review.pk)]


def test_decided_reviews_show_under_their_state_or_any_state(
    staff_client, staff, name_review, category_review
):
    staff_client.post(f"/ops/reviews/{name_review.pk}/approve/")
    assert rows_of(queue(staff_client)) == [str(category_review.pk)]
    assert rows_of(queue(staff_client, state="approved")) == [str(name_review.pk)]
    assert rows_of(queue(staff_client, state="all")) == [
        str(name_review.pk),
        str(category_review.pk),
    ]


@pytest.mark.parametrize(
    "params", [{"kind": "nope"}, {"state": "open"}, {"appid": "x" * 40}, {"page": "zz"}]
)
def test_bad_filters_are_refused_without_a_server_error(staff_client, name_review, params):
    response = staff_client.get("/ops/reviews/", params)
    assert response.status_code in (200, 400)
    if "page" not in params:
        assert response.status_code == 400 and rows_of(response.content.decode()) == []


def test_waiting_times_are_coloured_in_the_queue(staff_client, staff, name_review):
    """B-4: a review waiting past the policy's hours shows as overdue."""
    hours = policy.value("review.sla_hours")
    with time_machine.travel(clock.now() + timedelta(hours=hours, minutes=1), tick=False):
        staff_client.force_login(staff)  # sessions end after 12 hours: signs in again
        html = queue(staff_client)
    assert 'data-colour="bad"' in html and f"{hours // 24} d" in html
    assert 'data-colour="ok"' in queue(staff_client)


def test_the_detail_page_shows_the_kinds_description_and_documents(
    staff_client, category_review, company_app
):
    html = staff_client.get(
        f"/ops/reviews/{category_review.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    row = MiniProgramCategory.objects.get(pk=int(category_review.target_id))
    # Issue 10 item 5: an English page names the category and its licence in English.
    assert (row.first_name, row.second_name) == ("金融业", "银行")
    assert "Finance &gt; Banking" in html
    assert company_app.appid in html and "Financial Licence" in html and "金融许可证" not in html
    assert f"/ops/reviews/{category_review.pk}/documents/0/" in html
    assert 'data-testid="claim"' in html and 'data-testid="approve"' in html


def test_a_claim_from_the_desk_keeps_other_operators_from_deciding(
    staff_client, client, second_operator, personal_app, name_review
):
    staff_client.post(f"/ops/reviews/{name_review.pk}/claim/")
    assert Review.objects.get(pk=name_review.pk).claimed_by_label == "operator@miniport.example"

    from django.test import Client

    other = Client()
    other.force_login(second_operator)
    before = snapshot(personal_app)
    response = other.post(f"/ops/reviews/{name_review.pk}/approve/", follow=True)
    assert "operator@miniport.example" in response.content.decode()
    assert snapshot(personal_app) == before
    page = other.get(f"/ops/reviews/{name_review.pk}/").content.decode()
    assert 'data-testid="approve"' not in page

    staff_client.post(f"/ops/reviews/{name_review.pk}/release/")
    other.post(f"/ops/reviews/{name_review.pk}/approve/")
    assert fresh(personal_app).name == "柜台上的名字"


def test_rejecting_from_the_desk_keeps_one_reason_per_line(staff_client, name_review):
    staff_client.post(
        f"/ops/reviews/{name_review.pk}/reject/", {"reason": "名称侵权\r\n与主体不符", "note": "n"}
    )
    review = Review.objects.get(pk=name_review.pk)
    assert (review.state, review.reasons, review.note) == (
        "rejected",
        ["名称侵权", "与主体不符"],
        "n",
    )


def test_a_reviewer_who_is_a_member_is_refused_at_the_desk(client, personal_app, name_review):
    """A staff account that owns the mini program sees why and cannot decide."""
    Account.objects.filter(pk=personal_app.account_id).update(is_staff=True)
    client.force_login(Account.objects.get(pk=personal_app.account_id))
    page = client.get(f"/ops/reviews/{name_review.pk}/").content.decode()
    assert 'data-testid="member-notice"' in page and 'data-testid="approve"' not in page
    before = snapshot(personal_app)
    for action in ("claim", "approve"):
        assert client.post(f"/ops/reviews/{name_review.pk}/{action}/").status_code == 302
    assert snapshot(personal_app) == before


@pytest.mark.parametrize(
    "path", ["/ops/reviews/999999/", "/ops/reviews/{pk}/dance/", "/ops/reviews/{pk}/documents/x/"]
)
def test_unknown_reviews_actions_and_documents_answer_404(staff_client, name_review, path):
    url = path.format(pk=name_review.pk)
    response = staff_client.post(url) if "dance" in url else staff_client.get(url)
    assert response.status_code == 404


def test_decisions_take_post_only(staff_client, name_review):
    assert staff_client.get(f"/ops/reviews/{name_review.pk}/approve/").status_code == 405
    assert Review.objects.get(pk=name_review.pk).state == "pending"


def test_the_queue_speaks_chinese_by_default(staff_client, name_review):
    """B-11: kinds, states and waiting times are translated."""
    html = staff_client.get("/ops/reviews/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "小程序名称" in html and "审核中" in html and "分钟" in html
