"""INF-6: at most 5 categories, 5 additions a month, no duplicates, delete rules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus
from miniport.miniprograms.services import categories, profile
from tests.miniprograms.profile_support import (
    actor_of,
    fresh,
    personal_app_fixture,  # noqa: F401
    snapshot,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOOLS = [(1, 101), (1, 102), (1, 104), (1, 105), (1, 106), (1, 107)]


def add(mp, first, second, certificates=None):
    return categories.category_add(
        actor=actor_of(mp), miniprogram=mp, first=first, second=second, certificates=certificates
    )


def refused(mp, call, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    assert snapshot(mp) == before


def test_non_sensitive_categories_are_approved_at_once(personal_app):
    """INF-6: no review for ordinary categories."""
    row = add(personal_app, 2, 201)
    assert row.status == CategoryStatus.APPROVED
    assert (row.first_name, row.second_name) == ("教育服务", "在线教育")


def test_at_most_five_categories(personal_app):
    """INF-6: the sixth category is refused (53301) even with additions left."""
    with time_machine.travel(datetime(2025, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        for first, second in TOOLS[:5]:
            add(personal_app, first, second)
    with time_machine.travel(datetime(2025, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        refused(personal_app, lambda: add(personal_app, *TOOLS[5]), MiniProgramError.CATEGORY_LIMIT)


def test_five_additions_a_month_even_after_deleting(personal_app):
    """INF-6: deleting does not give an addition back (53300)."""
    with time_machine.travel(datetime(2025, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        for first, second in TOOLS[:5]:
            add(personal_app, first, second)
        categories.category_delete(
            actor=actor_of(personal_app), miniprogram=personal_app, first=1, second=101
        )
        assert profile.allowances(fresh(personal_app))["categories"].remaining == 0
        refused(
            personal_app,
            lambda: add(personal_app, *TOOLS[5]),
            MiniProgramError.CATEGORY_MONTHLY_QUOTA,
        )
    with time_machine.travel(datetime(2025, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        add(personal_app, *TOOLS[5])


def test_a_duplicate_category_is_refused(personal_app):
    """INF-6: 53304."""
    add(personal_app, 1, 101)
    refused(personal_app, lambda: add(personal_app, 1, 101), MiniProgramError.CATEGORY_DUPLICATE)


def test_a_batch_is_all_or_nothing(personal_app):
    """A batch with one bad entry adds none and uses no addition."""
    batch = [categories.Addition(1, 101), categories.Addition(8, 801)]
    refused(
        personal_app,
        lambda: categories.categories_add(
            actor=actor_of(personal_app), miniprogram=personal_app, additions=batch
        ),
        MiniProgramError.CATEGORY_NOT_ALLOWED,
    )


def test_deleting_an_unknown_category_is_refused(personal_app):
    refused(
        personal_app,
        lambda: categories.category_delete(
            actor=actor_of(personal_app), miniprogram=personal_app, first=1, second=101
        ),
        MiniProgramError.CATEGORY_INVALID,
    )
