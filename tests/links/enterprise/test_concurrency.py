"""Enterprise limits under concurrency: real threads at once end exactly at the member
limit and at one live association per pair, on file SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import Association, Member, RangeEntry
from miniport.links.enterprise.services import associations, directory
from tests.links.enterprise.conftest import associate

THREADS = 20
pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=20)
            call()
            outcomes[index] = "done"
        except PlatformError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_parallel_member_additions_stop_exactly_at_the_member_limit(corp, make_identity):
    PolicyOverride.objects.create(key="enterprise.max_members", value=7)  # 2 already
    policy.forget_cached()
    people = [make_identity() for _ in range(THREADS)]
    outcomes = in_parallel(
        [
            lambda who=who: directory.member_add(
                actor=corp.actor, enterprise=corp.enterprise, wechat_id=who.wechat_id
            )
            for who in people
        ]
    )
    assert outcomes.count("done") == 5, outcomes
    assert outcomes.count(EnterpriseError.MEMBER_LIMIT) == THREADS - 5, outcomes
    assert Member.objects.filter(enterprise=corp.enterprise).count() == 7


def test_ww2_parallel_requests_of_one_pair_leave_one_live_association(corp, live_app):
    outcomes = in_parallel(
        [
            lambda n=n: associations.request_from_enterprise(
                actor=corp.actor,
                enterprise=corp.enterprise,
                appid=live_app.appid,
                session_key=f"s{n}",
            )
            for n in range(THREADS)
        ]
    )
    assert outcomes.count("done") == 1, outcomes
    assert outcomes.count(EnterpriseError.ALREADY_ASSOCIATED) == THREADS - 1, outcomes
    assert Association.objects.count() == 1


def test_ww4_a_member_removed_while_the_range_is_saved_leaves_no_entry_and_no_error(
    corp, live_app, monkeypatch
):
    """range_set checks the members, then writes the entries: a removal in between (on
    PostgreSQL the foreign key is checked at commit) waits for the range to be saved, then
    takes its entry with it."""
    active = associate(corp, live_app)
    removal: dict = {}
    read_range = associations.selectors.range_of

    def range_of_with_a_removal(found):
        def remove():
            try:
                directory.member_remove(
                    actor=corp.actor, enterprise=corp.enterprise, member=corp.seller.pk
                )
                removal["outcome"] = "done"
            except Exception as error:  # noqa: BLE001 - reported by the assertion
                removal["outcome"] = repr(error)
            finally:
                connection.close()

        removal["thread"] = threading.Thread(target=remove)
        removal["thread"].start()
        removal["thread"].join(timeout=2)  # it finishes now unless the enterprise is locked
        return read_range(found)

    monkeypatch.setattr(associations.selectors, "range_of", range_of_with_a_removal)
    associations.range_set(actor=corp.actor, association=active, members=[corp.seller, corp.clerk])
    removal["thread"].join(timeout=60)
    assert removal["outcome"] == "done"
    assert not Member.objects.filter(pk=corp.seller.pk).exists()
    assert list(RangeEntry.objects.values_list("member", flat=True)) == [corp.clerk.pk]
