"""MEM-4: additions by WeChat ID search, remaining places shown, every console addition
pending until the administrator confirms it by scan; pending additions hold a place and
are released when their ticket is denied or expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberStatus
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import SESSION, snapshot


def _confirm(team, ticket, session=SESSION):
    return member_services.member_confirm(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        token=ticket.token,
        session_key=session,
    )


def test_an_addition_stays_pending_and_grants_nothing_until_the_administrator_scans(
    team, make_identity, request_member
):
    """MEM-4: the administrator confirms every addition by scan."""
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    assert member.status == MemberStatus.PENDING
    assert ticket.purpose == "member_add"
    assert ticket.expected_identity_id == team.admin.pk
    assert selectors.roles_of(alice, team.miniprogram) == set()
    assert selectors.miniprograms_of(alice) == []
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as waiting:
        _confirm(team, ticket)
    assert waiting.value.code is IdentityError.TICKET_PENDING
    assert snapshot(team.miniprogram) == before
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    assert _confirm(team, ticket).status == MemberStatus.ACTIVE
    assert selectors.roles_of(alice, team.miniprogram) == {"developer"}


def test_only_the_administrator_can_confirm_an_addition(team, make_identity, request_member):
    """MEM-4: the scan must come from the administrator's identity."""
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=alice, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    assert Member.objects.get(pk=member.pk).status == MemberStatus.PENDING


def test_a_confirmation_is_used_only_by_the_browser_that_asked(team, make_identity, request_member):
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        _confirm(team, ticket, session="another-browser")
    assert refused.value.code is IdentityError.TICKET_FOREIGN_SESSION
    assert snapshot(team.miniprogram) == before


def test_a_pending_addition_holds_a_place(team, make_identity, request_member):
    """MEM-4: "还可添加N人" counts pending additions."""
    limit = policy.value("members.developers.personal")
    assert selectors.places(team.miniprogram, "project").left == limit
    request_member(team, make_identity())
    assert selectors.places(team.miniprogram, "project").left == limit - 1


def test_a_denied_addition_is_released(team, make_identity, request_member):
    """MEM-4: the administrator refuses on the phone; the place comes back."""
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    identity_services.ticket_deny(identity=team.admin, token=ticket.token)
    with pytest.raises(PlatformError) as refused:
        _confirm(team, ticket)
    assert refused.value.code is IdentityError.TICKET_DENIED
    assert not Member.objects.filter(pk=member.pk).exists()
    assert selectors.places(team.miniprogram, "project").taken == 0


def test_an_expired_addition_is_released_when_members_are_read(team, make_identity, request_member):
    """MEM-4: no scheduler; the next read gives the place back."""
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    with time_machine.travel(ticket.expires_at + timedelta(seconds=1)):
        assert member_services.release_stale(team.miniprogram) == 1
        assert not Member.objects.filter(pk=member.pk).exists()
        assert selectors.places(team.miniprogram, "project").taken == 0
        # The same person can be asked for again.
        request_member(team, alice)


def test_a_confirmation_that_comes_too_late_adds_nobody(team, make_identity, request_member):
    """MEM-4: a confirmed ticket must be used before it expires."""
    alice = make_identity("alice_dev")
    member, ticket = request_member(team, alice)
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    with time_machine.travel(ticket.expires_at + timedelta(seconds=1)):
        with pytest.raises(PlatformError) as refused:
            _confirm(team, ticket)
        assert refused.value.code is IdentityError.TICKET_EXPIRED
        assert not Member.objects.filter(pk=member.pk).exists()
        assert selectors.roles_of(alice, team.miniprogram) == set()


def test_expired_additions_do_not_block_a_full_list(
    team, make_identity, system_actor, request_member
):
    """MEM-4: an addition finds the places of expired requests free again."""
    from miniport.core.services import policy_set_override

    policy_set_override(actor=system_actor, key="members.developers.personal", value=1)
    _member, ticket = request_member(team, make_identity())
    late = make_identity()
    with pytest.raises(PlatformError):
        request_member(team, late)
    with time_machine.travel(
        clock.now() + timedelta(seconds=policy.value("qr.ticket_ttl_seconds") + 1)
    ):
        member, _ = request_member(team, late)
        assert member.status == MemberStatus.PENDING


@pytest.mark.parametrize("wechat_id", ["nobody_here", "", "  ", "x" * 200])
def test_an_unknown_wechat_id_is_not_found(team, wechat_id):
    """MEM-4: search by WeChat ID; unknown → USER_NOT_FOUND (85001)."""
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        member_services.member_request_add(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            wechat_id=wechat_id,
            kind="project",
            roles=("developer",),
            session_key=SESSION,
        )
    assert refused.value.code is MiniProgramError.USER_NOT_FOUND
    assert refused.value.errcode == 85001
    assert snapshot(team.miniprogram) == before


def test_an_unsearchable_identity_is_not_found(team, make_identity, request_member):
    """MEM-4: an identity that turned search off cannot be added."""
    hidden = make_identity("hidden_one")
    hidden.searchable = False
    hidden.save(update_fields=["searchable"])
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, hidden)
    assert refused.value.code is MiniProgramError.USER_NOT_FOUND
    assert snapshot(team.miniprogram) == before


def test_withdrawing_a_pending_addition_frees_its_place(team, make_identity, request_member):
    member, _ticket = request_member(team, make_identity())
    member_services.member_remove(
        actor=team.admin_actor, miniprogram=team.miniprogram, member=member
    )
    assert selectors.places(team.miniprogram, "project").taken == 0
