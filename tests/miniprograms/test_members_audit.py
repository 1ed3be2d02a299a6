"""MEM-1 / MEM-2 / MEM-4: every member action writes its audit row in the same
transaction: who acted, on what, and what the member was before and after. The
hand-over's row names who confirmed each side by scan."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms.models import Member, MemberStatus
from miniport.miniprograms.services import handover as handover_services
from miniport.miniprograms.services import members as member_services
from tests.miniprograms.conftest import SESSION


def _only_row(action: str) -> AuditEntry:
    rows = list(AuditEntry.objects.filter(action=action))
    assert len(rows) == 1, [(r.action, r.target_id) for r in rows]
    return rows[0]


def _actor(row: AuditEntry) -> tuple[str, str, str]:
    return row.actor_kind, row.actor_id, row.actor_label


def _identity_actor(identity) -> tuple[str, str, str]:
    return "identity", str(identity.pk), identity.wechat_id


def _described(member: Member, *, status: str = MemberStatus.ACTIVE) -> dict:
    return {
        "wechat_id": member.identity.wechat_id,
        "kind": member.kind,
        "status": status,
        "roles": member.roles,
        "userstr": member.userstr,
    }


def _target(row: AuditEntry) -> tuple[str, str, str]:
    return row.target_type, row.target_id, row.appid


def test_confirming_an_addition_records_the_administrator_who_scanned(
    team, make_identity, request_member
):
    """MEM-4: member.confirm_add: actor is the scanning administrator, pending → active."""
    member, ticket = request_member(team, make_identity("alice_dev"), roles=("developer",))
    identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
    member_services.member_confirm(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        token=ticket.token,
        session_key=SESSION,
    )
    row = _only_row("member.confirm_add")
    assert _actor(row) == _identity_actor(team.admin)
    assert _target(row) == ("Member", str(member.pk), team.miniprogram.appid)
    assert row.before == {"status": MemberStatus.PENDING}
    assert row.after == _described(member)
    assert audit.verify_chain() is None


def test_removing_a_member_records_who_removed_whom(team, make_identity, add_member):
    """MEM-1: member.remove: the member as it was, nothing after."""
    member = add_member(team, make_identity("alice_dev"), roles=("operator", "developer"))
    member_services.member_remove(
        actor=team.admin_actor, miniprogram=team.miniprogram, member=member
    )
    row = _only_row("member.remove")
    assert _actor(row) == _identity_actor(team.admin)
    assert _target(row) == ("Member", str(member.pk), team.miniprogram.appid)
    assert row.before == _described(member)
    assert row.after == {}


def test_removing_an_experience_member_records_the_project_member_who_did_it(
    team, make_identity, add_member
):
    """MEM-2: project members remove experience members; the row names them."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    tester = add_member(team, make_identity("tester_01"), kind="experience", roles=())
    member_services.member_remove(
        actor=Actor.for_identity(dev.identity), miniprogram=team.miniprogram, member=tester
    )
    row = _only_row("member.remove")
    assert _actor(row) == _identity_actor(dev.identity)
    assert row.before == _described(tester)


def test_leaving_records_the_member_who_left(team, make_identity, add_member):
    """MEM-1: member.leave: the actor is the member himself."""
    alice = make_identity("alice_dev")
    member = add_member(team, alice, roles=("data_analyst",))
    member_services.member_leave(actor=Actor.for_identity(alice), miniprogram=team.miniprogram)
    row = _only_row("member.leave")
    assert _actor(row) == _identity_actor(alice)
    assert _target(row) == ("Member", str(member.pk), team.miniprogram.appid)
    assert row.before == _described(member)
    assert row.after == {}


def test_setting_roles_records_the_roles_before_and_after(team, make_identity, add_member):
    """MEM-1: member.set_roles."""
    member = add_member(team, make_identity("alice_dev"), roles=("developer",))
    member_services.member_set_roles(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        member=member,
        roles=("operator", "data_analyst"),
    )
    row = _only_row("member.set_roles")
    assert _actor(row) == _identity_actor(team.admin)
    assert _target(row) == ("Member", str(member.pk), team.miniprogram.appid)
    assert row.before == {"roles": ["developer"]}
    assert row.after == {"roles": ["operator", "data_analyst"]}


def test_unbinding_a_tester_through_the_api_records_the_app(team, make_identity):
    """MEM-2: member.unbind_tester: the actor is the app's server."""
    app = Actor.for_app(team.miniprogram.appid)
    tester = member_services.tester_bind(
        actor=app, miniprogram=team.miniprogram, wechat_id=make_identity("tester_01").wechat_id
    )
    member_services.tester_unbind(actor=app, miniprogram=team.miniprogram, wechat_id="tester_01")
    row = _only_row("member.unbind_tester")
    assert _actor(row) == ("app", team.miniprogram.appid, team.miniprogram.appid)
    assert _target(row) == ("Member", str(tester.pk), team.miniprogram.appid)
    assert row.before == _described(tester)
    assert row.after == {}


def test_the_hand_over_records_both_administrators_and_who_confirmed_each_side(
    team, make_identity, add_member
):
    """MEM-1: admin.handover names the old and the new administrator and the identity
    whose scan confirmed each side, with when; the new administrator's member row goes
    with its own row."""
    old, bob = team.admin, make_identity("bob_next")
    bob_member = add_member(team, bob, roles=("developer",))
    handover = handover_services.handover_start(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        wechat_id=bob.wechat_id,
        session_key=SESSION,
    )
    identity_services.ticket_confirm(identity=old, token=handover.current_ticket.token)
    identity_services.ticket_confirm(identity=bob, token=handover.new_ticket.token)
    handover_services.handover_complete(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        current_token=handover.current_ticket.token,
        new_token=handover.new_ticket.token,
        session_key=SESSION,
    )
    current = QrTicket.objects.get(pk=handover.current_ticket.pk)
    new = QrTicket.objects.get(pk=handover.new_ticket.pk)
    encode = DjangoJSONEncoder().default

    started = _only_row("admin.handover_start")
    assert _actor(started) == _identity_actor(old)
    assert started.after == {"to": bob.wechat_id}

    row = _only_row("admin.handover")
    assert _actor(row) == _identity_actor(old)
    assert _target(row) == ("MiniProgram", str(team.miniprogram.pk), team.miniprogram.appid)
    assert row.before == {"admin": old.pk, "wechat_id": old.wechat_id}
    assert row.after == {
        "admin": bob.pk,
        "wechat_id": bob.wechat_id,
        "confirmed_by": {
            "current": {
                "identity": old.pk,
                "wechat_id": old.wechat_id,
                "at": encode(current.decided_at),
            },
            "new": {"identity": bob.pk, "wechat_id": bob.wechat_id, "at": encode(new.decided_at)},
        },
    }

    removed = _only_row("member.remove_new_admin")
    assert _target(removed) == ("Member", str(bob_member.pk), team.miniprogram.appid)
    assert removed.before == _described(bob_member)
    assert audit.verify_chain() is None
