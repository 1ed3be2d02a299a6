"""VER-5: review progress and the desk's decisions on the review kind "code": approved,
rejected with catalog reasons and free text, delayed (still open), withdrawn within the
policy's limits; a reviewer never reviews a mini program he belongs to."""

from __future__ import annotations

import pytest

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.models import PolicyOverride
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from miniport.review import registry
from miniport.review import services as review_services
from miniport.review.errors import ReviewError
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approve,
    delay,
    events_of,
    refused,
    reject,
    review_of,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def test_the_code_kind_is_registered_with_delay_and_withdraw():
    kind = registry.get("code")
    assert kind.delay is not None and kind.withdraw is not None


def test_approval_mirrors_onto_the_submission_and_emits_audit_success(app):
    """VER-5: review progress; VER-6: approval never releases by itself."""
    submission = approve(submit(app))
    assert (submission.state, submission.audit_status) == ("approved", 0)
    assert submission.decided_at is not None
    [event] = events_of("code.audit_success")
    assert event["appid"] == app.appid and event["auditid"] == submission.auditid
    assert not Release.objects.exists()
    assert selectors.online_version(app.miniprogram) is None


def test_rejection_keeps_catalog_keys_and_free_text(app):
    """VER-5: rejection reasons from the catalog of common rejections, and free text."""
    submission = reject(submit(app), ["incomplete_features", "the login page is blank"])
    assert (submission.state, submission.audit_status) == ("rejected", 1)
    assert submission.reasons == ["incomplete_features", "the login page is blank"]
    assert submission.reason_keys == ["incomplete_features"]
    [event] = events_of("code.audit_fail")
    assert "the login page is blank" in event["reason"]


def test_a_delayed_review_stays_open_and_can_then_be_decided(app):
    """VER-5 (wechat-api 4.6 status 4): delayed, with the reason."""
    submission = delay(submit(app), ["needs a second reviewer"])
    assert (submission.state, submission.audit_status) == ("delayed", 4)
    assert submission.is_open and submission.reasons == ["needs a second reviewer"]
    [event] = events_of("code.audit_delay")
    assert event["reason"] == "needs a second reviewer"
    assert approve(submission).state == "approved"


def test_a_delay_needs_a_reason(app):
    from miniport.core.errors import CoreError

    submission = submit(app)
    refused(lambda: delay(submission, []), CoreError.FIELD_REQUIRED)


def test_a_kind_without_a_delay_callback_cannot_be_delayed(app, system_actor):
    from miniport.review.models import Review

    registry.register(
        registry.Kind(
            key="nodelay",
            label="x",
            describe=lambda r: registry.Description(title="x"),
            approve=lambda r, a: None,
            reject=lambda r, a, reasons: None,
            is_member=lambda r, a: False,
        )
    )
    try:
        review = review_services.review_open(actor=system_actor, kind="nodelay", target_id="1")
        refused(
            lambda: review_services.review_delay(
                actor=Actor("staff", "1", "s"),
                review=Review.objects.get(pk=review.pk),
                reasons=["x"],
            ),
            ReviewError.ILLEGAL_MOVE,
        )
    finally:
        registry.unregister("nodelay")


def test_a_member_of_the_mini_program_may_not_review_it(app):
    """Issue 8 §3: a reviewer never reviews a mini program of which he is a member."""
    submission = submit(app)
    owner = Actor("staff", str(app.miniprogram.account_id), "owner@example.com")
    refused(lambda: approve(submission, owner), ReviewError.REVIEWER_IS_MEMBER)
    kind = registry.get("code")
    assert kind.is_member(review_of(submission), owner) is True
    assert kind.is_member(review_of(submission), Actor("staff", "424242", "x")) is False
    assert kind.is_member(review_of(submission), app.developer_actor) is True


def test_a_developer_may_not_decide_a_review(app):
    submission = submit(app)
    refused(lambda: approve(submission, app.developer_actor), ReviewError.REVIEWER_ONLY)


def test_the_desk_describes_the_submission(app):
    submission = submit(app, upload(app, "3.1.4"))
    description = registry.get("code").describe(review_of(submission))
    assert description.appid == app.appid and "3.1.4" in description.title


def test_withdrawal_mirrors_and_emits_and_reads_as_status_3(app):
    """VER-5: withdrawn (undo)."""
    submission = submit(app)
    services.submission_withdraw(actor=app.developer_actor, submission=submission)
    submission.refresh_from_db()
    assert (submission.state, submission.audit_status) == ("withdrawn", 3)
    assert review_of(submission).state == "withdrawn"
    [event] = events_of("code.withdrawn")
    assert event["auditid"] == submission.auditid
    assert selectors.latest_audit_status(app.miniprogram) == submission


def test_withdrawing_a_decided_submission_is_refused_with_85019(app):
    submission = approve(submit(app))
    error = refused(
        lambda: services.submission_withdraw(actor=app.developer_actor, submission=submission),
        ReleaseError.UNDO_NOTHING_OPEN,
    )
    assert error.errcode == 85019


def test_withdrawals_are_limited_per_day_with_87013(app):
    """VER-5 (wechat-api 4.9): undo within the policy's limits."""
    PolicyOverride.objects.create(key="submit.undo_per_day", value=2)
    policy.forget_cached()
    for n in range(2):
        services.submission_withdraw(
            actor=app.developer_actor, submission=submit(app, upload(app, f"1.0.{n}"))
        )
    third = submit(app, upload(app, "1.0.9"))
    error = refused(
        lambda: services.submission_withdraw(actor=app.developer_actor, submission=third),
        ReleaseError.UNDO_LIMIT,
    )
    assert error.errcode == 87013 and error.params == {"per_day": 2, "per_month": 10}


def test_withdrawals_are_limited_per_month(app):
    PolicyOverride.objects.create(key="submit.undo_per_month", value=1)
    policy.forget_cached()
    services.submission_withdraw(actor=app.developer_actor, submission=submit(app))
    second = submit(app, upload(app, "1.0.1"))
    refused(
        lambda: services.submission_withdraw(actor=app.developer_actor, submission=second),
        ReleaseError.UNDO_LIMIT,
    )


def test_the_audit_status_is_found_by_audit_id_only_for_its_own_mini_program(app, provision):
    submission = submit(app)
    assert selectors.submission_by_auditid(app.miniprogram, submission.auditid) == submission
    assert selectors.submission_by_auditid(app.miniprogram, str(submission.auditid)) == submission
    assert selectors.submission_by_auditid(app.miniprogram, "x") is None
    other = provision("personal").miniprogram
    assert selectors.submission_by_auditid(other, submission.auditid) is None
