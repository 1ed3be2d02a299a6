"""Strangers and hostile input against the enterprise pages and the enterprise launch
context (WW-1..WW-5): every probe answers 404, a refusal on the field or the documented
refusal, never a 500, and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.links.enterprise.models import Association, Department, Member, RangeEntry
from miniport.links.enterprise.services import associations, directory
from tests.links.enterprise.conftest import associate
from tests.links.enterprise.test_console_pages import console, linked
from tests.links.enterprise.test_workbench_page import phone
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db
HUGE = 10**20


def url(name, *args):
    return reverse(f"console:{name}", args=args)


def world():
    return (
        sorted(Association.objects.values_list("pk", "status")),
        sorted(Department.objects.values_list("pk", "name", "parent")),
        sorted(Member.objects.values_list("pk", "identity")),
        sorted(RangeEntry.objects.values_list("pk", "department", "member")),
        AuditEntry.objects.filter(action__startswith="enterprise.").count(),
    )


def test_hostile_numbers_in_the_enterprise_console_answer_without_a_server_error(corp, live_app):
    association = associate(corp, live_app)
    client = linked(corp.admin)
    before = world()
    for pk in (HUGE, -1, 0):
        assert client.get(url("enterprise_app", corp.corp_id, 0) + "x").status_code == 404
        page = f"/work/{corp.corp_id}/apps/{pk}/"
        assert client.get(page).status_code == 404
        for op in ("delete", "rename"):
            response = client.post(
                url("enterprise_departments", corp.corp_id),
                {"op": op, "department": str(pk), "name": "x"},
            )
            assert response.status_code in (302, 400)
        for op in ("remove", "departments"):
            response = client.post(
                url("enterprise_members", corp.corp_id),
                {"op": op, "member": str(pk), "departments": [str(corp.hr.pk)]},
            )
            assert response.status_code == 302
        for field in ("departments", "members"):
            response = client.post(
                url("enterprise_app", corp.corp_id, association.pk), {"op": "range", field: [pk]}
            )
            assert response.status_code == 400
        response = client.post(
            url("enterprise_departments", corp.corp_id),
            {"op": "add", "parent": str(pk), "name": "x"},
        )
        assert response.status_code == 400
    assert world() == before


def test_hostile_numbers_on_the_mini_programs_enterprise_page_answer_404(corp, live_app):
    associate(corp, live_app)
    client = console(live_app.admin, live_app.appid)
    before = world()
    for pk in (str(HUGE), "-1", "x", "1\x00"):
        assert client.get(url("links_enterprise"), {"authorize": pk}).status_code == 200
        response = client.post(url("links_enterprise_act"), {"op": "end", "association": pk})
        assert response.status_code == 404
    assert world() == before


def test_an_administrator_of_one_enterprise_reaches_nothing_of_another(
    corp, live_app, make_identity
):
    association = associate(corp, live_app)
    other = directory.enterprise_create(
        actor=Actor.system("tests"), name="另一企业", admin_wechat_id=make_identity().wechat_id
    )
    intruder = linked(other.administrators.get())
    before = world()
    for name, args in (
        ("enterprise_apps", ()),
        ("enterprise_departments", ()),
        ("enterprise_members", ()),
        ("enterprise_app", (association.pk,)),
    ):
        assert intruder.get(url(name, corp.corp_id, *args)).status_code == 404
        assert intruder.post(url(name, corp.corp_id, *args), {"op": "remove"}).status_code == 404
    # Its own console, naming the other enterprise's rows.
    mine = other.corp_id
    assert intruder.get(url("enterprise_app", mine, association.pk)).status_code == 404
    for op, row in (("delete", corp.hr.pk), ("rename", corp.hr.pk)):
        intruder.post(
            url("enterprise_departments", mine), {"op": op, "department": row, "name": "x"}
        )
    intruder.post(url("enterprise_departments", mine), {"op": "add", "parent": corp.hr.pk})
    for op in ("remove", "departments"):
        intruder.post(
            url("enterprise_members", mine),
            {"op": op, "member": corp.seller.pk, "departments": [corp.hr.pk]},
        )
    assert world() == before


def test_the_enterprise_launch_never_answers_from_a_remembered_launch_after_a_change(
    client, corp, live_app
):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.root])
    seller = corp.seller.identity
    assert (
        launch(client, seller, live_app.appid, via="enterprise", via_id=corp.corp_id)["errcode"]
        == 0
    )
    directory.member_remove(actor=corp.actor, enterprise=corp.enterprise, member=corp.seller)
    assert (
        launch(client, seller, live_app.appid, via="enterprise", via_id=corp.corp_id)["errcode"]
        != 0
    )
    clerk = corp.clerk.identity
    assert (
        launch(client, clerk, live_app.appid, via="enterprise", via_id=corp.corp_id)["errcode"] == 0
    )
    associations.association_end(actor=corp.actor, association=association, side="enterprise")
    assert (
        launch(client, clerk, live_app.appid, via="enterprise", via_id=corp.corp_id)["errcode"] != 0
    )
    assert (
        phone(clerk)
        .get(reverse("mobile:workbench_open", args=[corp.corp_id, live_app.appid]))
        .status_code
        == 403
    )


def test_hostile_workbench_addresses_answer_404(corp, live_app):
    client = phone(corp.seller.identity)
    for corp_id, appid in (
        ("ww%00", live_app.appid),
        (corp.corp_id, "wx%00"),
        ("x" * 500, "y" * 500),
    ):
        assert client.get(f"/m/work/{corp_id}/{appid}/").status_code == 404


def test_hostile_via_ids_answer_an_errcode(client, corp, live_app):
    for via_id in ("ww\x00", "x" * 5000, "é" * 30, " ", corp.corp_id.upper()):
        body = launch(client, corp.seller.identity, live_app.appid, via="enterprise", via_id=via_id)
        assert body["errcode"] != 0


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",  # zero-width space: a name that looks empty
        "人事\u200b部",  # a sibling of "人事部" that looks the same
        "abc\u202edcba",  # a right-to-left override turns what follows around
        "csi\x9b31m",  # a C1 control character
        "soft\xadhyphen",
    ],
)
def test_a_department_name_with_hidden_or_control_characters_is_refused(corp, name):
    """Names show on the console, the workbench and the phone: a character that shows
    nothing or reorders the text would let two departments look alike."""
    client = linked(corp.admin)
    before = world()
    response = client.post(
        url("enterprise_departments", corp.corp_id),
        {"op": "add", "parent": corp.root.pk, "name": name},
    )
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    response = client.post(
        url("enterprise_departments", corp.corp_id),
        {"op": "rename", "department": corp.hr.pk, "name": name},
    )
    assert response.status_code == 400
    assert world() == before


def test_a_name_keeps_its_ideographic_spaces_as_plain_ones(corp):
    department = directory.department_add(
        actor=corp.actor, enterprise=corp.enterprise, parent=corp.root, name="研发\u3000一组"
    )
    assert department.name == "研发 一组"


def test_the_enterprise_console_refuses_a_post_without_its_csrf_token(corp):
    from django.test import Client

    from miniport.console.linked_access import LINKED_IDENTITY

    client = Client(enforce_csrf_checks=True)
    session = client.session
    session[LINKED_IDENTITY] = corp.admin.pk
    session.save()
    before = world()
    response = client.post(
        url("enterprise_members", corp.corp_id), {"op": "remove", "member": corp.seller.pk}
    )
    assert response.status_code == 403
    assert world() == before


def test_the_administrator_of_one_mini_program_reaches_no_association_of_another(
    corp, live_app, provision, make_identity
):
    """The mini program's page reads its own associations only: another app's
    association pk neither shows a scan nor ends, even for an identity that knows it."""
    from miniport.identities.models import QrTicket
    from tests.releases.version_support import make_app, released

    other = make_app(provision, make_identity)
    released(other, "1.0.0")
    theirs = associate(corp, other)
    client = console(live_app.admin, live_app.appid)
    before, tickets = world(), QrTicket.objects.count()
    page = client.get(url("links_enterprise"), {"authorize": theirs.pk})
    assert page.status_code == 200 and 'data-testid="ticket"' not in page.content.decode()
    response = client.post(url("links_enterprise_act"), {"op": "end", "association": theirs.pk})
    assert response.status_code == 404
    assert (world(), QrTicket.objects.count()) == (before, tickets)
