"""How long expired login codes and access tokens are kept (issue 9 item 6): registered
with the kernel's purge (`core.purge`). A redeemed code has no session_key left already;
one that expired unredeemed loses it at the next pass, and the row goes after its
retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from miniport.core import policy, purge
from miniport.miniprograms.models import AccessToken, LoginCode


def expired_login_codes(now: datetime) -> QuerySet:
    hours = policy.value("purge.login_codes_after_hours")
    return LoginCode.objects.filter(expires_at__lt=now - timedelta(hours=hours))


def expired_access_tokens(now: datetime) -> QuerySet:
    # A token ends at its expiry or when a newer one of its family pulls its valid_until in.
    cutoff = now - timedelta(hours=policy.value("purge.access_tokens_after_hours"))
    return AccessToken.objects.filter(Q(expires_at__lt=cutoff) | Q(valid_until__lt=cutoff))


def expired_session_keys(now: datetime) -> QuerySet:
    # A code that expired unredeemed never hands its session_key out: erased at once.
    return LoginCode.objects.filter(expires_at__lte=now).exclude(session_key="")


def register_purges() -> None:
    purge.register("login_code_session_keys", expired_session_keys, erase={"session_key": ""})
    purge.register("login_codes", expired_login_codes)
    purge.register("access_tokens", expired_access_tokens)
