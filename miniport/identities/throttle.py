"""Sign-in guards: counting failed sign-ins over a sliding window (how long a scope, such
as one name from one address, one address, or one name from anywhere, must wait before
its next attempt), and the password work done for a name that does not exist.

Used by the identity sign-in here and, a floor above, by the console and ops logins;
each keeps its own failure table and policy rows and passes them in."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import QuerySet

from miniport.core import clock

_DUMMY_HASH: dict[str, str] = {}


def check_nobody_password(raw: object) -> bool:
    """Check `raw` against a fixed password hashed with the current default hasher, so
    that an unknown name costs the same password work as a wrong password (the answer
    time must not tell which names exist). Always False."""
    from django.conf import settings

    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _DUMMY_HASH:
        _DUMMY_HASH[hasher] = make_password("a password nobody has")
    check_password(raw if isinstance(raw, str) else "", _DUMMY_HASH[hasher])
    return False


@dataclass(frozen=True)
class Scope:
    """One counter: its name (audited), the failures it counts, its limit."""

    name: str
    failures: QuerySet
    limit: int


def sign_in_scopes(
    failures: QuerySet,
    *,
    subject: str,
    matches: dict[str, str],
    ip: str,
    per_subject_address: int,
    per_subject: int,
    per_address: int,
) -> list[Scope]:
    """The three counters of a sign-in (issue 9 items 1 and 5): one subject (`matches`
    selects its failures) from one address, that subject from every address, and the
    address whatever the subject (when the address is known)."""
    scopes = [
        Scope(f"{subject}_address", failures.filter(**matches, ip=ip), per_subject_address),
        Scope(subject, failures.filter(**matches), per_subject),
    ]
    if ip:
        scopes.append(Scope("address", failures.filter(ip=ip), per_address))
    return scopes


def wait_seconds(scope: Scope, *, window: int, now: datetime | None = None) -> int:
    """Seconds until `scope` may try again: 0 while it has fewer than `limit` failures in
    the last `window` seconds, else until the failure that reached the limit leaves the
    window (a failure exactly one window old has left it). A limit of 0 refuses always."""
    now = now or clock.now()
    if scope.limit <= 0:
        return max(window, 1)
    recent = scope.failures.filter(at__gt=now - timedelta(seconds=window))
    # The limit-th newest failure: while it is in the window, the scope is at its limit.
    reached = recent.order_by("-at").values_list("at", flat=True)[scope.limit - 1 : scope.limit]
    at = next(iter(reached), None)
    if at is None:
        return 0
    return max(math.ceil((at + timedelta(seconds=window) - now).total_seconds()), 1)


def throttled(scopes: Iterable[Scope], *, window: int) -> dict[str, int]:
    """The scopes at their limit, each with its wait in seconds (empty: not throttled)."""
    now = clock.now()
    waits = {scope.name: wait_seconds(scope, window=window, now=now) for scope in scopes}
    return {name: wait for name, wait in waits.items() if wait > 0}


def just_reached(scopes: Iterable[Scope], *, window: int) -> list[tuple[Scope, int]]:
    """After a failure was recorded: the scopes it brought exactly to their limit (the
    throttle starts now), with their failure counts. Called once per failure, so each
    lockout is reported once, not on every refused attempt."""
    since = clock.now() - timedelta(seconds=window)
    started = []
    for scope in scopes:
        if scope.limit <= 0:
            continue
        count = scope.failures.filter(at__gt=since).count()
        if count == scope.limit:
            started.append((scope, count))
    return started
