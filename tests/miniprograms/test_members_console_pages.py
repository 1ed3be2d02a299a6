"""The member management pages (seed 004 "成员管理"): list with filters and remaining
places, the add dialog with the administrator's scan, role edits, removal, leaving,
experience members and the administrator hand-over."""

from __future__ import annotations

import re

from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms import selectors
from miniport.miniprograms.models import Member, MemberStatus, MiniProgram
from tests.miniprograms.conftest import Team, snapshot


def _places_left(html: str) -> int:
    return int(re.search(r'data-testid="places-left" data-left="(\d+)"', html).group(1))


def _pending_ticket(member: Member) -> QrTicket:
    return QrTicket.objects.get(token=Member.objects.get(pk=member.pk).confirm_ticket)


def test_the_member_list_shows_the_administrator_members_roles_and_places(
    team, make_identity, add_member, console_as
):
    """MEM-4: "还可添加N人" and the role filters of seed 004."""
    add_member(team, make_identity("alice_dev", nickname="Alice"), roles=("developer",))
    add_member(team, make_identity("olga_ops", nickname="Olga"), roles=("operator", "data_analyst"))
    client = console_as(team.admin)
    page = client.get("/members/").content.decode()
    assert 'data-testid="admin-card"' in page
    assert 'data-member="alice_dev"' in page and 'data-member="olga_ops"' in page
    assert _places_left(page) == 3
    assert "3 more members can be added" in page
    for role, shown, hidden in [
        ("developer", "alice_dev", "olga_ops"),
        ("operator", "olga_ops", "alice_dev"),
        ("data_analyst", "olga_ops", "alice_dev"),
    ]:
        filtered = client.get(f"/members/?role={role}").content.decode()
        assert f'data-member="{shown}"' in filtered
        assert f'data-member="{hidden}"' not in filtered


def test_adding_a_project_member_through_the_dialog(team, make_identity, console_as):
    """MEM-4: search by WeChat ID, choose roles, the administrator confirms by scan."""
    make_identity("chen_ying_gz", nickname="Jennifer")
    client = console_as(team.admin)
    found = client.get("/members/add/", {"wechat_id": "chen_ying_gz"}).content.decode()
    assert 'data-testid="found-identity"' in found and "Jennifer" in found
    assert _places_left(found) == 5
    response = client.post(
        "/members/add/", {"wechat_id": "chen_ying_gz", "roles": ["developer", "data_analyst"]}
    )
    member = Member.objects.get(identity__wechat_id="chen_ying_gz")
    assert response.status_code == 302 and response.url == f"/members/{member.pk}/confirm/"
    assert member.status == MemberStatus.PENDING
    qr_page = client.get(response.url).content.decode()
    assert 'data-testid="ticket"' in qr_page
    # Continuing before the scan changes nothing.
    assert "waiting for the scan" in client.post(response.url).content.decode().lower()
    assert Member.objects.get(pk=member.pk).status == MemberStatus.PENDING
    identity_services.ticket_confirm(identity=team.admin, token=_pending_ticket(member).token)
    done = client.post(response.url)
    assert done.status_code == 302 and done.url == "/members/"
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert set(member.roles) == {"developer", "data_analyst"}


def test_an_unknown_wechat_id_is_reported_on_the_search_field(team, console_as):
    """MEM-4: USER_NOT_FOUND (85001) on the field."""
    client = console_as(team.admin)
    page = client.get("/members/add/", {"wechat_id": "nobody_at_all"}).content.decode()
    assert "User not exist or user cannot be searched" in page
    assert 'data-testid="add-form"' not in page


def test_an_addition_without_roles_is_refused_on_the_form(team, make_identity, console_as):
    """MEM-1: MEMBER_ROLE_REQUIRED; nothing stored."""
    make_identity("chen_ying_gz")
    client = console_as(team.admin)
    before = snapshot(team.miniprogram)
    page = client.post("/members/add/", {"wechat_id": "chen_ying_gz"}).content.decode()
    assert "Choose at least one role" in page
    assert snapshot(team.miniprogram) == before


def test_the_qr_of_an_addition_is_shown_only_to_the_browser_that_asked(
    team, make_identity, console_as, add_member
):
    make_identity("chen_ying_gz")
    admin_browser = console_as(team.admin)
    response = admin_browser.post(
        "/members/add/", {"wechat_id": "chen_ying_gz", "roles": ["operator"]}
    )
    second_browser = console_as(team.admin)
    other = second_browser.get(response.url)
    assert other.status_code == 302 and other.url == "/members/"


def test_the_administrator_edits_roles_and_removes_a_member(
    team, make_identity, add_member, console_as
):
    """MEM-1."""
    member = add_member(team, make_identity("alice_dev"), roles=("developer",))
    client = console_as(team.admin)
    assert client.get(f"/members/{member.pk}/roles/").status_code == 200
    response = client.post(f"/members/{member.pk}/roles/", {"roles": ["operator"]})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).roles == ["operator"]
    refused = client.post(f"/members/{member.pk}/roles/", {"roles": []}).content.decode()
    assert "Choose at least one role" in refused
    assert Member.objects.get(pk=member.pk).roles == ["operator"]
    client.post(f"/members/{member.pk}/remove/")
    assert not Member.objects.filter(pk=member.pk).exists()
    assert selectors.places(team.miniprogram, "project").taken == 0


def test_a_member_of_another_mini_program_answers_404(
    team, make_identity, add_member, provision, console_as
):
    other_mp = provision("personal").miniprogram
    theirs = add_member(Team.of(other_mp), make_identity("theirs_1"))
    client = console_as(team.admin)
    before = snapshot(other_mp)
    assert client.get(f"/members/{theirs.pk}/roles/").status_code == 404
    assert client.post(f"/members/{theirs.pk}/remove/").status_code == 404
    assert client.post(f"/members/experience/{theirs.pk}/remove/").status_code == 404
    assert snapshot(other_mp) == before


def test_a_developer_sees_the_members_but_cannot_change_them(
    team, make_identity, add_member, console_as
):
    """MEM-1: 403 on changes for a member who may read the list."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    other = add_member(team, make_identity("olga_ops"), roles=("operator",))
    client = console_as(dev.identity)
    page = client.get("/members/").content.decode()
    assert 'data-testid="member-search"' not in page and 'data-testid="remove-member"' not in page
    before = snapshot(team.miniprogram)
    assert client.get("/members/add/").status_code == 403
    assert client.post(f"/members/{other.pk}/remove/").status_code == 403
    assert client.post(f"/members/{other.pk}/roles/", {"roles": ["developer"]}).status_code == 403
    assert snapshot(team.miniprogram) == before


def test_a_member_leaves_and_the_session_ends(team, make_identity, add_member, console_as):
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    client = console_as(dev.identity)
    response = client.post("/members/leave/")
    assert response.status_code == 302 and response.url == "/login/"
    assert not Member.objects.filter(pk=dev.pk).exists()
    assert client.get("/members/").status_code == 302


def test_the_administrators_console_leave_is_refused_and_the_session_stays(team, console_as):
    """MEM-1: the administrator is no project member (members.leave): 403, nothing
    changes and the administrator stays logged in."""
    client = console_as(team.admin)
    assert 'data-testid="leave"' not in client.get("/members/").content.decode()
    before = snapshot(team.miniprogram)
    assert client.post("/members/leave/").status_code == 403
    assert snapshot(team.miniprogram) == before
    assert client.get("/members/").status_code == 200


def test_a_removed_member_loses_the_console_at_once(team, make_identity, add_member, console_as):
    """Roles are read on every request: an open session of a removed member answers 404."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    client = console_as(dev.identity)
    assert client.get("/members/").status_code == 200
    Member.objects.filter(pk=dev.pk).delete()
    assert client.get("/members/").status_code == 404


def test_a_developer_adds_an_experience_member_confirmed_by_the_administrator(
    team, make_identity, add_member, console_as
):
    """MEM-2 / MEM-4: project members add experience members; the administrator scans."""
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    make_identity("tester_01")
    client = console_as(dev.identity)
    page = client.get("/members/experience/").content.decode()
    assert _places_left(page) == 10
    response = client.post("/members/experience/add/", {"wechat_id": "tester_01"})
    member = Member.objects.get(identity__wechat_id="tester_01", kind="experience")
    assert response.url == f"/members/{member.pk}/confirm/"
    assert _places_left(client.get("/members/experience/").content.decode()) == 9
    identity_services.ticket_confirm(identity=team.admin, token=_pending_ticket(member).token)
    done = client.post(response.url)
    assert done.url == "/members/experience/"
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
    client.post(f"/members/experience/{member.pk}/remove/")
    assert not Member.objects.filter(pk=member.pk).exists()


def test_an_experience_member_added_twice_is_refused_on_the_form(
    team, make_identity, add_member, console_as
):
    """MEM-2: ALREADY_MEMBER (85004) on the field; nothing stored."""
    add_member(team, make_identity("tester_01"), kind="experience", roles=())
    client = console_as(team.admin)
    before = snapshot(team.miniprogram)
    page = client.post("/members/experience/add/", {"wechat_id": "tester_01"}).content.decode()
    assert "Super App ID already bound" in page
    assert snapshot(team.miniprogram) == before


def test_the_administrator_hands_over_through_the_console(team, make_identity, console_as):
    """MEM-1: both scan; the old administrator's session ends."""
    bob = make_identity("bob_next", nickname="Bob")
    client = console_as(team.admin)
    assert client.get("/members/handover/").status_code == 200
    response = client.post("/members/handover/", {"wechat_id": "bob_next"})
    assert response.status_code == 302
    page = client.get("/members/handover/").content.decode()
    assert page.count('data-testid="handover-ticket"') == 2
    current, new = (
        QrTicket.objects.filter(purpose="admin_handover")
        .order_by("id")
        .values_list("token", flat=True)
    )
    identity_services.ticket_confirm(identity=team.admin, token=current)
    early = client.post("/members/handover/complete/")
    assert early.url == "/members/handover/"
    assert MiniProgram.objects.get(pk=team.miniprogram.pk).admin_identity_id == team.admin.pk
    identity_services.ticket_confirm(identity=bob, token=new)
    done = client.post("/members/handover/complete/")
    assert done.url == "/login/"
    assert MiniProgram.objects.get(pk=team.miniprogram.pk).admin_identity_id == bob.pk
    assert AuditEntry.objects.filter(action="admin.handover", appid=team.miniprogram.appid).exists()
    assert client.get("/members/").status_code == 302


def test_a_hand_over_to_an_unverified_identity_is_refused_on_the_form(
    team, make_identity, console_as
):
    make_identity("anon_user", real_name="", id_number="")
    client = console_as(team.admin)
    before = snapshot(team.miniprogram)
    page = client.post("/members/handover/", {"wechat_id": "anon_user"}).content.decode()
    assert "not real-name verified" in page
    assert snapshot(team.miniprogram) == before
