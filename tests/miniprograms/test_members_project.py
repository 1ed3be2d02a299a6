"""MEM-1: project members with any combination of roles, managed by the administrator."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberStatus
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import snapshot


@pytest.mark.parametrize(
    "roles",
    [
        ("operator",),
        ("developer",),
        ("data_analyst",),
        ("operator", "developer"),
        ("developer", "data_analyst"),
        ("operator", "developer", "data_analyst"),
    ],
)
def test_administrator_adds_a_project_member_with_any_combination_of_roles(
    team, make_identity, add_member, roles
):
    """MEM-1: any combination of operator, developer and data analyst."""
    alice = make_identity("alice_dev")
    member = add_member(team, alice, roles=roles)
    assert member.status == MemberStatus.ACTIVE
    assert set(member.roles) == set(roles)
    assert selectors.roles_of(alice, team.miniprogram) == set(roles)


def test_project_member_without_any_role_is_refused(team, make_identity, request_member):
    """MEM-1: at least one role (MEMBER_ROLE_REQUIRED); nothing is stored."""
    alice = make_identity("alice_dev")
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, alice, roles=())
    assert refused.value.code is MiniProgramError.MEMBER_ROLE_REQUIRED
    assert refused.value.field == "roles"
    assert snapshot(team.miniprogram) == before


def test_unknown_role_is_refused(team, make_identity, request_member):
    alice = make_identity("alice_dev")
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, alice, roles=("superuser",))
    assert refused.value.code is CoreError.FIELD_INVALID
    assert snapshot(team.miniprogram) == before


def test_administrator_sets_the_roles_of_a_project_member(team, make_identity, add_member):
    """MEM-1: the administrator sets roles."""
    alice = make_identity("alice_dev")
    member = add_member(team, alice, roles=("developer",))
    member_services.member_set_roles(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        member=member,
        roles=("operator", "data_analyst"),
    )
    assert selectors.roles_of(alice, team.miniprogram) == {"operator", "data_analyst"}


def test_setting_no_role_is_refused_and_keeps_the_old_roles(team, make_identity, add_member):
    """MEM-1: a project member keeps at least one role."""
    alice = make_identity("alice_dev")
    member = add_member(team, alice, roles=("developer",))
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        member_services.member_set_roles(
            actor=team.admin_actor, miniprogram=team.miniprogram, member=member, roles=[]
        )
    assert refused.value.code is MiniProgramError.MEMBER_ROLE_REQUIRED
    assert snapshot(team.miniprogram) == before


@pytest.mark.parametrize("role", ["operator", "developer", "data_analyst"])
def test_project_members_cannot_add_remove_or_set_roles_of_project_members(
    team, make_identity, add_member, request_member, role
):
    """MEM-1: only the administrator manages project members."""
    insider = add_member(team, make_identity("insider_1"), roles=(role,))
    other = add_member(team, make_identity("other_dev"), roles=("developer",))
    newcomer = make_identity("newcomer_1")
    actor = Actor.for_identity(insider.identity)
    before = snapshot(team.miniprogram)
    attempts = [
        lambda: request_member(team, newcomer, actor=actor),
        lambda: member_services.member_remove(
            actor=actor, miniprogram=team.miniprogram, member=other
        ),
        lambda: member_services.member_set_roles(
            actor=actor, miniprogram=team.miniprogram, member=other, roles=("operator",)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PlatformError) as refused:
            attempt()
        assert refused.value.code is CoreError.PERMISSION_DENIED
    assert snapshot(team.miniprogram) == before


def test_administrator_removes_a_project_member_and_the_place_comes_back(
    team, make_identity, add_member
):
    """MEM-1: the administrator removes project members."""
    alice = make_identity("alice_dev")
    member = add_member(team, alice)
    assert selectors.places(team.miniprogram, "project").taken == 1
    member_services.member_remove(
        actor=team.admin_actor, miniprogram=team.miniprogram, member=member
    )
    assert not Member.objects.filter(pk=member.pk).exists()
    assert selectors.roles_of(alice, team.miniprogram) == set()
    assert selectors.places(team.miniprogram, "project").taken == 0


def test_a_project_member_leaves_by_himself(team, make_identity, add_member):
    """MEM-1: a member may leave (members.leave)."""
    alice = make_identity("alice_dev")
    add_member(team, alice, roles=("operator",))
    member_services.member_leave(actor=Actor.for_identity(alice), miniprogram=team.miniprogram)
    assert selectors.roles_of(alice, team.miniprogram) == set()
    assert selectors.places(team.miniprogram, "project").taken == 0
    assert team.miniprogram not in selectors.miniprograms_of(alice)


def test_the_administrator_cannot_leave(team):
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        member_services.member_leave(actor=team.admin_actor, miniprogram=team.miniprogram)
    assert refused.value.code is CoreError.PERMISSION_DENIED
    assert snapshot(team.miniprogram) == before


def test_the_administrator_is_never_a_member(team, request_member):
    """MEM-1: ADMIN_CANNOT_BE_MEMBER, for both kinds."""
    before = snapshot(team.miniprogram)
    for kind in ("project", "experience"):
        with pytest.raises(PlatformError) as refused:
            request_member(team, team.admin, kind=kind)
        assert refused.value.code is MiniProgramError.ADMIN_CANNOT_BE_MEMBER
    assert snapshot(team.miniprogram) == before


def test_an_identity_already_a_project_member_is_refused(team, make_identity, request_member):
    """MEM-1: ALREADY_MEMBER, also while the first addition is still pending."""
    alice = make_identity("alice_dev")
    request_member(team, alice)
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, alice, roles=("operator",))
    assert refused.value.code is MiniProgramError.ALREADY_MEMBER
    assert snapshot(team.miniprogram) == before


def test_project_members_may_enter_the_console_of_their_mini_program(
    team, make_identity, add_member
):
    alice = make_identity("alice_dev")
    add_member(team, alice, roles=("data_analyst",))
    assert selectors.miniprograms_of(alice) == [team.miniprogram]
    assert selectors.miniprograms_of(team.admin) == [team.miniprogram]
