"""The enterprise console asks before it deletes a department or removes a member: the
lists' "Delete" and "Remove" are links to a confirmation page naming the department or
the member and what happens (or why an occupied department cannot go); a GET changes
nothing, only the confirmation's own button (a POST to the same URL) acts. The lists'
own POSTs (op=delete, op=remove) work as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from miniport.core.models import AuditEntry
from miniport.links.enterprise.models import Department, Member
from tests.links.linked_console import linked

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"console:{name}", args=args)


def rows() -> dict:
    return {
        "departments": sorted(Department.objects.values_list("pk", "name", "parent_id")),
        "members": sorted(Member.objects.values_list("pk", "identity_id")),
        "audit": AuditEntry.objects.count(),
    }


def test_the_department_list_links_each_deletion_to_its_confirmation(corp):
    html = linked(corp.admin).get(url("enterprise_departments", corp.corp_id)).content.decode()
    hrefs = re.findall(r'<a href="([^"]+)" data-testid="department-delete"', html)
    assert sorted(hrefs) == sorted(
        url("enterprise_department_delete", corp.corp_id, d.pk)
        for d in (corp.sales, corp.east, corp.hr)
    )
    assert 'value="delete"' not in html


def test_the_deletion_confirmation_names_the_department_and_deletes_nothing(corp):
    from miniport.core.actors import Actor
    from miniport.links.enterprise.services import directory

    empty = directory.department_add(
        actor=Actor.for_identity(corp.admin),
        enterprise=corp.enterprise,
        parent=corp.root,
        name="市场部",
    )
    client = linked(corp.admin)
    before = rows()
    response = client.get(url("enterprise_department_delete", corp.corp_id, empty.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The department 市场部 is deleted" in html
    assert re.search(
        rf'href="{url("enterprise_departments", corp.corp_id)}" data-testid="confirm-cancel"', html
    )
    assert rows() == before

    done = client.post(url("enterprise_department_delete", corp.corp_id, empty.pk))
    assert done.url == url("enterprise_departments", corp.corp_id)
    assert not Department.objects.filter(pk=empty.pk).exists()


def test_an_occupied_department_shows_why_it_cannot_go(corp):
    client = linked(corp.admin, "zh-hans")
    before = rows()
    response = client.get(url("enterprise_department_delete", corp.corp_id, corp.hr.pk))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="confirm-refused"' in html and 'data-testid="confirm-submit"' not in html
    assert "人事部" in html
    refused = client.post(url("enterprise_department_delete", corp.corp_id, corp.hr.pk))
    assert refused.status_code == 302
    assert rows()["departments"] == before["departments"]


def test_the_list_post_still_deletes_an_empty_department(corp):
    client = linked(corp.admin)
    done = client.post(
        url("enterprise_departments", corp.corp_id), {"op": "delete", "department": corp.east.pk}
    )
    assert done.status_code == 302
    assert Department.objects.filter(pk=corp.east.pk).exists()  # the seller is in it
    corp.seller.delete()
    client.post(
        url("enterprise_departments", corp.corp_id), {"op": "delete", "department": corp.east.pk}
    )
    assert not Department.objects.filter(pk=corp.east.pk).exists()


def test_the_member_list_links_each_removal_to_its_confirmation(corp):
    html = linked(corp.admin).get(url("enterprise_members", corp.corp_id)).content.decode()
    hrefs = re.findall(r'<a href="([^"]+)" data-testid="member-remove"', html)
    assert sorted(hrefs) == sorted(
        url("enterprise_member_remove", corp.corp_id, m.pk) for m in (corp.seller, corp.clerk)
    )
    assert 'value="remove"' not in html


def test_the_removal_confirmation_names_the_member_and_removes_nothing(corp):
    client = linked(corp.admin)
    before = rows()
    response = client.get(url("enterprise_member_remove", corp.corp_id, corp.clerk.pk))
    assert response.status_code == 200
    html = response.content.decode()
    who = corp.clerk.identity.nickname or corp.clerk.identity.wechat_id
    assert f"{who} leaves 示例企业" in html and corp.clerk.identity.wechat_id in html
    assert "人事部" in html
    assert rows() == before

    done = client.post(url("enterprise_member_remove", corp.corp_id, corp.clerk.pk))
    assert done.url == url("enterprise_members", corp.corp_id)
    assert not Member.objects.filter(pk=corp.clerk.pk).exists()
    # the list's own POST still removes too
    client.post(url("enterprise_members", corp.corp_id), {"op": "remove", "member": corp.seller.pk})
    assert not Member.objects.filter(pk=corp.seller.pk).exists()


def test_the_confirmations_are_404_to_others_and_for_unknown_rows(corp, make_identity):
    stranger = linked(make_identity())
    before = rows()
    for name, pk in (
        ("enterprise_department_delete", corp.sales.pk),
        ("enterprise_member_remove", corp.clerk.pk),
    ):
        assert stranger.get(url(name, corp.corp_id, pk)).status_code == 404
        assert stranger.post(url(name, corp.corp_id, pk)).status_code == 404
        assert linked(corp.admin).get(url(name, corp.corp_id, 999999)).status_code == 404
    assert rows()["departments"] == before["departments"]
    assert rows()["members"] == before["members"]
