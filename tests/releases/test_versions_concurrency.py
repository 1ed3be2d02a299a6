"""VER-3, VER-6, B-5 under real concurrency, on a file SQLite database and on PostgreSQL:
submissions racing for the one open review, releases racing for the one online version,
gray raises racing upward."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.releases import services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release, Submission
from miniport.review.models import Review
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    item,
    released,
    upload,
)

CONTENDERS = 8


def _split(outcomes):
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, PlatformError)
    ]
    assert unexpected == []
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    return winners, {o.code for o in outcomes if isinstance(o, PlatformError)}


@pytest.mark.django_db(transaction=True)
def test_racing_submissions_open_exactly_one_review(app):
    """VER-3: at most one open review per mini program, whoever submits at once."""
    assert_shared_database()
    versions = [upload(app, f"1.0.{n}") for n in range(CONTENDERS)]

    def submit(index):
        return services.version_submit_for_review(
            actor=app.developer_actor,
            miniprogram=app.miniprogram,
            dev_version=versions[index],
            items=[item()],
        )

    winners, refusals = _split(run_concurrently(CONTENDERS, submit))
    assert len(winners) == 1 and refusals == {ReleaseError.AUDIT_ALREADY_OPEN}
    assert Submission.objects.filter(miniprogram=app.miniprogram).count() == 1
    assert Review.objects.filter(kind="code").count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_releases_put_one_version_online(app):
    """VER-6: one approval is released once."""
    assert_shared_database()
    approved_version(app)

    def publish(_index):
        return services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)

    winners, refusals = _split(run_concurrently(CONTENDERS, publish))
    assert len(winners) == 1 and refusals == {ReleaseError.ALREADY_RELEASED}
    assert Release.objects.filter(miniprogram=app.miniprogram, state="current").count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_gray_raises_end_at_the_highest_percentage(app):
    """B-5: gray only upward, also when raised at once."""
    assert_shared_database()
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    services.gray_release(actor=app.admin_actor, miniprogram=app.miniprogram, percentage=1)
    percentages = [10 + 10 * n for n in range(CONTENDERS)]

    def raise_to(index):
        return services.gray_release(
            actor=app.admin_actor, miniprogram=app.miniprogram, percentage=percentages[index]
        )

    winners, refusals = _split(run_concurrently(CONTENDERS, raise_to))
    assert winners and refusals <= {ReleaseError.GRAY_PERCENTAGE_TOO_LOW}
    gray = Release.objects.get(miniprogram=app.miniprogram, state="gray")
    assert gray.gray_percentage == max(percentages)
