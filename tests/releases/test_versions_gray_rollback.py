"""B-5: gray (phased) release by percentage, only upward, with a members-first option
and cancel; rollback to any of the last 5 released versions; VER-6/wechat-api 4.12: the
visit status on or off."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    events_of,
    refused,
    released,
)

pytestmark = pytest.mark.django_db


def gray(app, percentage, **kw):
    return services.gray_release(
        actor=app.admin_actor, miniprogram=app.miniprogram, percentage=percentage, **kw
    )


def rollback(app, release=None):
    return services.release_rollback(
        actor=app.admin_actor, miniprogram=app.miniprogram, release=release
    )


def test_a_gray_release_runs_beside_the_online_version(app):
    """B-5: gray release by percentage."""
    online = released(app, "1.0.0")
    approved_version(app, "1.1.0")
    running = gray(app, 10)
    assert (running.state, running.gray_percentage) == ("gray", 10)
    card = selectors.online_version(app.miniprogram)
    assert card.release == online and card.gray == running
    [event] = events_of("code.gray_changed")
    assert event["gray_percentage"] == 10 and event["status"] == "running"


def test_the_gray_percentage_only_goes_up(app):
    """B-5: only upward (85082)."""
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    gray(app, 20)
    for lower in (20, 5):
        error = refused(lambda lower=lower: gray(app, lower), ReleaseError.GRAY_PERCENTAGE_TOO_LOW)
        assert error.errcode == 85082
    assert gray(app, 50).gray_percentage == 50


@pytest.mark.parametrize("value", [-1, 101, "x", None, True, 12.5])
def test_a_percentage_outside_0_to_100_is_refused_with_85081(app, value):
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    refused(lambda: gray(app, value), ReleaseError.GRAY_PERCENTAGE_INVALID)


def test_zero_percent_is_allowed_only_with_members_first(app):
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    refused(lambda: gray(app, 0), ReleaseError.GRAY_PERCENTAGE_INVALID)
    assert gray(app, 0, members_first=True).members_first is True


def test_gray_needs_an_online_version_and_an_approved_one(app):
    approved_version(app, "1.0.0")
    assert refused(lambda: gray(app, 10), ReleaseError.GRAY_NO_ONLINE_RELEASE).errcode == 85079
    services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)
    assert refused(lambda: gray(app, 10), ReleaseError.GRAY_NOT_APPROVED).errcode == 85080


def test_releasing_promotes_the_gray_version_to_everyone(app):
    online = released(app, "1.0.0")
    approved_version(app, "1.1.0")
    running = gray(app, 30, members_first=True)
    promoted = services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)
    online.refresh_from_db()
    assert promoted.pk == running.pk
    assert (promoted.state, promoted.gray_percentage, promoted.members_first) == (
        "current",
        100,
        False,
    )
    assert online.state == "superseded"


def test_cancelling_a_gray_release_keeps_the_online_version_and_the_approval(app):
    """B-5: cancel."""
    online = released(app, "1.0.0")
    approved_version(app, "1.1.0")
    running = gray(app, 30)
    cancelled = services.gray_revert(actor=app.admin_actor, miniprogram=app.miniprogram)
    assert cancelled.pk == running.pk and cancelled.state == "gray_cancelled"
    assert selectors.online_version(app.miniprogram).release == online
    assert selectors.online_version(app.miniprogram).gray is None
    assert gray(app, 5).gray_percentage == 5  # the approval may go out again


def test_cancelling_without_a_gray_release_is_refused(app):
    released(app)
    refused(
        lambda: services.gray_revert(actor=app.admin_actor, miniprogram=app.miniprogram),
        ReleaseError.GRAY_NOT_RUNNING,
    )


def test_rollback_restores_the_previous_release_by_default(app):
    """B-5: rollback to a kept version."""
    first = released(app, "1.0.0")
    second = released(app, "1.1.0")
    restored = rollback(app)
    second.refresh_from_db()
    assert restored.dev_version == first.dev_version and restored.rollback_of == first
    assert (restored.state, second.state) == ("current", "rolled_back")
    assert selectors.online_version(app.miniprogram).user_version == "1.0.0"
    [event] = events_of("code.rolled_back")
    assert event["restored_release"] == first.pk and event["rolled_back"] == second.pk


def test_rollback_reaches_only_the_last_five_released_versions(app):
    """B-5: rollback to any of the last 5 released versions (policy row)."""
    releases = [released(app, f"1.{n}.0") for n in range(7)]
    history = selectors.rollback_history(app.miniprogram)
    assert [r.dev_version.user_version for r in history] == [
        "1.5.0",
        "1.4.0",
        "1.3.0",
        "1.2.0",
        "1.1.0",
    ]
    too_old = releases[0]
    error = refused(lambda: rollback(app, too_old), ReleaseError.ROLLBACK_FORBIDDEN)
    assert error.errcode == 87012
    assert rollback(app, releases[1]).dev_version.user_version == "1.1.0"


def test_the_rollback_depth_is_a_policy_row(app):
    PolicyOverride.objects.create(key="release.rollback_depth", value=1)
    policy.forget_cached()
    releases = [released(app, f"1.{n}.0") for n in range(3)]
    refused(lambda: rollback(app, releases[0]), ReleaseError.ROLLBACK_FORBIDDEN)
    assert rollback(app, releases[1]).dev_version == releases[1].dev_version


def test_rollback_is_refused_without_history_or_for_the_online_one(app, provision):
    refused(lambda: rollback(app), ReleaseError.ROLLBACK_FORBIDDEN)
    online = released(app, "1.0.0")
    refused(lambda: rollback(app), ReleaseError.ROLLBACK_FORBIDDEN)
    refused(lambda: rollback(app, online), ReleaseError.ROLLBACK_FORBIDDEN)


def test_rollback_is_refused_for_another_mini_programs_release(app, provision, make_identity):
    from tests.releases.version_support import make_app

    other = make_app(provision, make_identity)
    foreign = released(other, "9.0.0")
    released(other, "9.1.0")
    released(app, "1.0.0")
    released(app, "1.1.0")
    foreign.refresh_from_db()
    refused(lambda: rollback(app, foreign), ReleaseError.ROLLBACK_FORBIDDEN)


def test_rollback_is_refused_while_a_gray_release_runs(app):
    released(app, "1.0.0")
    released(app, "1.1.0")
    approved_version(app, "1.2.0")
    gray(app, 10)
    assert refused(lambda: rollback(app), ReleaseError.ROLLBACK_GRAY_RUNNING).errcode == 87011


def test_the_database_holds_one_current_and_one_gray_release(app):
    """B-5: the constraints hold when the services are bypassed."""
    online = released(app, "1.0.0")
    fields = {
        "miniprogram": app.miniprogram,
        "dev_version": online.dev_version,
        "submission": online.submission,
        "released_at": online.released_at,
    }
    with pytest.raises(IntegrityError):
        Release.objects.create(state="current", **fields)


def test_the_database_refuses_a_second_gray_release_and_a_percentage_over_100(app):
    from django.db import transaction

    online = released(app, "1.0.0")
    fields = {
        "miniprogram": app.miniprogram,
        "dev_version": online.dev_version,
        "submission": online.submission,
        "released_at": online.released_at,
    }
    Release.objects.create(state="gray", gray_percentage=5, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(state="gray", gray_percentage=6, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(state="superseded", gray_percentage=101, **fields)


def test_the_visit_status_can_be_closed_and_opened(app):
    """wechat-api 4.12: change_visitstatus."""
    released(app)
    assert selectors.visit_open(app.miniprogram) is True
    assert (
        services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=False)
        is False
    )
    assert selectors.visit_open(app.miniprogram) is False
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=True)
    assert selectors.visit_open(app.miniprogram) is True
    assert [e["status"] for e in events_of("code.visit_status_changed")] == [0, 1]


def test_closing_without_an_online_version_is_refused_with_85021(app):
    error = refused(
        lambda: services.visit_status_set(
            actor=app.admin_actor, miniprogram=app.miniprogram, open=False
        ),
        ReleaseError.VISIT_STATUS_NOT_ALLOWED,
    )
    assert error.errcode == 85021


def test_setting_the_same_visit_status_changes_nothing(app):
    from tests.releases.version_support import snapshot

    released(app)
    before = snapshot()
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=True)
    assert snapshot()["events"] == before["events"]
