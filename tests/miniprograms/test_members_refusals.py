"""MEM-1 / MEM-2: member actions refused for who calls them or for what already
happened. Each refusal names its error and leaves members, places, audit rows, the
administrator and the scan tickets as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import handover as handover_services
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import SESSION, snapshot


def _state(miniprogram) -> dict:
    return {
        **snapshot(miniprogram),
        "tickets": sorted(QrTicket.objects.values_list("pk", "status")),
    }


def _refused(code: ErrorCode, attempt) -> None:
    with pytest.raises(PlatformError) as refused:
        attempt()
    assert refused.value.code is code


# --- leaving -----------------------------------------------------------------------------


def _leave(team, identity):
    return lambda: member_services.member_leave(
        actor=Actor.for_identity(identity), miniprogram=team.miniprogram
    )


def test_an_experience_member_cannot_leave_as_a_project_member(team, make_identity, add_member):
    """MEM-2: experience members are not project members; leaving (members.leave) is
    refused and the experience row stays."""
    tester = make_identity("tester_01")
    add_member(team, tester, kind="experience", roles=())
    before = _state(team.miniprogram)
    _refused(CoreError.PERMISSION_DENIED, _leave(team, tester))
    assert _state(team.miniprogram) == before
    assert selectors.roles_of(tester, team.miniprogram) == {permissions.EXPERIENCE}


def test_an_outsider_cannot_leave_a_mini_program_it_is_no_member_of(
    team, make_identity, add_member, provision
):
    """MEM-1: PERMISSION_DENIED for an identity holding no role; a project member of
    another mini program is an outsider here too."""
    stranger = make_identity("stranger_1")
    elsewhere = type(team).of(provision("personal").miniprogram)
    add_member(elsewhere, stranger, roles=("developer",))
    before, theirs = _state(team.miniprogram), snapshot(elsewhere.miniprogram)
    _refused(CoreError.PERMISSION_DENIED, _leave(team, stranger))
    assert _state(team.miniprogram) == before
    assert snapshot(elsewhere.miniprogram) == theirs


def test_a_member_who_already_left_cannot_leave_again(team, make_identity, add_member):
    """MEM-1: the second leave is refused; the place is not given back twice."""
    alice, olga = make_identity("alice_dev"), make_identity("olga_ops")
    add_member(team, alice, roles=("operator",))
    add_member(team, olga, roles=("operator",))
    _leave(team, alice)()
    before = _state(team.miniprogram)
    _refused(CoreError.PERMISSION_DENIED, _leave(team, alice))
    assert _state(team.miniprogram) == before
    assert selectors.places(team.miniprogram, "project").taken == 1


# --- removing ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["project", "experience"])
def test_removing_the_same_member_twice_is_refused_the_second_time(
    team, make_identity, add_member, kind
):
    """MEM-1 / MEM-2: MEMBER_NOT_FOUND; the other member keeps its place and the removed
    one's place is not given back twice."""
    roles = ("developer",) if kind == "project" else ()
    gone = add_member(team, make_identity("alice_dev"), kind=kind, roles=roles)
    add_member(team, make_identity("olga_ops"), kind=kind, roles=roles)

    def remove():
        member_services.member_remove(
            actor=team.admin_actor, miniprogram=team.miniprogram, member=gone
        )

    remove()
    before = _state(team.miniprogram)
    _refused(MiniProgramError.MEMBER_NOT_FOUND, remove)
    assert _state(team.miniprogram) == before
    assert selectors.places(team.miniprogram, kind).taken == 1


# --- hand-over ---------------------------------------------------------------------------


def _confirmed_handover(team, new_admin):
    handover = handover_services.handover_start(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        wechat_id=new_admin.wechat_id,
        session_key=SESSION,
    )
    identity_services.ticket_confirm(identity=team.admin, token=handover.current_ticket.token)
    identity_services.ticket_confirm(identity=new_admin, token=handover.new_ticket.token)
    return handover


def _complete(team, handover, actor=None):
    return lambda: handover_services.handover_complete(
        actor=actor or team.admin_actor,
        miniprogram=team.miniprogram,
        current_token=handover.current_ticket.token,
        new_token=handover.new_ticket.token,
        session_key=SESSION,
    )


@pytest.mark.parametrize("role", ["operator", "developer", "data_analyst"])
def test_a_project_member_cannot_complete_a_hand_over(team, make_identity, add_member, role):
    """MEM-1: only the administrator completes it (admin.handover), even with both
    scans done; the tickets stay usable by the administrator."""
    insider = add_member(team, make_identity("insider_1"), roles=(role,))
    bob = make_identity("bob_next")
    handover = _confirmed_handover(team, bob)
    before = _state(team.miniprogram)
    _refused(
        CoreError.PERMISSION_DENIED,
        _complete(team, handover, actor=Actor.for_identity(insider.identity)),
    )
    assert _state(team.miniprogram) == before
    _complete(team, handover)()
    assert selectors.roles_of(bob, team.miniprogram) == {permissions.ADMINISTRATOR}


def test_a_hand_over_whose_tickets_expired_is_refused(team, make_identity):
    """MEM-1: TICKET_EXPIRED once the scans are older than the ticket lifetime; the
    administrator stays and the tickets stay unused."""
    handover = _confirmed_handover(team, make_identity("bob_next"))
    later = clock.now() + timedelta(seconds=policy.value("qr.ticket_ttl_seconds") + 1)
    before = _state(team.miniprogram)
    with time_machine.travel(later, tick=False):
        _refused(IdentityError.TICKET_EXPIRED, _complete(team, handover))
    assert _state(team.miniprogram) == before
    statuses = set(
        QrTicket.objects.filter(purpose="admin_handover").values_list("status", flat=True)
    )
    assert statuses == {TicketStatus.CONFIRMED}
