"""OPN-1 under concurrency: 30 bindings asked at once by real threads end exactly at the
open account's limit (a policy row), on file SQLite and PostgreSQL; one app binds once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.links.open_platform import services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import Certification, OpenAccount, OpenBinding

THREADS = 30
pytestmark = pytest.mark.django_db(transaction=True)


def limit(key, value):
    PolicyOverride.objects.create(key=key, value=value)
    policy.forget_cached()


def in_parallel(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=20)
            call()
            outcomes[index] = "bound"
        except PlatformError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _bind(account, miniprogram, *, via_api):
    def call():
        services.open_bind(
            actor=Actor.system("tests"), account=account, miniprogram=miniprogram, via_api=via_api
        )

    return call


def test_opn1_thirty_parallel_api_bindings_stop_at_the_uncertified_limit(provision, same_subject):
    limit("registration.id_number_max_miniprograms", 100)
    limit("registration.phone_max_miniprograms", 100)
    first = provision("enterprise", certified=True).miniprogram
    account = services.open_create(actor=Actor.system("tests"), miniprogram=first, via_api=True)
    apps = [same_subject(first).miniprogram for _ in range(THREADS)]
    outcomes = in_parallel([_bind(account, mp, via_api=True) for mp in apps])
    assert outcomes.count("bound") == 4, outcomes  # the creating app holds the fifth place
    assert outcomes.count(OpenError.APP_LIMIT) == THREADS - 4, outcomes
    account.refresh_from_db()
    assert account.bound_count == 5 == OpenBinding.objects.filter(open_account=account).count()


def test_opn1_thirty_parallel_console_bindings_stop_at_the_certified_limit(provision):
    limit("open.certified_max_apps", 7)
    owner = provision("enterprise", certified=True).miniprogram
    account = services.open_create(actor=Actor.system("tests"), miniprogram=owner, via_api=False)
    OpenAccount.objects.filter(pk=account.pk).update(certification=Certification.CERTIFIED)
    account.refresh_from_db()
    apps = [provision("personal").miniprogram for _ in range(THREADS)]
    outcomes = in_parallel([_bind(account, mp, via_api=False) for mp in apps])
    assert outcomes.count("bound") == 7, outcomes
    assert outcomes.count(OpenError.APP_LIMIT) == THREADS - 7, outcomes
    account.refresh_from_db()
    assert account.bound_count == 7 == OpenBinding.objects.filter(open_account=account).count()


def test_opn1_one_app_bound_by_thirty_parallel_requests_holds_one_place(provision):
    owner = provision("enterprise", certified=True).miniprogram
    account = services.open_create(actor=Actor.system("tests"), miniprogram=owner, via_api=False)
    OpenAccount.objects.filter(pk=account.pk).update(certification=Certification.CERTIFIED)
    account.refresh_from_db()
    app = provision("personal").miniprogram
    outcomes = in_parallel([_bind(account, app, via_api=False) for _ in range(THREADS)])
    assert outcomes.count("bound") == 1, outcomes
    assert outcomes.count(OpenError.ALREADY_BOUND) == THREADS - 1, outcomes
    account.refresh_from_db()
    assert account.bound_count == 1


def _unbind(account, miniprogram):
    def call():
        services.open_unbind(actor=Actor.system("tests"), account=account, miniprogram=miniprogram)

    return call


def test_opn1_parallel_binds_and_unbinds_leave_the_counter_equal_to_the_bindings(provision):
    # Ten apps bound; at once: each unbound twice (one wins, one is NOT_BOUND_HERE), five
    # unbound apps unbound (NOT_BOUND_HERE), five bound: the counter never drifts. The
    # limit leaves room for all fifteen, so no bind depends on which unbinds ran first
    # (the limit itself has its own tests above).
    limit("open.certified_max_apps", 15)
    owner = provision("enterprise", certified=True).miniprogram
    account = services.open_create(actor=Actor.system("tests"), miniprogram=owner, via_api=False)
    OpenAccount.objects.filter(pk=account.pk).update(certification=Certification.CERTIFIED)
    account.refresh_from_db()
    bound = [provision("personal").miniprogram for _ in range(10)]
    for mp in bound:
        services.open_bind(
            actor=Actor.system("tests"), account=account, miniprogram=mp, via_api=False
        )
    fresh = [provision("personal").miniprogram for _ in range(5)]
    calls = [_unbind(account, mp) for mp in bound * 2]
    calls += [_unbind(account, mp) for mp in fresh] + [
        _bind(account, mp, via_api=False) for mp in fresh
    ]
    outcomes = in_parallel(calls)
    assert outcomes.count(OpenError.NOT_BOUND_HERE) + outcomes.count("bound") == len(calls), (
        outcomes
    )
    account.refresh_from_db()
    assert account.bound_count == OpenBinding.objects.filter(open_account=account).count()
    # Every earlier app unbound once; the fresh ones bound, less those unbound after that.
    assert outcomes[:20].count("bound") == 10 and outcomes[25:].count("bound") == 5
    assert account.bound_count == 5 - outcomes[20:25].count("bound")


def test_opn1_thirty_parallel_api_creates_of_one_app_leave_one_account_bound(provision):
    app = provision("enterprise", certified=True).miniprogram

    def create():
        services.open_create(actor=Actor.system("tests"), miniprogram=app, via_api=True)

    outcomes = in_parallel([create for _ in range(THREADS)])
    assert outcomes.count("bound") == 1, outcomes
    assert outcomes.count(OpenError.ALREADY_BOUND) == THREADS - 1, outcomes
    # No account is left behind without its binding (the refusal undid the creation).
    account = OpenAccount.objects.get()
    assert account.bound_count == 1 and OpenBinding.objects.get().open_account == account
