"""OA-2 under concurrency: 30 association requests made at once by real threads end
exactly at each limit, on file SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import links
from miniport.links.official_accounts.errors import OfficialAccountError as E
from miniport.links.official_accounts.models import OfficialAccountLink
from tests.links.official_accounts.support import limit

THREADS = 30
pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(pairs):
    """Each (official account, mini program) pair asked from its own thread at once."""
    barrier = threading.Barrier(len(pairs))
    outcomes: list = [None] * len(pairs)

    def run(index, oa, mp):
        try:
            barrier.wait(timeout=20)
            links.link_request(actor=Actor.system("tests"), official_account=oa, appid=mp.appid)
            outcomes[index] = "asked"
        except PlatformError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *pair)) for i, pair in enumerate(pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _apps(provision, count):
    return [provision("enterprise").miniprogram for _ in range(count)]


def test_oa2_thirty_parallel_requests_stop_at_ten_of_the_same_subject(
    make_oa, provision, same_subject
):
    # REG-5 would stop the subject at 5 registrations first.
    limit("registration.id_number_max_miniprograms", 100)
    limit("registration.phone_max_miniprograms", 100)
    first = provision("enterprise").miniprogram
    oa = make_oa(subject_of=first)
    apps = [first] + [same_subject(first).miniprogram for _ in range(THREADS - 1)]
    outcomes = in_parallel([(oa, mp) for mp in apps])
    assert outcomes.count("asked") == 10, outcomes
    assert outcomes.count(E.SAME_SUBJECT_LIMIT) == THREADS - 10, outcomes
    assert OfficialAccountLink.objects.filter(official_account=oa).count() == 10


def test_oa2_thirty_parallel_requests_stop_at_three_of_other_subjects(make_oa, provision):
    oa = make_oa()
    outcomes = in_parallel([(oa, mp) for mp in _apps(provision, THREADS)])
    assert outcomes.count("asked") == 3, outcomes
    assert outcomes.count(E.OTHER_SUBJECT_LIMIT) == THREADS - 3, outcomes
    assert OfficialAccountLink.objects.filter(official_account=oa).count() == 3


def test_oa2_thirty_parallel_requests_stop_at_the_official_accounts_of_a_mini_program(
    make_oa, provision
):
    limit("official_account.links_per_miniprogram", 7)
    mp = provision("enterprise").miniprogram
    outcomes = in_parallel([(make_oa(), mp) for _ in range(THREADS)])
    assert outcomes.count("asked") == 7, outcomes
    assert outcomes.count(E.MINIPROGRAM_LINK_LIMIT) == THREADS - 7, outcomes
    assert OfficialAccountLink.objects.filter(miniprogram=mp).count() == 7


def test_oa2_thirty_parallel_requests_stop_at_thirteen_additions_a_month(make_oa, provision):
    limit("official_account.other_subject_links", 100)
    oa = make_oa()
    outcomes = in_parallel([(oa, mp) for mp in _apps(provision, THREADS)])
    assert outcomes.count("asked") == 13, outcomes
    assert outcomes.count(E.MONTHLY_LIMIT) == THREADS - 13, outcomes
    assert OfficialAccountLink.objects.filter(official_account=oa).count() == 13


def test_oa2_thirty_parallel_requests_stop_at_the_additions_a_month_of_a_mini_program(
    make_oa, provision
):
    limit("official_account.miniprogram_additions_per_month", 11)
    mp = provision("enterprise").miniprogram
    outcomes = in_parallel([(make_oa(), mp) for _ in range(THREADS)])
    assert outcomes.count("asked") == 11, outcomes
    assert outcomes.count(E.MINIPROGRAM_MONTHLY_LIMIT) == THREADS - 11, outcomes
    assert OfficialAccountLink.objects.filter(miniprogram=mp).count() == 11


def test_oa2_thirty_parallel_requests_of_one_pair_leave_one_request(make_oa, provision):
    mp = provision("enterprise").miniprogram
    oa = make_oa()
    outcomes = in_parallel([(oa, mp)] * THREADS)
    assert outcomes.count("asked") == 1, outcomes
    assert outcomes.count(E.ALREADY_WAITING) == THREADS - 1, outcomes
    assert OfficialAccountLink.objects.filter(official_account=oa).count() == 1
