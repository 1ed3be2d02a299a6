"""B-10's replay refusal rests on `core.once`: a key is used once within its lifetime,
remembered in the database every process shares; a mark past its lifetime no longer
counts and the purge removes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from miniport.core import clock, once, purge
from miniport.core.models import UsedOnce

pytestmark = pytest.mark.django_db


def test_a_key_is_used_once_within_its_lifetime():
    assert once.first_use("upload-signature:a", lifetime_seconds=60)
    assert not once.first_use("upload-signature:a", lifetime_seconds=60)
    assert once.first_use("upload-signature:b", lifetime_seconds=60)
    assert UsedOnce.objects.count() == 2


def test_the_database_keeps_only_the_keys_digest():
    once.first_use("upload-signature:secret-looking", lifetime_seconds=60)
    mark = UsedOnce.objects.get()
    assert len(mark.digest) == 64 and "secret" not in mark.digest


def test_a_mark_past_its_lifetime_no_longer_counts():
    start = clock.now()
    with time_machine.travel(start, tick=False):
        assert once.first_use("k", lifetime_seconds=60)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert once.first_use("k", lifetime_seconds=60)
        assert not once.first_use("k", lifetime_seconds=60)
    assert UsedOnce.objects.count() == 1


def test_a_refused_use_leaves_the_callers_transaction_usable():
    with transaction.atomic():
        assert once.first_use("k", lifetime_seconds=60)
        assert not once.first_use("k", lifetime_seconds=60)
        assert UsedOnce.objects.count() == 1


def test_the_purge_removes_marks_past_their_lifetime():
    start = clock.now()
    with time_machine.travel(start, tick=False):
        once.first_use("old", lifetime_seconds=10)
        once.first_use("young", lifetime_seconds=3600)
    removed = purge.run_once(start + timedelta(seconds=11))
    assert removed["used_once_marks"] == 1
    assert list(UsedOnce.objects.values_list("expires_at", flat=True)) == [
        start + timedelta(seconds=3600)
    ]
