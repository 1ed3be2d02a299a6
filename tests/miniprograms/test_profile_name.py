"""INF-2: the name — format, uniqueness across approved and pending names, the review,
and the change allowance before and after the first release."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import quotas
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, PendingName
from miniport.miniprograms.services import profile
from miniport.review.errors import ReviewError
from miniport.review.models import Review, ReviewState
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,  # noqa: F401
    fresh,
    personal_app_fixture,  # noqa: F401
    snapshot,
    staff_actor_fixture,  # noqa: F401
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def request(mp, name):
    return profile.name_request(actor=actor_of(mp), miniprogram=mp, name=name)


def assert_refused(mp, name, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        request(mp, name)
    assert caught.value.code == code
    assert snapshot(mp) == before


@pytest.mark.parametrize(
    "name",
    ["abc", "x" * 31, "风陨小程序", "12345678", "2024-!!__", "   "],
)
def test_names_that_break_the_format_are_refused(personal_app, name):
    """INF-2: 4 to 30 characters, no "小程序", not only digits or symbols."""
    code = CoreError.FIELD_REQUIRED if not name.strip() else MiniProgramError.NAME_INVALID
    assert_refused(personal_app, name, code)


def test_name_request_waits_for_the_operator_and_takes_effect_on_approval(
    personal_app, staff_actor
):
    """INF-2: a request creates a pending review; the name changes only when approved."""
    old_name = personal_app.name
    review = request(personal_app, "风陨教学")
    assert review.state == ReviewState.PENDING
    assert fresh(personal_app).name == old_name

    profile.name_review_approve(actor=staff_actor, review=review)
    assert fresh(personal_app).name == "风陨教学"
    assert Review.objects.get(pk=review.pk).state == ReviewState.APPROVED
    assert not PendingName.objects.exists()


def test_a_name_held_by_another_mini_program_is_taken(personal_app, company_app):
    """INF-2: names are unique on the platform."""
    assert_refused(personal_app, company_app.name, MiniProgramError.NAME_TAKEN)


def test_a_name_pending_for_another_mini_program_is_taken(personal_app, company_app):
    """INF-2: a name waiting for review is reserved for the one who asked."""
    request(company_app, "云上书店")
    assert_refused(personal_app, "云上书店", MiniProgramError.NAME_TAKEN)


def test_a_second_request_while_one_is_pending_is_refused(personal_app):
    """INF-2: one open name review per mini program."""
    request(personal_app, "云上书店")
    assert_refused(personal_app, "云上茶馆", MiniProgramError.NAME_REVIEW_PENDING)


def test_the_database_refuses_two_pending_reviews_for_the_same_name(personal_app, company_app):
    """INF-2: the constraint backs the check up when two requests race."""
    from django.db import IntegrityError, transaction

    from miniport.core import clock

    def open_review(mp):
        return Review.objects.create(
            kind="name", target_id=str(mp.pk), appid=mp.appid, submitted_at=clock.now()
        )

    PendingName.objects.create(
        miniprogram=company_app, requested_name="云上书店", review=open_review(company_app)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingName.objects.create(
            miniprogram=personal_app, requested_name="云上书店", review=open_review(personal_app)
        )


def test_two_changes_before_the_first_release_then_no_more(personal_app, staff_actor):
    """INF-2: two name changes before the first release."""
    for name in ("第一个名字", "第二个名字"):
        profile.name_review_approve(actor=staff_actor, review=request(personal_app, name))
    assert profile.allowances(fresh(personal_app))["name"].remaining == 0
    assert_refused(fresh(personal_app), "第三个名字", MiniProgramError.NAME_QUOTA)


def test_a_rejected_review_gives_its_change_back(personal_app, staff_actor):
    """INF-2: a rejected name does not use up a change."""
    review = request(personal_app, "被拒的名字")
    assert profile.allowances(fresh(personal_app))["name"].remaining == 1
    profile.name_review_reject(actor=staff_actor, review=review, reason="与品牌不符")
    assert profile.allowances(fresh(personal_app))["name"].remaining == 2
    assert Review.objects.get(pk=review.pk).reasons == ["与品牌不符"]
    assert not PendingName.objects.exists()


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(personal_app, staff_actor):
    review = request(personal_app, "待审的名字")
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        profile.name_review_reject(actor=staff_actor, review=review, reason="  ")
    assert caught.value.code == CoreError.FIELD_REQUIRED
    assert snapshot(personal_app) == before


def test_a_decided_review_cannot_be_decided_again(personal_app, staff_actor):
    review = request(personal_app, "只审一次")
    profile.name_review_approve(actor=staff_actor, review=review)
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        profile.name_review_reject(actor=staff_actor, review=review, reason="late")
    assert caught.value.code == ReviewError.ILLEGAL_MOVE
    assert snapshot(personal_app) == before


def test_only_staff_decide_name_reviews(personal_app):
    review = request(personal_app, "自己批准")
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        profile.name_review_approve(actor=actor_of(personal_app), review=review)
    assert caught.value.code == CoreError.PERMISSION_DENIED
    assert snapshot(personal_app) == before


def test_after_release_personal_accounts_get_two_changes_a_year(personal_app, staff_actor):
    """INF-2: after the first release, personal accounts may change the name twice a year."""
    with time_machine.travel(datetime(2025, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        MiniProgram.objects.filter(pk=personal_app.pk).update(
            first_released_at=datetime(2025, 2, 1, tzinfo=SHANGHAI)
        )
        mp = fresh(personal_app)
        assert profile.name_rule(mp) == (profile.NAME_AFTER_RELEASE, "year")
        for name in ("春天的名字", "夏天的名字"):
            profile.name_review_approve(actor=staff_actor, review=request(fresh(mp), name))
        assert_refused(fresh(mp), "秋天的名字", MiniProgramError.NAME_QUOTA)
    with time_machine.travel(datetime(2026, 1, 2, 10, tzinfo=SHANGHAI), tick=False):
        review = request(fresh(mp), "新年的名字")
        assert review.state == ReviewState.PENDING


def test_organizations_use_the_same_yearly_allowance_after_release(company_app, staff_actor):
    """INF-2: seed 004 states only the personal allowance; organizations share its row."""
    MiniProgram.objects.filter(pk=company_app.pk).update(
        first_released_at=datetime(2025, 2, 1, tzinfo=SHANGHAI)
    )
    mp = fresh(company_app)
    for name in ("公司名字一", "公司名字二"):
        profile.name_review_approve(actor=staff_actor, review=request(fresh(mp), name))
    assert_refused(fresh(mp), "公司名字三", MiniProgramError.NAME_QUOTA)


def test_a_change_rejected_after_its_year_ended_gives_nothing_back(personal_app, staff_actor):
    """INF-2: a change is given back only within the window it was taken from."""
    MiniProgram.objects.filter(pk=personal_app.pk).update(
        first_released_at=datetime(2024, 2, 1, tzinfo=SHANGHAI)
    )
    with time_machine.travel(datetime(2024, 12, 31, 20, tzinfo=SHANGHAI), tick=False):
        review = request(fresh(personal_app), "跨年的名字")
    with time_machine.travel(
        datetime(2025, 1, 1, 9, tzinfo=SHANGHAI) + timedelta(hours=1), tick=False
    ):
        profile.name_review_reject(actor=staff_actor, review=review, reason="no")
        scope = profile.quota_scope(personal_app)
        assert quotas.used(scope, profile.NAME_AFTER_RELEASE, "year") == 0


def test_the_first_name_of_a_mini_program_without_one_is_free(personal_app, staff_actor):
    """INF-2: setting the first name is not a change (seed 004 shows 2 left with a name set)."""
    MiniProgram.objects.filter(pk=personal_app.pk).update(name=None)
    review = request(fresh(personal_app), "最初的名字")
    assert profile.allowances(fresh(personal_app))["name"].remaining == 2
    profile.name_review_approve(actor=staff_actor, review=review)
    assert fresh(personal_app).name == "最初的名字"


def test_name_check_reports_a_free_name_without_reserving_it(personal_app):
    assert profile.name_check("空闲的名字", miniprogram=personal_app) == "空闲的名字"
    assert not Review.objects.exists() and not PendingName.objects.exists()
