"""Every quantitative rule of the platform, in one table.

Each row names its default and the seed (or reference) that states it. The kernel keeps
the table and its own rows; each domain declares its rows in its own `policy.py` and
registers them from its AppConfig.ready(), so this module names no domain's rules.
Operators override rows from the ops desk; overrides live in `core.PolicyOverride`. No
other module writes a limit, window or fee as a literal: it asks `policy.value(KEY)`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.utils.translation import gettext_noop
from redis.exceptions import RedisError

# What the shared cache raises when Redis refuses or stalls (past the socket timeouts of
# settings.CACHES); the local memory cache never does.
CacheDown = (RedisError, OSError)


@dataclass(frozen=True)
class Rule:
    key: str
    default: int
    unit: str
    source: str
    description: str
    # The largest value an operator may set, where a stored column limits it (a test
    # keeps each in step with its model field) or a larger one would harm the platform.
    maximum: int | None = None
    # The smallest value an operator may set. A lifetime, a wait limit, a lease, a page
    # size, a retry count or a lockout threshold at 0 would break what it governs (a QR
    # code expired on arrival locks every console out; a lease of 0 delivers an event
    # twice; a threshold of 0 refuses every sign-in), so those rows declare 1 or more.
    minimum: int = 0


# The longest span a time rule may hold, in its unit: ten years. Beyond a date's range a
# lifetime would fail every request that computes an expiry (an OverflowError), and no
# rule of the table means more than years.
_TEN_YEARS = {
    "milliseconds": 10 * 365 * 86_400_000,
    "seconds": 10 * 365 * 86_400,
    "minutes": 10 * 365 * 1_440,
    "hours": 10 * 365 * 24,
    "days": 10 * 365,
}
# Any other count: what the table's column holds and a page can show, far above any use.
_LARGEST_COUNT = 2**31 - 1


def lowest(rule: Rule) -> int:
    """The smallest value an operator may set for `rule`."""
    return rule.minimum


def highest(rule: Rule) -> int:
    """The largest value an operator may set for `rule`: its own maximum where a stored
    column limits it, else ten years for a time, else a 32-bit count."""
    if rule.maximum is not None:
        return rule.maximum
    return _TEN_YEARS.get(rule.unit, _LARGEST_COUNT)


def range_partner(key: str) -> tuple[str, str] | None:
    """(the lower end's key, the upper end's key) when `key` is one end of a range: the
    rules "x.min_y"/"x.max_y" and "x.y_min_z"/"x.y_max_z" (name.min_length and
    name.max_length, registration.remittance_amount_min_fen and ..._max_fen)."""
    scope, _, name = key.rpartition(".")
    for low, high in (("min_", "max_"),):
        for mine, other, lower_end in ((low, high, True), (high, low, False)):
            if name.startswith(mine) or f"_{mine}" in name:
                partner = name.replace(mine, other, 1)
                partner_key = f"{scope}.{partner}" if scope else partner
                if partner_key in RULES_BY_KEY:
                    return (key, partner_key) if lower_end else (partner_key, key)
    return None


# Every rule by key, in registration order: the kernel's own below, each domain's from its
# `policy.py`, imported by the domain's AppConfig.ready().
RULES_BY_KEY: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    """Add a domain's rules to the table; a key registered twice is a programming error."""
    for rule in rules:
        existing = RULES_BY_KEY.get(rule.key)
        if existing is not None and existing != rule:
            raise ValueError(f"policy rule {rule.key!r} is registered twice")
        RULES_BY_KEY[rule.key] = rule


def rules() -> tuple[Rule, ...]:
    """Every registered rule, for the ops policy page and the tests."""
    return tuple(RULES_BY_KEY.values())


register(
    # Outbound calls (DESIGN: security)
    Rule(
        "outbound.max_redirects",
        3,
        gettext_noop("redirects"),
        "DESIGN security",
        gettext_noop("Redirects an outbound call follows, each target checked again"),
    ),
    Rule(
        "outbound.max_response_bytes",
        64 * 1024,
        gettext_noop("bytes"),
        "DESIGN security",
        gettext_noop("Largest response body an outbound call reads"),
    ),
    # Event outbox (DESIGN: kernel, events)
    Rule(
        "events.retry_max_backoff_seconds",
        3600,
        gettext_noop("seconds"),
        "DESIGN events",
        gettext_noop("Longest wait between two delivery attempts of an event"),
        minimum=1,
    ),
    Rule(
        "events.delivery_lease_seconds",
        300,
        gettext_noop("seconds"),
        "DESIGN events",
        gettext_noop("How long a delivery in progress keeps other deliverers off the event"),
        minimum=1,
    ),
    # Deliveries of events to receivers: inbox, email, webhooks, message push (B-6)
    Rule(
        "deliveries.max_attempts",
        8,
        gettext_noop("attempts"),
        "B-6",
        gettext_noop("Attempts at one delivery before it is marked failed"),
        minimum=1,
    ),
    Rule(
        "deliveries.retry_base_seconds",
        10,
        gettext_noop("seconds"),
        "B-6",
        gettext_noop("Wait after a delivery's first failed attempt; it doubles with each failure"),
        minimum=1,
    ),
    Rule(
        "deliveries.retry_max_backoff_seconds",
        3600,
        gettext_noop("seconds"),
        "B-6",
        gettext_noop("Longest wait between two attempts at one delivery"),
        minimum=1,
    ),
    Rule(
        "deliveries.timeout_seconds",
        10,
        gettext_noop("seconds"),
        "B-6",
        gettext_noop("Time a receiver has to answer one delivery attempt"),
        minimum=1,
    ),
    Rule(
        "deliveries.lease_seconds",
        120,
        gettext_noop("seconds"),
        "B-6",
        gettext_noop("How long a worker holds a delivery it is attempting"),
        minimum=1,
    ),
    Rule(
        "deliveries.worker_threads",
        8,
        gettext_noop("threads"),
        "DESIGN background work",
        gettext_noop("Deliveries one worker process attempts at the same time"),
        minimum=1,
        maximum=64,
    ),
    # Audit log (DESIGN: kernel, audit; issue 9 item 7)
    Rule(
        "audit.checkpoint_every_rows",
        1000,
        gettext_noop("entries"),
        "DESIGN audit",
        gettext_noop(
            "Entries of one audit chain between two signed checkpoints; the audit page "
            "verifies at most this many"
        ),
        maximum=100_000,
        minimum=1,
    ),
    Rule(
        "audit.anchor_interval_minutes",
        60,
        gettext_noop("minutes"),
        "DESIGN audit",
        gettext_noop(
            "Time between two passes of the worker that anchor each moved audit chain in a "
            "signed checkpoint and verify every chain since its latest one"
        ),
        minimum=1,
    ),
    Rule(
        "audit.action_hint_rows",
        1000,
        gettext_noop("entries"),
        "DESIGN audit",
        gettext_noop("Newest audit entries whose actions the audit page offers as filters"),
        maximum=100_000,
    ),
)
# The shared cache (Redis when configured) holds the overrides for _CACHE_SECONDS; each
# process also keeps them in memory for _MEMO_SECONDS, because the server API's hot path
# reads several rules per call and a cache read (a pickled dict) costs more than the rest
# of the lookup. `forget_cached` drops both; another process sees a change within
# _MEMO_SECONDS once the shared cache is refreshed.
#
# _GENERATION_KEY names a generation, and the overrides are cached under it. A change drops
# the generation (before and again after its commit, core.services), so a process that
# read the table just before the commit stores what it read under a generation nobody
# asks for any more: storing it under one fixed key would serve the old value to every
# process for _CACHE_SECONDS (issue 14 item 3).
_GENERATION_KEY = "miniport:policy:generation"
_OVERRIDES_KEY = "miniport:policy:overrides:v2"
# Where releases before the generation kept the overrides. A change drops it too, so that
# the processes of such a release still running beside this one during a rolling upgrade
# see the change; nothing here writes it, so they never read a generation as overrides.
_LEGACY_KEY = "miniport:policy:overrides"
_CACHE_SECONDS = 30
_MEMO_SECONDS = 1.0
# Replaced whole, never changed in place: threads read it without a lock.
_memo: tuple[float, dict[str, int]] | None = None
_monotonic = time.monotonic  # tests move it


def _table() -> dict[str, int]:
    from miniport.core.models import PolicyOverride

    return dict(PolicyOverride.objects.values_list("key", "value"))


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        if not cache.add(_GENERATION_KEY, generation, _CACHE_SECONDS):
            generation = cache.get(_GENERATION_KEY) or generation
    return str(generation)


@functools.cache
def _cache_is_shared() -> bool:
    """Whether the processes of this installation share the cache (Redis), or each has
    its own (local memory, the default without REDIS_URL)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


def _stamp_path() -> Path:
    """The change stamp of this database's overrides, shared by the processes of one
    machine through the var folder (one file per database: test databases apart)."""
    from django.conf import settings
    from django.db import connection

    name = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:16]
    return Path(settings.VAR_DIR) / "policy-stamps" / name


def _local_stamp() -> str:
    """Without a shared cache, a change dropped the generation of its own process's cache
    only: the stamp it writes makes every other worker of the machine look again once its
    memo lapses, within _MEMO_SECONDS as with Redis (a file read a second per process)."""
    if _cache_is_shared():
        return ""
    try:
        return _stamp_path().read_text(encoding="ascii")
    except OSError:
        return ""


def _mark_changed() -> None:
    if _cache_is_shared():
        return
    path = _stamp_path()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(8), encoding="ascii")


def _overrides() -> dict[str, int]:
    global _memo
    memo = _memo
    if memo is not None and _monotonic() < memo[0]:
        return memo[1]
    try:
        cached_as = f"{_OVERRIDES_KEY}:{_generation()}{_local_stamp()}"
        overrides = cache.get(cached_as)
    except CacheDown:
        # Without the shared cache the table answers (each process once per memo), so
        # an outage of Redis slows rule lookups instead of failing every API call.
        cached_as, overrides = "", None
    if overrides is None:
        overrides = _table()
        if cached_as:
            with contextlib.suppress(*CacheDown):
                cache.set(cached_as, overrides, _CACHE_SECONDS)
    _memo = (_monotonic() + _MEMO_SECONDS, overrides)
    return overrides


def value(key: str) -> int:
    """The rule's value in force: the operator's override, else the default."""
    rule = RULES_BY_KEY[key]  # an unknown key is a programming error
    return _overrides().get(key, rule.default)


def forget_cached() -> None:
    global _memo
    _memo = None
    _mark_changed()
    # While the shared cache is down every process reads the table: nothing to drop.
    with contextlib.suppress(*CacheDown):
        cache.delete_many([_GENERATION_KEY, _LEGACY_KEY])
