"""INF-5: the introduction has 4 to 120 characters and changes 5 times a month."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import profile
from tests.miniprograms.profile_support import actor_of, fresh, personal_app_fixture, snapshot  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")


def change(mp, value):
    return profile.introduction_change(actor=actor_of(mp), miniprogram=mp, introduction=value)


def refused(mp, value, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        change(mp, value)
    assert caught.value.code == code
    assert snapshot(mp) == before


def test_five_introduction_changes_a_month_then_refused_until_next_month(personal_app):
    """INF-5: 5 changes a month."""
    with time_machine.travel(datetime(2025, 5, 10, 9, tzinfo=SHANGHAI), tick=False):
        for n in range(5):
            change(personal_app, f"第{n}版的介绍文字")
        refused(personal_app, "第六版的介绍文字", MiniProgramError.SIGNATURE_QUOTA)
        assert fresh(personal_app).introduction == "第4版的介绍文字"
    with time_machine.travel(datetime(2025, 6, 1, 0, 5, tzinfo=SHANGHAI), tick=False):
        change(personal_app, "六月的介绍文字")
        assert profile.allowances(fresh(personal_app))["introduction"].remaining == 4


@pytest.mark.parametrize("value", ["短", "abc", "介" * 121, "    "])
def test_introductions_outside_4_to_120_characters_are_refused(personal_app, value):
    """INF-5: 4 to 120 characters."""
    refused(personal_app, value, MiniProgramError.INTRODUCTION_LENGTH)


def test_an_introduction_of_exactly_120_characters_is_accepted(personal_app):
    change(personal_app, "介" * 120)
    assert len(fresh(personal_app).introduction) == 120
