"""REG-5 / REG-9 under concurrency: parallel confirmations never exceed the ID-number limit
and never confirm one registration twice (real threads, file SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import connection

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Subject
from miniport.core import ids, policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import registration_confirm


def confirm_in_parallel(walks):
    """Confirm each walk's registration from its own thread, all released at once."""
    barrier = threading.Barrier(len(walks))
    outcomes = [None] * len(walks)

    def run(index, walk):
        try:
            barrier.wait(timeout=10)
            registration_confirm(actor=walk.actor, registration=walk.registration)
            outcomes[index] = "confirmed"
        except PlatformError as error:
            outcomes[index] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(walks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_never_exceed_the_id_number_limit(drive, make_identity):
    """REG-5: with one place left, exactly one of two parallel confirmations gets it."""
    PolicyOverride.objects.create(key="registration.id_number_max_miniprograms", value=1)
    policy.forget_cached()
    person = make_identity()
    walks = [drive("checked", admin=person) for _ in range(2)]
    outcomes = confirm_in_parallel(walks)
    assert sorted(map(str, outcomes)) == sorted(["confirmed", str(AccountError.ID_NUMBER_QUOTA)])
    assert Subject.objects.filter(admin_id_digest=ids.digest(person.id_number)).count() == 1
    assert MiniProgram.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_registration_confirmed_twice_in_parallel_is_confirmed_once(drive):
    """REG-9: the second of two simultaneous confirmations finds the subject confirmed."""
    walk = drive("checked", subject_type="enterprise")
    outcomes = confirm_in_parallel([walk, walk])
    assert sorted(map(str, outcomes)) == sorted(["confirmed", str(AccountError.SUBJECT_IMMUTABLE)])
    assert Subject.objects.count() == 1 and MiniProgram.objects.count() == 1
