"""The only source of time. Tests move it with time-machine, which patches the
datetime functions this module calls, so every deadline follows."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def now() -> datetime:
    # django.utils.timezone.now() with USE_TZ, which settings.py sets and nothing turns
    # off; without its read of the setting, which cost as much as the clock (hot paths
    # ask the time several times a call).
    return datetime.now(UTC)


def local_now() -> datetime:
    return now().astimezone(ZoneInfo(settings.TIME_ZONE))


def today() -> date:
    return local_now().date()


def in_seconds(seconds: int | float) -> datetime:
    return now() + timedelta(seconds=seconds)


def in_days(days: int | float) -> datetime:
    return now() + timedelta(days=days)
