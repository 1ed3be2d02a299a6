"""The enterprise console (/work/<corp_id>/, signed in by scan) and the mini program's
Settings › Association settings › Enterprises page (WW-2..WW-5): the pages call the
services, show refusals on the field they name and answer 404 to outsiders."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import (
    Association,
    AssociationStatus,
    Department,
    Member,
    RangeEntry,
)
from miniport.web.sentences import sentence
from tests.links.enterprise.conftest import associate
from tests.links.linked_console import linked
from tests.miniprograms.conftest import console_login

pytestmark = pytest.mark.django_db
S = AssociationStatus


def console(identity, appid) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = console_login(client, identity, appid)
    assert response.status_code == 302
    return client


def url(name, *args):
    return reverse(f"console:{name}", args=args)


def test_the_enterprise_console_is_for_its_administrators_only(corp, live_app):
    association = associate(corp, live_app)
    for name, args in (
        ("enterprise_apps", ()),
        ("enterprise_departments", ()),
        ("enterprise_members", ()),
        ("enterprise_app", (association.pk,)),
    ):
        assert linked(corp.admin).get(url(name, corp.corp_id, *args)).status_code == 200
        outsider = linked(corp.seller.identity).get(url(name, corp.corp_id, *args))
        assert outsider.status_code == 404
    assert linked(corp.admin).get(url("enterprise_apps", "ww\x00")).status_code == 404
    anonymous = Client().get(url("enterprise_apps", corp.corp_id))
    assert anonymous.status_code == 302 and anonymous.url.startswith(url("links_signin"))
    home = linked(corp.admin).get(url("links_home")).content.decode()
    assert url("enterprise_apps", corp.corp_id) in home


def test_ww2_associating_from_the_enterprise_console_shows_the_scan_then_the_range(corp, live_app):
    client = linked(corp.admin)
    response = client.post(url("enterprise_apps", corp.corp_id), {"appid": live_app.appid})
    association = Association.objects.get()
    assert response.status_code == 302
    assert response.url == url("enterprise_app", corp.corp_id, association.pk)
    page = client.get(response.url)
    assert page.status_code == 200 and 'data-testid="ticket"' in page.content.decode()
    ticket = QrTicket.objects.get(purpose="ww_authorize")
    assert ticket.expected_identity == live_app.admin
    identity_services.ticket_confirm(identity=live_app.admin, token=ticket.token)
    # The page's "continue" (a post without an op) shows it again, now with the range.
    page = client.post(url("enterprise_app", corp.corp_id, association.pk), follow=True)
    assert 'data-testid="range-form"' in page.content.decode()
    saved = client.post(
        url("enterprise_app", corp.corp_id, association.pk),
        {"op": "range", "departments": [str(corp.sales.pk)], "members": [str(corp.clerk.pk)]},
    )
    assert saved.status_code == 302
    assert set(RangeEntry.objects.values_list("department", "member")) == {
        (corp.sales.pk, None),
        (None, corp.clerk.pk),
    }


def test_ww1_an_unreleased_or_unknown_appid_is_refused_on_its_field(corp, app):
    client = linked(corp.admin)
    for appid, code in (
        (app.appid, EnterpriseError.NOT_RELEASED),
        ("wx0000000000000000", EnterpriseError.MINIPROGRAM_NOT_FOUND),
    ):
        response = client.post(url("enterprise_apps", corp.corp_id), {"appid": appid})
        assert response.status_code == 400
        assert sentence(code.message("en", appid=appid)) in response.content.decode().replace(
            "&#x27;", "'"
        )
    # A NUL byte is refused by the form itself, on the field.
    response = client.post(url("enterprise_apps", corp.corp_id), {"appid": "wx\x00"})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert not Association.objects.exists()


def test_a_foreign_association_or_an_unknown_action_answers_404(corp, live_app, make_identity):
    from miniport.core.actors import Actor
    from miniport.links.enterprise.services import directory

    association = associate(corp, live_app)
    other = directory.enterprise_create(
        actor=Actor.system("tests"), name="另一企业", admin_wechat_id=make_identity().wechat_id
    )
    other_admin = other.administrators.get()
    assert (
        linked(other_admin).get(url("enterprise_app", other.corp_id, association.pk)).status_code
        == 404
    )
    response = linked(corp.admin).post(
        url("enterprise_app", corp.corp_id, association.pk), {"op": "explode"}
    )
    assert response.status_code == 404
    association.refresh_from_db()
    assert association.status == S.ACTIVE


def test_departments_and_members_are_managed_in_the_enterprise_console(corp, make_identity):
    client = linked(corp.admin)
    path = url("enterprise_departments", corp.corp_id)
    assert (
        client.post(path, {"op": "add", "parent": corp.hr.pk, "name": "招聘组"}).status_code == 302
    )
    taken = client.post(path, {"op": "add", "parent": corp.root.pk, "name": "人事部"})
    assert taken.status_code == 400
    assert sentence(EnterpriseError.DEPARTMENT_NAME_TAKEN.message("en")) in taken.content.decode()
    added = Department.objects.get(name="招聘组")
    renamed = client.post(path, {"op": "rename", "department": added.pk, "name": "招聘"})
    assert renamed.status_code == 302
    assert client.post(path, {"op": "delete", "department": added.pk}).status_code == 302
    assert not Department.objects.filter(pk=added.pk).exists()

    members = url("enterprise_members", corp.corp_id)
    newcomer = make_identity()
    response = client.post(
        members, {"op": "add", "wechat_id": newcomer.wechat_id, "departments": [corp.hr.pk]}
    )
    assert response.status_code == 302
    member = Member.objects.get(identity=newcomer)
    assert list(member.departments.all()) == [corp.hr]
    unknown = client.post(members, {"op": "add", "wechat_id": "nobody_here"})
    assert unknown.status_code == 400
    client.post(members, {"op": "departments", "member": member.pk, "departments": [corp.east.pk]})
    assert list(member.departments.all()) == [corp.east]
    client.post(members, {"op": "remove", "member": member.pk})
    assert not Member.objects.filter(pk=member.pk).exists()


def test_ww2_ww5_the_mini_program_starts_authorises_and_lists_its_associations(corp, live_app):
    client = console(live_app.admin, live_app.appid)
    response = client.post(url("links_enterprise_act"), {"op": "start", "corp_id": corp.corp_id})
    association = Association.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"?authorize={association.pk}")
    page = client.get(response.url)
    assert 'data-testid="enterprise-authorize"' in page.content.decode()
    ticket = QrTicket.objects.get(purpose="ww_authorize")
    identity_services.ticket_confirm(identity=live_app.admin, token=ticket.token)
    association.refresh_from_db()
    assert association.status == S.WAITING_ENTERPRISE
    accepted = linked(corp.admin).post(
        url("enterprise_app", corp.corp_id, association.pk), {"op": "accept"}
    )
    assert accepted.status_code == 302
    association.refresh_from_db()
    assert association.status == S.ACTIVE
    listing = client.get(url("links_enterprise")).content.decode()
    assert corp.corp_id in listing and 'data-status="active"' in listing
    client.post(url("links_enterprise_act"), {"op": "end", "association": association.pk})
    association.refresh_from_db()
    assert (association.status, association.end_reason) == (S.ENDED, "removed:miniprogram")


def test_an_unknown_corp_id_is_refused_on_its_field_and_nothing_is_stored(live_app):
    client = console(live_app.admin, live_app.appid)
    for corp_id in ("ww\x00zz", "ww0000000000000000"):
        response = client.post(url("links_enterprise_act"), {"op": "start", "corp_id": corp_id})
        assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert "No such enterprise: ww0000000000000000" in response.content.decode()
    assert not Association.objects.exists()


def test_an_operator_reads_the_list_but_may_not_start_or_end(corp, live_app, make_identity):
    from tests.releases.version_support import add_member

    operator = make_identity()
    add_member(live_app.miniprogram, operator, kind="project", roles=("operator",))
    client = console(operator, live_app.appid)
    page = client.get(url("links_enterprise"))
    assert (
        page.status_code == 200
        and 'data-testid="enterprise-start-form"' not in page.content.decode()
    )
    refused = client.post(url("links_enterprise_act"), {"op": "start", "corp_id": corp.corp_id})
    assert refused.status_code == 403 and not Association.objects.exists()
    developer = console(live_app.developer, live_app.appid)
    assert developer.get(url("links_enterprise")).status_code == 404
