"""A refusal that asks the caller to wait says the wait as people say it: seconds under
two minutes, then minutes, then hours, rounded up, in the message's language; the
parameter stays the number of seconds."""

from __future__ import annotations

import pytest

from miniport.accounts.errors import AccountError
from miniport.core.errors import PlatformError, Seconds
from miniport.identities.errors import IdentityError


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (1, "1 秒", "1 second"),
        (59, "59 秒", "59 seconds"),
        (119, "119 秒", "119 seconds"),
        (120, "2 分钟", "2 minutes"),
        (121, "3 分钟", "3 minutes"),
        (900, "15 分钟", "15 minutes"),
        (7199, "120 分钟", "120 minutes"),
        (7200, "2 小时", "2 hours"),
        (86400, "24 小时", "24 hours"),
    ],
)
def test_a_wait_is_said_in_the_largest_unit_that_fits_rounded_up(seconds, zh, en):
    assert Seconds(seconds).said_in("zh-hans") == zh
    assert Seconds(seconds).said_in("en") == en


def test_a_throttled_login_says_minutes_and_keeps_the_seconds_as_its_parameter():
    error = PlatformError(AccountError.LOGIN_THROTTLED, seconds=Seconds(900))
    assert error.params["seconds"] == 900
    assert error.message("zh-hans") == "尝试次数过多，请 15 分钟后再试"
    assert error.message("en") == "too many attempts, try again in 15 minutes"


def test_every_message_with_a_wait_reads_as_a_sentence_in_both_languages():
    waits = [
        code
        for family in (AccountError, IdentityError)
        for code in family
        if "{seconds}" in code.value[1]
    ]
    assert len(waits) == 6
    for code in waits:
        zh, en = (
            code.message("zh-hans", seconds=Seconds(30)),
            code.message("en", seconds=Seconds(1)),
        )
        assert "30 秒后再试" in zh and en.endswith("try again in 1 second"), (zh, en)


def test_a_wait_passed_as_a_plain_number_is_still_said_as_a_wait():
    error = PlatformError(AccountError.LOGIN_THROTTLED, seconds=899)
    assert error.params["seconds"] == 899
    assert error.message("zh-hans") == "尝试次数过多，请 15 分钟后再试"
    assert error.message("en") == "too many attempts, try again in 15 minutes"
