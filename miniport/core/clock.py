"""The only source of time. Tests move it with time-machine, which patches the
datetime functions this module calls, so every deadline follows."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_now() -> datetime:
    return now().astimezone(ZoneInfo(settings.TIME_ZONE))


def today() -> date:
    return local_now().date()


def in_seconds(seconds: int | float) -> datetime:
    return now() + timedelta(seconds=seconds)


def in_days(days: int | float) -> datetime:
    return now() + timedelta(days=days)
