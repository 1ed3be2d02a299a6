"""MEM-1: administrator hand-over, confirmed by the current administrator and the new
one (a real-name verified adult)."""

from __future__ import annotations

from datetime import date

import pytest

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import handover as handover_services
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import SESSION, snapshot


def _start(team, new_admin, actor=None):
    return handover_services.handover_start(
        actor=actor or team.admin_actor,
        miniprogram=team.miniprogram,
        wechat_id=new_admin.wechat_id,
        session_key=SESSION,
    )


def _complete(team, handover):
    return handover_services.handover_complete(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        current_token=handover.current_ticket.token,
        new_token=handover.new_ticket.token,
        session_key=SESSION,
    )


def test_both_confirmations_make_the_new_identity_the_administrator(
    team, make_identity, add_member
):
    """MEM-1: hand-over; the new administrator's member rows go, the old one keeps nothing."""
    bob = make_identity("bob_next")
    add_member(team, bob, roles=("developer",))
    add_member(team, bob, kind="experience", roles=())
    old = team.admin
    handover = _start(team, bob)
    assert handover.current_ticket.expected_identity_id == old.pk
    assert handover.new_ticket.expected_identity_id == bob.pk
    identity_services.ticket_confirm(identity=old, token=handover.current_ticket.token)
    identity_services.ticket_confirm(identity=bob, token=handover.new_ticket.token)
    mp = _complete(team, handover)
    assert mp.admin_identity_id == bob.pk
    assert MiniProgram.objects.get(pk=mp.pk).admin_identity_id == bob.pk
    assert selectors.roles_of(bob, mp) == {permissions.ADMINISTRATOR}
    assert selectors.roles_of(old, mp) == set()
    assert mp.members.count() == 0
    assert selectors.places(mp, "project").taken == 0
    assert selectors.places(mp, "experience").taken == 0
    # The old administrator can be added back like anyone else.
    team.admin = bob
    assert add_member(team, old, roles=("operator",)).roles == ["operator"]


def test_one_confirmation_is_not_enough(team, make_identity):
    """MEM-1: both identities confirm."""
    bob = make_identity("bob_next")
    handover = _start(team, bob)
    identity_services.ticket_confirm(identity=team.admin, token=handover.current_ticket.token)
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _complete(team, handover)
    assert refused.value.code is IdentityError.TICKET_PENDING
    assert snapshot(team.miniprogram) == before


def test_a_denial_by_the_new_administrator_stops_the_hand_over(team, make_identity):
    bob = make_identity("bob_next")
    handover = _start(team, bob)
    identity_services.ticket_confirm(identity=team.admin, token=handover.current_ticket.token)
    identity_services.ticket_deny(identity=bob, token=handover.new_ticket.token)
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _complete(team, handover)
    assert refused.value.code is IdentityError.TICKET_DENIED
    assert snapshot(team.miniprogram) == before


def test_each_side_is_confirmed_only_by_its_own_identity(team, make_identity):
    bob = make_identity("bob_next")
    handover = _start(team, bob)
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=bob, token=handover.current_ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=team.admin, token=handover.new_ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY


def test_the_new_administrator_must_be_real_name_verified(team, make_identity):
    """MEM-1: IDENTITY_NOT_REAL_NAME; nothing is started."""
    anon = make_identity("anon_user", real_name="", id_number="")
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _start(team, anon)
    assert refused.value.code is IdentityError.IDENTITY_NOT_REAL_NAME
    assert refused.value.field == "wechat_id"
    assert snapshot(team.miniprogram) == before


def test_the_new_administrator_must_be_an_adult(team, make_identity):
    """MEM-1: IDENTITY_UNDERAGE; nothing is started."""
    today = clock.today()
    young = make_identity("young_one", born=date(today.year - 16, 1, 1))
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _start(team, young)
    assert refused.value.code is IdentityError.IDENTITY_UNDERAGE
    assert snapshot(team.miniprogram) == before


def test_handing_over_to_the_current_administrator_is_refused(team):
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _start(team, team.admin)
    assert refused.value.code is MiniProgramError.HANDOVER_SAME_ADMIN
    assert snapshot(team.miniprogram) == before


@pytest.mark.parametrize("role", ["operator", "developer", "data_analyst"])
def test_only_the_administrator_starts_a_hand_over(team, make_identity, add_member, role):
    insider = add_member(team, make_identity("insider_1"), roles=(role,))
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _start(team, insider.identity, actor=Actor.for_identity(insider.identity))
    assert refused.value.code is CoreError.PERMISSION_DENIED
    assert snapshot(team.miniprogram) == before


def test_additions_confirmed_by_a_former_administrator_are_refused(
    team, make_identity, request_member, hand_over
):
    """MEM-4: after a hand-over only the new administrator's scan counts."""
    alice, bob = make_identity("alice_dev"), make_identity("bob_next")
    member, ticket = request_member(team, alice)
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    hand_over(team, bob)
    with pytest.raises(PlatformError) as refused:
        member_services.member_confirm(
            actor=Actor.for_identity(bob),
            miniprogram=team.miniprogram,
            token=ticket.token,
            session_key=SESSION,
        )
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    assert selectors.roles_of(alice, team.miniprogram) == set()
