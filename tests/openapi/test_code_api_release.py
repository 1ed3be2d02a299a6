"""Release through the server API (wechat-api 4.10..4.13; VER-6, VER-7, B-5): release,
version info, rollback and its history, gray release and its plan, visit status."""

from __future__ import annotations

import pytest

from miniport.releases.models import Release, ReleaseState
from tests.openapi.code_api_support import (
    approve,
    code_fixture,  # noqa: F401 - the "code" fixture
    released,
    state,
    submitted,
)

pytestmark = pytest.mark.django_db


# --- release ----------------------------------------------------------------------------


def test_release_puts_the_approved_version_online(code):
    """VER-6, VER-7: release is the caller's action after approval; getversioninfo then
    names the online version."""
    submission = approve(submitted(code, "2.0.0"))
    assert not Release.objects.filter(miniprogram=code.miniprogram).exists()
    assert code.post("/wxa/release", {}) == {"errcode": 0, "errmsg": "ok"}
    current = Release.objects.get(miniprogram=code.miniprogram, state=ReleaseState.CURRENT)
    assert current.submission == submission
    info = code.post("/wxa/getversioninfo", {})
    assert info["release_info"] == {
        "release_time": int(current.released_at.timestamp()),
        "release_version": "2.0.0",
        "release_desc": "commit 2.0.0",
    }
    assert info["exp_info"]["exp_version"] == "2.0.0"


def test_release_needs_a_literal_empty_object_body(code):
    approve(submitted(code))
    before = state()
    assert code.wire.post_raw("/wxa/release", b"", access_token=code.token)["errcode"] == 44002
    assert state() == before


def test_release_without_an_approved_version_is_refused_with_85019(code):
    before = state()
    assert code.post("/wxa/release", {})["errcode"] == 85019
    assert state() == before


def test_release_while_the_latest_submission_is_in_review_is_refused_with_85020(code):
    approve(submitted(code, "2.0.0"))
    submitted(code, "2.0.1")
    before = state()
    assert code.post("/wxa/release", {})["errcode"] == 85020
    assert state() == before


def test_releasing_the_same_approved_version_twice_is_refused_with_85052(code):
    released(code)
    before = state()
    assert code.post("/wxa/release", {})["errcode"] == 85052
    assert state() == before


def test_release_is_refused_while_the_platform_is_in_public_beta(code, override):
    """VER-6: the operator's public-beta switch disables release."""
    approve(submitted(code))
    override("release.public_beta", 1)
    before = state()
    assert code.post("/wxa/release", {})["errcode"] == 40097
    assert state() == before


# --- rollback (B-5) ---------------------------------------------------------------------


def test_rollback_history_lists_the_earlier_released_versions(code):
    first = released(code, "2.0.0")
    released(code, "3.0.0")
    history = code.get("/wxa/revertcoderelease", action="get_history_version")
    assert history["errcode"] == 0
    (row,) = history["version_list"]
    assert row["user_version"] == "2.0.0" and row["user_desc"] == "commit 2.0.0"
    assert row["commit_time"] == int(first.dev_version.uploaded_at.timestamp())
    assert row["app_version"] == Release.objects.get(submission=first).pk


def test_rollback_puts_the_previous_release_online_again(code):
    """B-5: rollback to the previous version by default, or to a listed app_version."""
    released(code, "2.0.0")
    released(code, "3.0.0")
    assert code.get("/wxa/revertcoderelease") == {"errcode": 0, "errmsg": "ok"}
    assert code.post("/wxa/getversioninfo", {})["release_info"]["release_version"] == "2.0.0"
    (row,) = code.get("/wxa/revertcoderelease", action="get_history_version")["version_list"]
    assert row["user_version"] == "3.0.0"


def test_a_version_put_back_by_a_rollback_cannot_be_rolled_back_again(code):
    """wechat-api 4.11: 87012, and nothing changes; a new release may be rolled back."""
    released(code, "2.0.0")
    released(code, "3.0.0")
    assert code.get("/wxa/revertcoderelease")["errcode"] == 0
    before = state()
    (row,) = code.get("/wxa/revertcoderelease", action="get_history_version")["version_list"]
    for query in ({}, {"app_version": row["app_version"]}):
        answer = code.get("/wxa/revertcoderelease", **query)
        assert answer["errcode"] == 87012
        assert answer["errmsg"].startswith("forbid revert this version release")
    assert state() == before
    assert code.post("/wxa/getversioninfo", {})["release_info"]["release_version"] == "2.0.0"
    released(code, "4.0.0")
    assert code.get("/wxa/revertcoderelease")["errcode"] == 0
    assert code.post("/wxa/getversioninfo", {})["release_info"]["release_version"] == "2.0.0"


def test_rollback_to_a_version_not_in_the_history_is_refused_with_87012(code):
    released(code, "2.0.0")
    before = state()
    assert code.get("/wxa/revertcoderelease")["errcode"] == 87012
    assert code.get("/wxa/revertcoderelease", app_version="999999")["errcode"] == 87012
    assert state() == before


def test_rollback_to_an_app_version_that_is_not_a_number_is_invalid_args(code):
    released(code, "2.0.0")
    before = state()
    for value in ("abc", "1.0", "٥", "-1"):
        assert code.get("/wxa/revertcoderelease", app_version=value)["errcode"] == 40097
    assert state() == before


def test_rollback_while_a_gray_release_runs_is_refused_with_87011(code):
    released(code, "2.0.0")
    released(code, "3.0.0")
    approve(submitted(code, "4.0.0"))
    assert code.post("/wxa/grayrelease", {"gray_percentage": 10})["errcode"] == 0
    before = state()
    assert code.get("/wxa/revertcoderelease")["errcode"] == 87011
    assert state() == before


def test_an_unknown_rollback_action_is_refused_with_40097(code):
    released(code)
    before = state()
    assert code.get("/wxa/revertcoderelease", action="nonsense")["errcode"] == 40097
    assert state() == before


# --- gray release (B-5) -----------------------------------------------------------------


def test_gray_release_raises_its_percentage_and_is_shown_in_the_plan(code):
    released(code, "2.0.0")
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    assert plan["status"] == 0 and plan["gray_percentage"] == 0
    approve(submitted(code, "3.0.0"))
    assert code.post("/wxa/grayrelease", {"gray_percentage": 10}) == {"errcode": 0, "errmsg": "ok"}
    assert code.post("/wxa/grayrelease", {"gray_percentage": "30"})["errcode"] == 0
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    gray = Release.objects.get(miniprogram=code.miniprogram, state=ReleaseState.GRAY)
    assert plan == {
        "status": 1,
        "create_timestamp": int(gray.released_at.timestamp()),
        "gray_percentage": 30,
        "support_debuger_first": False,
        "support_experiencer_first": False,
    }


def test_gray_release_at_zero_percent_for_members_first(code):
    released(code, "2.0.0")
    approve(submitted(code, "3.0.0"))
    body = {"gray_percentage": 0, "support_experiencer_first": True}
    assert code.post("/wxa/grayrelease", body)["errcode"] == 0
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    assert plan["support_experiencer_first"] is True and plan["gray_percentage"] == 0
    # The other choice was not sent: the plan says so (they are two choices).
    assert plan["support_debuger_first"] is False
    body = {"gray_percentage": 5, "support_debuger_first": True}
    assert code.post("/wxa/grayrelease", body)["errcode"] == 0
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    assert (plan["support_debuger_first"], plan["support_experiencer_first"]) == (True, False)


def test_gray_release_refusals_have_their_errcodes_and_change_nothing(code):
    before = state()
    assert code.post("/wxa/grayrelease", {"gray_percentage": 10})["errcode"] == 85079
    assert state() == before
    released(code, "2.0.0")
    before = state()
    assert code.post("/wxa/grayrelease", {"gray_percentage": 10})["errcode"] == 85080
    assert state() == before
    approve(submitted(code, "3.0.0"))
    before = state()
    for percentage in (101, -1, "x", 0):
        answer = code.post("/wxa/grayrelease", {"gray_percentage": percentage})
        assert answer["errcode"] == 85081, (percentage, answer)
    assert state() == before
    assert code.post("/wxa/grayrelease", {"gray_percentage": 40})["errcode"] == 0
    before = state()
    assert code.post("/wxa/grayrelease", {"gray_percentage": 40})["errcode"] == 85082
    assert code.post("/wxa/grayrelease", {"gray_percentage": 20})["errcode"] == 85082
    assert state() == before


def test_revert_gray_release_gives_everyone_the_online_version_again(code):
    released(code, "2.0.0")
    approve(submitted(code, "3.0.0"))
    assert code.post("/wxa/grayrelease", {"gray_percentage": 50})["errcode"] == 0
    assert code.get("/wxa/revertgrayrelease") == {"errcode": 0, "errmsg": "ok"}
    # wechat-api 4.13: the plan is then deleted (4), not "none"
    assert code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]["status"] == 4
    assert code.post("/wxa/getversioninfo", {})["release_info"]["release_version"] == "2.0.0"
    before = state()
    assert code.get("/wxa/revertgrayrelease")["errcode"] == 40097
    assert state() == before


def test_release_while_gray_runs_promotes_the_gray_version_to_everyone(code):
    released(code, "2.0.0")
    approve(submitted(code, "3.0.0"))
    assert code.post("/wxa/grayrelease", {"gray_percentage": 50})["errcode"] == 0
    assert code.post("/wxa/release", {})["errcode"] == 0
    assert code.post("/wxa/getversioninfo", {})["release_info"]["release_version"] == "3.0.0"
    # wechat-api 4.13: the plan is then finished (3), with when it began
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    began = Release.objects.get(miniprogram=code.miniprogram, state=ReleaseState.CURRENT)
    assert plan["status"] == 3
    assert plan["create_timestamp"] == int(began.gray_started_at.timestamp())


def test_a_release_to_everyone_at_once_leaves_no_gray_plan(code):
    released(code, "2.0.0")
    approve(submitted(code, "3.0.0"))
    assert code.post("/wxa/release", {})["errcode"] == 0
    plan = code.get("/wxa/getgrayreleaseplan")["gray_release_plan"]
    assert plan["status"] == 0 and plan["create_timestamp"] == 0


# --- visit status -----------------------------------------------------------------------


def test_visit_status_closes_and_opens(code):
    released(code)
    assert code.post("/wxa/getvisitstatus", {})["status"] == 1
    assert code.post("/wxa/change_visitstatus", {"action": "close"}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    assert code.post("/wxa/getvisitstatus", {})["status"] == 0
    assert code.post("/wxa/change_visitstatus", {"action": "open"})["errcode"] == 0
    assert code.post("/wxa/getvisitstatus", {})["status"] == 1


def test_a_visit_action_other_than_open_or_close_is_refused_with_85022(code):
    released(code)
    before = state()
    assert code.post("/wxa/change_visitstatus", {"action": "pause"})["errcode"] == 85022
    assert state() == before


def test_closing_with_nothing_online_is_refused_with_85021(code):
    before = state()
    assert code.post("/wxa/change_visitstatus", {"action": "close"})["errcode"] == 85021
    assert state() == before
