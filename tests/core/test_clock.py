"""core.clock is the platform's one source of time."""

from datetime import UTC, datetime

import time_machine
from django.utils import timezone

from miniport.core import clock


def test_now_is_an_aware_utc_time_as_djangos_timezone_now_gives():
    before = timezone.now()
    now = clock.now()
    after = timezone.now()
    assert now.tzinfo is UTC
    assert before <= now <= after


def test_now_follows_a_clock_the_tests_move():
    with time_machine.travel(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC), tick=False):
        assert clock.now() == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert clock.local_now().hour == 11  # Asia/Shanghai
