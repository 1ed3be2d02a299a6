"""How long the identities domain keeps QR tickets and sign-in failures once they no
longer count (issue 9 item 6): registered with the kernel's purge (`core.purge`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from miniport.core import policy, purge
from miniport.identities.models import QrTicket, SignInFailure


def expired_tickets(now: datetime) -> QuerySet:
    hours = policy.value("purge.qr_tickets_after_hours")
    return QrTicket.objects.filter(expires_at__lt=now - timedelta(hours=hours))


def old_sign_in_failures(now: datetime) -> QuerySet:
    days = policy.value("purge.sign_in_failures_after_days")
    return SignInFailure.objects.filter(at__lt=now - timedelta(days=days))


def register_purges() -> None:
    purge.register("qr_tickets", expired_tickets)
    purge.register("sign_in_failures", old_sign_in_failures)
