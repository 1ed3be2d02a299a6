"""How long the identities domain keeps QR tickets, sign-in failures and sign-up SMS codes
once they no longer count (issue 9 item 6): registered with the kernel's purge (`core.purge`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from miniport.core import policy, purge
from miniport.identities.models import IdentitySmsCode, QrTicket, SignInFailure


def expired_tickets(now: datetime) -> QuerySet:
    hours = policy.value("purge.qr_tickets_after_hours")
    return QrTicket.objects.filter(expires_at__lt=now - timedelta(hours=hours))


def old_sign_in_failures(now: datetime) -> QuerySet:
    days = policy.value("purge.sign_in_failures_after_days")
    return SignInFailure.objects.filter(at__lt=now - timedelta(days=days))


def expired_signup_sms_codes(now: datetime) -> QuerySet:
    # Kept past expiry for a day: the resend limits count a phone's codes of the last hour.
    hours = policy.value("purge.signup_sms_codes_after_hours")
    return IdentitySmsCode.objects.filter(expires_at__lt=now - timedelta(hours=hours))


def register_purges() -> None:
    purge.register("qr_tickets", expired_tickets)
    purge.register("sign_in_failures", old_sign_in_failures)
    purge.register("signup_sms_codes", expired_signup_sms_codes)
