"""INF-2 / INF-6 under concurrency: real threads against the shared test database."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgramCategory, PendingName
from miniport.miniprograms.services import categories, profile
from miniport.review.models import Review
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.miniprograms.profile_support import actor_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_mini_programs_racing_for_one_name_leave_one_pending_review(provision):
    """INF-2: only one request for a name can be pending; the others get NAME_TAKEN."""
    assert_shared_database()
    apps = [provision("personal", name=f"竞争者{n}号").miniprogram for n in range(4)]

    def work(i):
        return profile.name_request(actor=actor_of(apps[i]), miniprogram=apps[i], name="抢手的名字")

    outcomes = run_concurrently(4, work)
    winners = [o for o in outcomes if isinstance(o, Review)]
    losers = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(winners) == 1, outcomes
    assert [e.code for e in losers] == [MiniProgramError.NAME_TAKEN] * 3
    assert PendingName.objects.filter(requested_name="抢手的名字").count() == 1
    assert Review.objects.filter(kind="name").count() == 1
    # Only the winner used a name change; the refused requests rolled theirs back.
    used = [profile.allowances(app)["name"].used for app in apps]
    assert sorted(used) == [0, 0, 0, 1]


def test_parallel_additions_never_pass_the_category_limit(provision):
    """INF-6: five threads adding different categories to a mini program holding three."""
    assert_shared_database()
    app = provision("personal", name="并发类目").miniprogram
    for second in (101, 102, 104):
        categories.category_add(actor=actor_of(app), miniprogram=app, first=1, second=second)
    others = [(1, 105), (1, 106), (1, 107), (2, 201), (2, 202)]

    def work(i):
        first, second = others[i]
        return categories.category_add(
            actor=actor_of(app), miniprogram=app, first=first, second=second
        )

    outcomes = run_concurrently(5, work)
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert MiniProgramCategory.objects.filter(miniprogram=app).count() == 5
    assert {e.code for e in refused} <= {
        MiniProgramError.CATEGORY_LIMIT,
        MiniProgramError.CATEGORY_MONTHLY_QUOTA,
    }
    assert len(refused) == 3
