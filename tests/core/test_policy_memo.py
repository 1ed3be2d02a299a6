"""B-8: the policy table's values in force: each process keeps them in memory for a moment,
and an operator's change reaches it at once in the same process, within that moment in
another one."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.models import PolicyOverride
from miniport.core.services import policy_clear_override, policy_set_override

pytestmark = pytest.mark.django_db
KEY = "api.jscode2session_per_user_minute"
DEFAULT = policy.RULES_BY_KEY[KEY].default


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch):
    fake = FakeMonotonic()
    monkeypatch.setattr(policy, "_monotonic", fake)
    return fake


def another_process_sets(value: int) -> None:
    """What an operator's change made through another web process leaves behind here:
    the row changed and the shared cache emptied, this process's memory untouched."""
    PolicyOverride.objects.update_or_create(key=KEY, defaults={"value": value})
    cache.delete(policy._GENERATION_KEY)


def test_an_override_set_in_this_process_is_in_force_at_once(monotonic):
    assert policy.value(KEY) == DEFAULT
    policy_set_override(actor=Actor.system("tests"), key=KEY, value=7)
    assert policy.value(KEY) == 7
    policy_clear_override(actor=Actor.system("tests"), key=KEY)
    assert policy.value(KEY) == DEFAULT


def test_a_change_from_another_process_is_seen_once_the_memo_lapses(monotonic):
    assert policy.value(KEY) == DEFAULT
    another_process_sets(9)
    assert policy.value(KEY) == DEFAULT  # still this process's memory
    monotonic.now += policy._MEMO_SECONDS / 2
    assert policy.value(KEY) == DEFAULT
    monotonic.now += policy._MEMO_SECONDS
    assert policy.value(KEY) == 9


def test_the_memo_spares_the_cache_and_the_database_within_its_moment(
    monotonic, django_assert_num_queries
):
    with django_assert_num_queries(1):
        for _ in range(50):
            policy.value(KEY)
    cache.delete(policy._GENERATION_KEY)
    with django_assert_num_queries(0):
        policy.value(KEY)


def test_overrides_read_just_before_a_change_and_cached_just_after_it_are_never_served(
    monotonic, monkeypatch
):
    """Issue 14 item 3: a process reads the table just before an operator's change commits
    and stores what it read just after the change emptied the shared cache; once the memo
    lapses no process answers with that old value (it did for the cache's 30 s)."""
    store = cache.set
    straddled = []

    def change_commits_then_store(key, value, *args, **kwargs):
        if not straddled:
            straddled.append(key)
            another_process_sets(11)
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", change_commits_then_store)
    assert policy.value(KEY) == DEFAULT  # read before the change
    assert straddled
    monotonic.now += policy._MEMO_SECONDS * 2
    assert policy.value(KEY) == 11


def test_a_value_read_inside_a_change_that_rolls_back_is_never_served(monotonic, monkeypatch):
    """The audit row of an override reads the policy inside the change's transaction; when
    the change then rolls back, what that read saw is not served afterwards (it was, to
    every process, for the shared cache's 30 s)."""
    from miniport.core import events, services

    def fail(*args, **kwargs):
        raise RuntimeError("the outbox is gone")

    monkeypatch.setattr(events, "emit", fail)
    with pytest.raises(RuntimeError):
        services.policy_set_override(actor=Actor.system("tests"), key=KEY, value=13)
    assert not PolicyOverride.objects.filter(key=KEY).exists()
    monotonic.now += policy._MEMO_SECONDS * 2
    assert policy.value(KEY) == DEFAULT


def test_rules_are_read_from_the_table_while_the_shared_cache_is_down(monotonic, monkeypatch):
    """A Redis outage slows rule lookups; it does not fail them (nor the API calls that
    read them)."""
    from redis.exceptions import ConnectionError as RedisDown

    PolicyOverride.objects.create(key=KEY, value=5)

    def down(*args, **kwargs):
        raise RedisDown("refused")

    for name in ("get", "add", "set", "delete_many"):
        monkeypatch.setattr(cache, name, down)
    policy.forget_cached()
    assert policy.value(KEY) == 5


def test_a_change_drops_the_overrides_an_earlier_release_cached(monotonic):
    """During a rolling upgrade the processes of the previous release read the overrides
    from the key they always used: a change drops it, and nothing here writes it."""
    cache.set(policy._LEGACY_KEY, {KEY: 3})
    policy.value(KEY)
    assert cache.get(policy._LEGACY_KEY) == {KEY: 3}
    policy_set_override(actor=Actor.system("tests"), key=KEY, value=4)
    assert cache.get(policy._LEGACY_KEY) is None
    assert policy.value(KEY) == 4


def test_without_a_shared_cache_another_workers_change_is_seen_once_the_memo_lapses(monotonic):
    """README: a change is in force in every process within a second. Without Redis each
    worker has its own cache, which the other worker's change never empties: the change
    stamp under the var folder is what tells this one to look again."""
    assert policy._cache_is_shared() is False  # the suite runs on the local-memory cache
    assert policy.value(KEY) == DEFAULT  # now in this process's cache and memo
    PolicyOverride.objects.update_or_create(key=KEY, defaults={"value": 11})
    policy._mark_changed()  # what the other worker's change writes; this cache untouched
    monotonic.now += policy._MEMO_SECONDS * 2
    assert policy.value(KEY) == 11
