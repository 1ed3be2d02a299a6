"""INF-3: the short name changes twice a year."""

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
    return profile.short_name_change(actor=actor_of(mp), miniprogram=mp, short_name=value)


def refused(mp, value, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        change(mp, value)
    assert caught.value.code == code
    assert snapshot(mp) == before


def test_two_short_name_changes_a_year_then_refused_until_next_year(personal_app):
    """INF-3: 2 changes a year."""
    with time_machine.travel(datetime(2025, 5, 1, 9, tzinfo=SHANGHAI), tick=False):
        change(personal_app, "简称一")
        change(personal_app, "简称二")
        assert profile.allowances(fresh(personal_app))["short_name"].remaining == 0
        refused(personal_app, "简称三", MiniProgramError.SHORT_NAME_QUOTA)
        assert fresh(personal_app).short_name == "简称二"
    with time_machine.travel(datetime(2026, 1, 1, 9, tzinfo=SHANGHAI), tick=False):
        change(personal_app, "简称三")
        assert fresh(personal_app).short_name == "简称三"


@pytest.mark.parametrize("value", ["甲", "这是一个非常非常长的简称", "甲小程序", "123"])
def test_short_names_out_of_format_are_refused(personal_app, value):
    """INF-3: length from policy, no "小程序", not only digits."""
    refused(personal_app, value, MiniProgramError.SHORT_NAME_INVALID)


def test_an_unchanged_short_name_uses_no_change(personal_app):
    change(personal_app, "简称一")
    refused(personal_app, "简称一", MiniProgramError.VALUE_UNCHANGED)
    assert profile.allowances(fresh(personal_app))["short_name"].remaining == 1
