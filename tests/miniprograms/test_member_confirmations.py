"""Removing a member and leaving a mini program ask first (seed 004 "成员管理"): the
list's "Remove", "Withdraw" and "Leave this mini program" are links to a confirmation page
naming the member (or the mini program) and what happens; a GET changes nothing, only
the confirmation's own button (a POST to the same URL) acts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from miniport.miniprograms.models import Member
from tests.miniprograms.conftest import snapshot

pytestmark = pytest.mark.django_db


def _link(html: str, testid: str) -> list[str]:
    """The hrefs of the links carrying `data-testid`; buttons are not links."""
    return re.findall(rf'<a [^>]*href="([^"]+)"[^>]*data-testid="{testid}"', html)


def _posts_to(html: str, path: str) -> bool:
    return f'action="{path}"' in html


def test_the_member_list_links_each_removal_and_the_leave_to_a_confirmation(
    team, make_identity, add_member, request_member, console_as
):
    dev = add_member(team, make_identity("alice_dev", nickname="Alice"), roles=("developer",))
    pending, _ticket = request_member(team, make_identity("bob_ops"), roles=("operator",))
    admin_page = console_as(team.admin).get("/members/").content.decode()
    assert sorted(_link(admin_page, "remove-member")) == sorted(
        [f"/members/{dev.pk}/remove/", f"/members/{pending.pk}/remove/"]
    )
    assert not _posts_to(admin_page, f"/members/{dev.pk}/remove/")
    dev_page = console_as(dev.identity).get("/members/").content.decode()
    assert _link(dev_page, "leave") == ["/members/leave/"]
    assert not _posts_to(dev_page, "/members/leave/")


def test_the_removal_confirmation_names_the_member_and_changes_nothing(
    team, make_identity, add_member, console_as
):
    dev = add_member(team, make_identity("alice_dev", nickname="Alice"), roles=("developer",))
    client = console_as(team.admin)
    before = snapshot(team.miniprogram)
    response = client.get(f"/members/{dev.pk}/remove/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="member-remove-confirm"' in html
    assert "Alice" in html and "alice_dev" in html
    assert "Alice loses access to this mini program's console at once." in html
    assert '<form method="post">' in html  # posts to this same URL
    assert re.search(r'href="/members/"[^>]*data-testid="confirm-cancel"', html)
    assert snapshot(team.miniprogram) == before

    done = client.post(f"/members/{dev.pk}/remove/")
    assert done.status_code == 302 and done.url == "/members/"
    assert not Member.objects.filter(pk=dev.pk).exists()


def test_withdrawing_a_pending_addition_asks_first(team, make_identity, request_member, console_as):
    pending, _ticket = request_member(team, make_identity("bob_ops"), roles=("operator",))
    client = console_as(team.admin)
    before = snapshot(team.miniprogram)
    html = client.get(f"/members/{pending.pk}/remove/").content.decode()
    assert "Withdraw the addition" in html and "bob_ops" in html
    assert "its place is freed" in html
    assert snapshot(team.miniprogram) == before
    assert client.post(f"/members/{pending.pk}/remove/").url == "/members/"
    assert not Member.objects.filter(pk=pending.pk).exists()


def test_a_developer_may_not_open_the_removal_confirmation(
    team, make_identity, add_member, console_as
):
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    other = add_member(team, make_identity("olga_ops"), roles=("operator",))
    client = console_as(dev.identity)
    before = snapshot(team.miniprogram)
    assert client.get(f"/members/{other.pk}/remove/").status_code == 403
    assert snapshot(team.miniprogram) == before


def test_the_leave_confirmation_keeps_the_member_logged_in_until_its_button(
    team, make_identity, add_member, console_as
):
    dev = add_member(team, make_identity("alice_dev"), roles=("developer",))
    client = console_as(dev.identity)
    before = snapshot(team.miniprogram)
    response = client.get("/members/leave/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="member-leave-confirm"' in html
    assert f"project member of {team.miniprogram}" in html
    assert "logged out of its console at once" in html
    assert snapshot(team.miniprogram) == before
    assert client.get("/members/").status_code == 200  # still logged in

    done = client.post("/members/leave/")
    assert done.status_code == 302 and done.url == "/login/"
    assert not Member.objects.filter(pk=dev.pk).exists()


def test_the_administrator_gets_no_leave_confirmation(team, console_as):
    assert console_as(team.admin).get("/members/leave/").status_code == 403


def test_removing_an_experience_member_asks_first(team, make_identity, add_member, console_as):
    tester = add_member(team, make_identity("tester_01", nickname="Tess"), kind="experience")
    client = console_as(team.admin)
    page = client.get("/members/experience/").content.decode()
    assert _link(page, "remove-member") == [f"/members/experience/{tester.pk}/remove/"]
    before = snapshot(team.miniprogram)
    html = client.get(f"/members/experience/{tester.pk}/remove/").content.decode()
    assert "Tess can no longer open this mini program's experience version." in html
    assert re.search(r'href="/members/experience/"[^>]*data-testid="confirm-cancel"', html)
    assert snapshot(team.miniprogram) == before
    done = client.post(f"/members/experience/{tester.pk}/remove/")
    assert done.url == "/members/experience/"
    assert not Member.objects.filter(pk=tester.pk).exists()


def test_the_confirmations_read_in_chinese(team, make_identity, add_member, console_as):
    dev = add_member(team, make_identity("alice_dev", nickname="Alice"), roles=("developer",))
    tester = add_member(team, make_identity("tester_01", nickname="Tess"), kind="experience")
    admin: Client = console_as(team.admin)
    admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    html = admin.get(f"/members/{dev.pk}/remove/").content.decode()
    assert "Alice 将立即失去本小程序管理后台的访问权限。" in html and "删除成员" in html
    html = admin.get(f"/members/experience/{tester.pk}/remove/").content.decode()
    assert "Tess 将无法再打开本小程序的体验版。" in html
    member: Client = console_as(dev.identity)
    member.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    html = member.get("/members/leave/").content.decode()
    assert "退出该小程序" in html and "并立即退出其管理后台" in html
