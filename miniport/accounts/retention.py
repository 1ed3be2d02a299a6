"""How long the accounts domain keeps password reset links and requests once they no
longer count (issue 9 item 6): registered with the kernel's purge (`core.purge`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from miniport.accounts.models import PasswordResetRequest, PasswordResetToken
from miniport.core import policy, purge


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=policy.value("purge.password_resets_after_hours"))


def expired_reset_links(now: datetime) -> QuerySet:
    return PasswordResetToken.objects.filter(expires_at__lt=_cutoff(now))


def old_reset_requests(now: datetime) -> QuerySet:
    # The request throttle counts the last window only; a day later a row counts for nothing.
    return PasswordResetRequest.objects.filter(at__lt=_cutoff(now))


def register_purges() -> None:
    purge.register("password_reset_links", expired_reset_links)
    purge.register("password_reset_requests", old_reset_requests)
