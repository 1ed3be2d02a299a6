"""MEM-1 / MEM-4: additions running during an administrator hand-over never leave a
member row for the new administrator (the administrator is never a member). The
administrator is read inside the addition's transaction, not from the mini program the
caller loaded before the hand-over."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.models import QrTicket
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MiniProgram
from miniport.miniprograms.services import members as member_services
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.miniprograms.conftest import snapshot


def _loaded(team) -> MiniProgram:
    """The mini program as a request loaded it, before anything below happens."""
    return MiniProgram.objects.select_related("admin_identity").get(pk=team.miniprogram.pk)


def test_an_addition_holding_the_mini_program_from_before_a_hand_over_cannot_add_the_new_administrator(
    team, make_identity, add_member, hand_over
):
    """MEM-1: ADMIN_CANNOT_BE_MEMBER although the caller's copy names the old administrator."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    bob = make_identity("bob_next")
    stale = _loaded(team)
    hand_over(team, bob)
    assert stale.admin_identity_id != bob.pk
    before = snapshot(team.miniprogram)
    attempts = [
        lambda: member_services.member_request_add(
            actor=Actor.for_identity(dev.identity),
            miniprogram=stale,
            wechat_id=bob.wechat_id,
            kind="experience",
            session_key="browser-after",
        ),
        lambda: member_services.tester_bind(
            actor=Actor.for_app(stale.appid), miniprogram=stale, wechat_id=bob.wechat_id
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PlatformError) as refused:
            attempt()
        assert refused.value.code is MiniProgramError.ADMIN_CANNOT_BE_MEMBER
    assert snapshot(team.miniprogram) == before
    assert selectors.roles_of(bob, team.miniprogram) == {permissions.ADMINISTRATOR}


def test_an_addition_after_a_hand_over_waits_for_the_new_administrators_scan(
    team, make_identity, add_member, hand_over
):
    """MEM-4: the confirmation ticket expects the administrator as stored, not the one in
    the caller's copy of the mini program."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    bob = make_identity("bob_next")
    stale = _loaded(team)
    hand_over(team, bob)
    _member, ticket = member_services.member_request_add(
        actor=Actor.for_identity(dev.identity),
        miniprogram=stale,
        wechat_id=make_identity("tester_01").wechat_id,
        kind="experience",
        session_key="browser-after",
    )
    assert QrTicket.objects.get(pk=ticket.pk).expected_identity_id == bob.pk


@pytest.mark.django_db(transaction=True)
def test_additions_of_the_new_administrator_racing_the_hand_over_leave_no_member_row(
    team, make_identity, add_member
):
    """MEM-1: whichever commits first, the new administrator ends with no member row and
    the places taken for it are given back."""
    from miniport.identities import services as identity_services
    from miniport.miniprograms.services import handover as handover_services

    assert_shared_database()
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    bob = make_identity("bob_next")
    handover = handover_services.handover_start(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        wechat_id=bob.wechat_id,
        session_key="handover-browser",
    )
    identity_services.ticket_confirm(identity=team.admin, token=handover.current_ticket.token)
    identity_services.ticket_confirm(identity=bob, token=handover.new_ticket.token)
    stale = _loaded(team)
    adders = [Actor.for_identity(dev.identity), team.admin_actor]

    def work(index: int):
        if index == 0:
            return handover_services.handover_complete(
                actor=team.admin_actor,
                miniprogram=stale,
                current_token=handover.current_ticket.token,
                new_token=handover.new_ticket.token,
                session_key="handover-browser",
            )
        kind = "experience" if index % 2 else "project"
        return member_services.member_request_add(
            actor=adders[index % 2 == 0],
            miniprogram=stale,
            wechat_id=bob.wechat_id,
            kind=kind,
            roles=("developer",),
            session_key=f"browser-{index}",
        )

    outcomes = run_concurrently(9, work)
    assert not isinstance(outcomes[0], Exception), outcomes[0]
    unexpected = [
        o
        for o in outcomes[1:]
        if isinstance(o, Exception)
        and not (
            isinstance(o, PlatformError)
            and o.code
            in (
                MiniProgramError.ADMIN_CANNOT_BE_MEMBER,
                MiniProgramError.ALREADY_MEMBER,
                CoreError.PERMISSION_DENIED,
            )
        )
    ]
    assert unexpected == []
    assert MiniProgram.objects.get(pk=team.miniprogram.pk).admin_identity_id == bob.pk
    assert not Member.objects.filter(miniprogram=team.miniprogram, identity=bob).exists()
    assert selectors.places(team.miniprogram, "experience").taken == 0
    assert selectors.places(team.miniprogram, "project").taken == 1  # the developer
