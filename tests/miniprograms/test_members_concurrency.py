"""MEM-3 / MEM-4 under real concurrency: additions racing for the last place, on a file
SQLite database and on PostgreSQL."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.services import policy_set_override
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member
from miniport.miniprograms.services import testers as tester_services
from tests.core.concurrency import assert_shared_database, run_concurrently

CONTENDERS = 50


def _fill_all_but_one(team, make_identity, request_member, kind):
    limit = selectors.member_limit(team.miniprogram, kind)
    for _ in range(limit - 1):
        request_member(team, make_identity(), kind=kind, session="filler")
    assert selectors.places(team.miniprogram, kind).left == 1


def _outcome_summary(outcomes):
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, PlatformError)
    ]
    assert unexpected == []
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    refusals = {o.code for o in outcomes if isinstance(o, PlatformError)}
    return winners, refusals


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["project", "experience"])
def test_fifty_console_additions_for_the_last_place_give_exactly_one_success(
    team, make_identity, request_member, kind
):
    """MEM-4: pending additions hold places, so the last one goes to exactly one request."""
    assert_shared_database()
    _fill_all_but_one(team, make_identity, request_member, kind)
    people = [make_identity() for _ in range(CONTENDERS)]

    def add(index):
        return request_member(team, people[index], kind=kind, session=f"browser-{index}")

    winners, refusals = _outcome_summary(run_concurrently(CONTENDERS, add))
    full = (
        MiniProgramError.PROJECT_MEMBER_LIMIT
        if kind == "project"
        else MiniProgramError.TESTER_LIMIT
    )
    assert len(winners) == 1
    assert refusals == {full}
    limit = selectors.member_limit(team.miniprogram, kind)
    assert Member.objects.filter(miniprogram=team.miniprogram, kind=kind).count() == limit
    assert selectors.places(team.miniprogram, kind).taken == limit


@pytest.mark.django_db(transaction=True)
def test_console_and_api_race_for_the_same_last_tester_place(team, make_identity, request_member):
    """MEM-3: the server API shares the console's places."""
    assert_shared_database()
    _fill_all_but_one(team, make_identity, request_member, "experience")
    people = [make_identity() for _ in range(CONTENDERS)]
    app = Actor.for_app(team.miniprogram.appid)

    def add(index):
        if index % 2:
            return tester_services.tester_bind(
                actor=app, miniprogram=team.miniprogram, wechat_id=people[index].wechat_id
            )
        return request_member(
            team, people[index], kind="experience", roles=(), session=f"browser-{index}"
        )

    winners, refusals = _outcome_summary(run_concurrently(CONTENDERS, add))
    assert len(winners) == 1
    assert refusals == {MiniProgramError.TESTER_LIMIT}
    assert Member.objects.filter(miniprogram=team.miniprogram, kind="experience").count() == 10


@pytest.mark.django_db(transaction=True)
def test_the_same_identity_added_fifty_times_at_once_gets_one_row(
    team, make_identity, request_member
):
    """MEM-1: ALREADY_MEMBER holds under concurrency and the losers give their place back."""
    assert_shared_database()
    alice = make_identity("alice_dev")

    def add(index):
        return request_member(team, alice, session=f"browser-{index}")

    winners, refusals = _outcome_summary(run_concurrently(CONTENDERS, add))
    assert len(winners) == 1
    assert refusals <= {MiniProgramError.ALREADY_MEMBER, MiniProgramError.PROJECT_MEMBER_LIMIT}
    assert Member.objects.filter(miniprogram=team.miniprogram).count() == 1
    assert selectors.places(team.miniprogram, "project").taken == 1


@pytest.mark.django_db(transaction=True)
def test_one_identity_racing_into_many_lists_stays_within_its_tester_limit(
    provision, make_identity, system_actor
):
    """MEM-3 / 85003: the identity's own count holds under concurrency."""
    assert_shared_database()
    policy_set_override(actor=system_actor, key="members.tester_of_max_miniprograms", value=3)
    tester = make_identity("busy_tester")
    apps = [provision("personal").miniprogram for _ in range(12)]

    def bind(index):
        mp = apps[index]
        return tester_services.tester_bind(
            actor=Actor.for_app(mp.appid), miniprogram=mp, wechat_id=tester.wechat_id
        )

    winners, refusals = _outcome_summary(run_concurrently(len(apps), bind))
    assert len(winners) == 3
    assert refusals == {MiniProgramError.TESTER_OF_TOO_MANY}
    assert Member.objects.filter(identity=tester).count() == 3
