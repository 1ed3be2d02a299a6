"""MEM-2: experience members, added and removed by the administrator and project members;
they may use the experience version and are not project members."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import snapshot


def test_administrator_adds_an_experience_member(team, make_identity, add_member):
    """MEM-2: added by the administrator."""
    tester = make_identity("tester_01")
    member = add_member(team, tester, kind="experience", roles=())
    assert member.kind == "experience" and member.status == "active"
    assert member.roles == []


@pytest.mark.parametrize("role", ["operator", "developer", "data_analyst"])
def test_every_project_member_adds_and_removes_experience_members(
    team, make_identity, add_member, role
):
    """MEM-2: project members add and remove experience members (confirmed by the administrator)."""
    insider = add_member(team, make_identity("insider_1"), roles=(role,))
    actor = Actor.for_identity(insider.identity)
    tester = make_identity("tester_01")
    member = add_member(
        team, tester, kind="experience", roles=(), actor=actor, session="insider-browser"
    )
    assert selectors.roles_of(tester, team.miniprogram) == {permissions.EXPERIENCE}
    member_services.member_remove(actor=actor, miniprogram=team.miniprogram, member=member)
    assert selectors.roles_of(tester, team.miniprogram) == set()
    assert selectors.places(team.miniprogram, "experience").taken == 0


def test_experience_members_are_not_project_members(team, make_identity, add_member):
    """MEM-2: may use the experience version, but no console."""
    tester = make_identity("tester_01")
    add_member(team, tester, kind="experience", roles=())
    roles = selectors.roles_of(tester, team.miniprogram)
    assert permissions.allowed(roles, "experience.use")
    assert not permissions.allowed(roles, "console.enter")
    assert selectors.miniprograms_of(tester) == []


def test_an_experience_member_cannot_add_or_remove_experience_members(
    team, make_identity, add_member, request_member
):
    """MEM-2: only the administrator and project members manage experience members."""
    tester = add_member(team, make_identity("tester_01"), kind="experience", roles=())
    other = add_member(team, make_identity("tester_02"), kind="experience", roles=())
    actor = Actor.for_identity(tester.identity)
    newcomer = make_identity("tester_03")
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, newcomer, kind="experience", roles=(), actor=actor)
    assert refused.value.code is CoreError.PERMISSION_DENIED
    with pytest.raises(PlatformError) as refused:
        member_services.member_remove(actor=actor, miniprogram=team.miniprogram, member=other)
    assert refused.value.code is CoreError.PERMISSION_DENIED
    assert snapshot(team.miniprogram) == before


def test_an_outsider_cannot_manage_experience_members(team, make_identity, add_member, provision):
    """MEM-2: the administrator of another mini program is an outsider here."""
    other_admin = provision("personal").miniprogram.admin_identity
    tester = add_member(team, make_identity("tester_01"), kind="experience", roles=())
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        member_services.member_remove(
            actor=Actor.for_identity(other_admin), miniprogram=team.miniprogram, member=tester
        )
    assert refused.value.code is CoreError.PERMISSION_DENIED
    assert snapshot(team.miniprogram) == before


def test_a_project_member_may_also_be_an_experience_member(team, make_identity, add_member):
    """MEM-2: the kinds are separate lists; an operator gets the experience version this way."""
    olga = make_identity("olga_ops")
    add_member(team, olga, roles=("operator",))
    assert not permissions.allowed(selectors.roles_of(olga, team.miniprogram), "experience.use")
    add_member(team, olga, kind="experience", roles=())
    assert selectors.roles_of(olga, team.miniprogram) == {"operator", permissions.EXPERIENCE}
    assert permissions.allowed(selectors.roles_of(olga, team.miniprogram), "experience.use")


def test_an_identity_already_an_experience_member_is_refused(
    team, make_identity, add_member, request_member
):
    """MEM-2: ALREADY_MEMBER within the experience list."""
    tester = make_identity("tester_01")
    add_member(team, tester, kind="experience", roles=())
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, tester, kind="experience", roles=())
    assert refused.value.code is MiniProgramError.ALREADY_MEMBER
    assert snapshot(team.miniprogram) == before
