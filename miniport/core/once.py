"""Requests answered at most once (the signature of a signed upload), remembered in the
database until their freshness check would refuse them anyway.

The database is what every web process of every node shares. A cache would do only when
it is shared too: without Redis the default cache lives in each process, and each
gunicorn worker accepted the same signed request once. The unique digest decides a race
between two processes: one insert wins, the other is told the key was used.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from miniport.core import clock
from miniport.core.models import UsedOnce


def first_use(key: str, *, lifetime_seconds: int) -> bool:
    """Whether `key` is used here for the first time within its lifetime; the use is
    remembered (in its own savepoint, so a caller's transaction goes on either way)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    now = clock.now()
    expires_at = now + timedelta(seconds=lifetime_seconds)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                UsedOnce.objects.create(digest=digest, expires_at=expires_at)
        except IntegrityError:
            # A mark past its lifetime that no purge has removed yet no longer counts.
            if not UsedOnce.objects.filter(digest=digest, expires_at__lt=now).delete()[0]:
                return False
        else:
            return True
    return False


def expired(now: datetime) -> QuerySet:
    """The marks past their lifetime, for the purge."""
    return UsedOnce.objects.filter(expires_at__lt=now)
