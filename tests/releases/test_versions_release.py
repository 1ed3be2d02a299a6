"""VER-6: release is a manual action after approval; approval never releases by itself;
while the platform is in public beta, release is disabled. VER-7: the online version
card (version, publisher, time, note, details)."""

from __future__ import annotations

import pytest

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approve,
    approved_version,
    delay,
    events_of,
    refused,
    reject,
    released,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def publish(app):
    return services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)


def test_an_approved_version_goes_online_only_when_released(app):
    """VER-6: approval never releases by itself; release is a manual action."""
    submission = approved_version(app, "1.0.0")
    assert selectors.online_version(app.miniprogram) is None
    release = publish(app)
    assert (release.state, release.gray_percentage, release.submission_id) == (
        "current",
        100,
        submission.pk,
    )
    [event] = events_of("code.released")
    assert event["appid"] == app.appid and event["user_version"] == "1.0.0"


def test_the_online_version_card_shows_version_publisher_time_and_note(app):
    """VER-7: version, publisher, time, note, details."""
    release = released(app, "2.0.0")
    card = selectors.online_version(app.miniprogram)
    assert card is not None and card.release == release
    assert (card.user_version, card.user_desc) == ("2.0.0", "note of 2.0.0")
    assert card.released_by == app.admin.wechat_id and card.released_at == release.released_at
    assert card.dev_version.package.sha256 and card.gray is None


def test_the_first_release_marks_the_mini_program_released(app):
    assert app.fresh().first_released_at is None
    release = released(app)
    assert app.fresh().first_released_at == release.released_at


def test_nothing_approved_is_refused_with_85019(app):
    """VER-6: release with no approved version."""
    error = refused(lambda: publish(app), ReleaseError.NOTHING_APPROVED)
    assert error.errcode == 85019
    submit(app)
    refused(lambda: publish(app), ReleaseError.NOTHING_APPROVED)


def test_a_rejected_latest_submission_is_refused_with_85020(app):
    approved_version(app, "1.0.0")
    reject(submit(app, upload(app, "1.1.0")), ["incomplete_features"])
    error = refused(lambda: publish(app), ReleaseError.RELEASE_STATUS_NOT_ALLOWED)
    assert error.errcode == 85020


@pytest.mark.parametrize("decision", ["pending", "delayed"])
def test_an_open_latest_submission_is_refused_with_85020(app, decision):
    approved_version(app, "1.0.0")
    newer = submit(app, upload(app, "1.1.0"))
    if decision == "delayed":
        delay(newer, ["wait"])
    refused(lambda: publish(app), ReleaseError.RELEASE_STATUS_NOT_ALLOWED)


def test_a_withdrawn_latest_submission_leaves_the_approved_one_releasable(app):
    approved_version(app, "1.0.0")
    services.submission_withdraw(
        actor=app.developer_actor, submission=submit(app, upload(app, "1.1.0"))
    )
    assert publish(app).dev_version.user_version == "1.0.0"


def test_releasing_the_same_approval_twice_is_refused_with_85052(app):
    released(app)
    error = refused(lambda: publish(app), ReleaseError.ALREADY_RELEASED)
    assert error.errcode == 85052


def test_a_new_release_supersedes_the_online_one(app):
    first = released(app, "1.0.0")
    second = released(app, "1.1.0")
    first.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "current")
    assert first.ended_at == second.released_at
    assert Release.objects.filter(miniprogram=app.miniprogram, state="current").count() == 1


def test_public_beta_disables_release(app):
    """VER-6: while the platform is in public beta, release is disabled."""
    approved_version(app)
    PolicyOverride.objects.create(key="release.public_beta", value=1)
    policy.forget_cached()
    refused(lambda: publish(app), ReleaseError.PUBLIC_BETA)
    refused(
        lambda: services.gray_release(
            actor=app.admin_actor, miniprogram=app.miniprogram, percentage=10
        ),
        ReleaseError.PUBLIC_BETA,
    )
    PolicyOverride.objects.filter(key="release.public_beta").delete()
    policy.forget_cached()
    assert publish(app).state == "current"


def test_the_public_beta_switch_is_off_by_default():
    assert policy.RULES_BY_KEY["release.public_beta"].default == 0


def test_release_is_audited(app):
    from miniport.core.models import AuditEntry

    release = released(app)
    entry = AuditEntry.objects.filter(action="code.release").get()
    assert entry.appid == app.appid and entry.after["release"] == release.pk
