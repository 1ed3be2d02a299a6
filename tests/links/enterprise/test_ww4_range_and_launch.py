"""WW-4: the visibility range (departments with their subdepartments, and members); the
workbench shows each member only the mini programs in range; the launch from an
enterprise context refuses a non-member, a member outside the range, an association
that is not active and a mini program that is not released (WW-1)."""

from __future__ import annotations

import pytest

from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.links import launch as launch_contexts
from miniport.links.enterprise import selectors
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import Association, AssociationStatus, RangeEntry
from miniport.links.enterprise.services import associations, directory
from tests.links.enterprise.conftest import associate
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db


def refused(call, code):
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def check(identity, app, corp_id):
    launch_contexts.launch_check(
        via="enterprise", via_id=corp_id, identity=identity, miniprogram=app.miniprogram
    )


def shown_to(identity):
    return {
        entry.enterprise.corp_id: [mp.appid for mp in entry.miniprograms]
        for entry in selectors.workbench(identity)
    }


def test_ww4_a_department_in_range_covers_its_subdepartments_and_nobody_else(corp, live_app):
    association = associate(corp, live_app)
    assert shown_to(corp.seller.identity) == {corp.corp_id: []}  # an empty range shows nothing
    associations.range_set(actor=corp.actor, association=association, departments=[corp.sales])
    assert shown_to(corp.seller.identity) == {corp.corp_id: [live_app.appid]}
    assert shown_to(corp.clerk.identity) == {corp.corp_id: []}
    check(corp.seller.identity, live_app, corp.corp_id)
    refused(
        lambda: check(corp.clerk.identity, live_app, corp.corp_id), EnterpriseError.OUT_OF_RANGE
    )


def test_ww4_a_member_named_in_the_range_sees_it_whatever_its_departments(corp, live_app):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, members=[corp.clerk])
    assert shown_to(corp.clerk.identity) == {corp.corp_id: [live_app.appid]}
    assert shown_to(corp.seller.identity) == {corp.corp_id: []}
    check(corp.clerk.identity, live_app, corp.corp_id)


def test_ww4_the_root_department_puts_every_member_in_range(corp, live_app):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.root])
    for member in (corp.seller, corp.clerk):
        check(member.identity, live_app, corp.corp_id)


def test_ww4_the_launch_refuses_a_non_member_and_an_unknown_enterprise(corp, live_app):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.root])
    refused(lambda: check(live_app.outsider, live_app, corp.corp_id), EnterpriseError.NOT_A_MEMBER)
    for corp_id in ("ww0000000000000000", "not-a-corp"):
        refused(
            lambda corp_id=corp_id: check(corp.seller.identity, live_app, corp_id),
            EnterpriseError.ENTERPRISE_NOT_FOUND,
        )


def test_ww4_the_launch_refuses_a_waiting_or_ended_association(corp, live_app):
    association, _ticket = associations.request_from_enterprise(
        actor=corp.actor, enterprise=corp.enterprise, appid=live_app.appid, session_key="s"
    )
    refused(
        lambda: check(corp.seller.identity, live_app, corp.corp_id), EnterpriseError.NOT_ASSOCIATED
    )
    associations.association_end(actor=corp.actor, association=association, side="enterprise")
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.root])
    associations.association_end(
        actor=live_app.admin_actor, association=association, side="miniprogram"
    )
    refused(
        lambda: check(corp.seller.identity, live_app, corp.corp_id), EnterpriseError.NOT_ASSOCIATED
    )
    assert not RangeEntry.objects.filter(association=association).exists()
    assert shown_to(corp.seller.identity) == {corp.corp_id: []}


def test_ww1_the_launch_refuses_a_mini_program_without_an_online_version(corp, app):
    """An association can only be made for a released mini program; one that has none
    (made here directly) is refused at launch and left off the workbench."""
    association = Association.objects.create(
        enterprise=corp.enterprise,
        miniprogram=app.miniprogram,
        status=AssociationStatus.ACTIVE,
        started_by="enterprise",
        requested_at=clock.now(),
    )
    RangeEntry.objects.create(association=association, department=corp.root)
    refused(lambda: check(corp.seller.identity, app, corp.corp_id), EnterpriseError.NOT_RELEASED)
    assert shown_to(corp.seller.identity) == {corp.corp_id: []}


def test_ww4_a_range_takes_only_the_enterprises_own_departments_and_members(
    corp, live_app, make_identity
):
    from miniport.core.actors import Actor

    other = directory.enterprise_create(
        actor=Actor.system("tests"), name="另一企业", admin_wechat_id=make_identity().wechat_id
    )
    foreign_root = other.departments.get()
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.hr])
    before = (list(RangeEntry.objects.values_list("pk", flat=True)), AuditEntry.objects.count())
    refused(
        lambda: associations.range_set(
            actor=corp.actor, association=association, departments=[foreign_root]
        ),
        EnterpriseError.DEPARTMENT_NOT_FOUND,
    )
    refused(
        lambda: associations.range_set(actor=corp.actor, association=association, members=[10**9]),
        EnterpriseError.MEMBER_NOT_FOUND,
    )
    assert (
        list(RangeEntry.objects.values_list("pk", flat=True)),
        AuditEntry.objects.count(),
    ) == before


def test_ww4_the_range_limit_is_a_policy_row(corp, live_app):
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    association = associate(corp, live_app)
    PolicyOverride.objects.create(key="enterprise.range_max", value=1)
    policy.forget_cached()
    refused(
        lambda: associations.range_set(
            actor=corp.actor, association=association, departments=[corp.hr], members=[corp.seller]
        ),
        EnterpriseError.RANGE_LIMIT,
    )
    assert not RangeEntry.objects.exists()


def test_ww4_the_runtime_launch_from_the_workbench_answers_in_range_and_refuses_outside(
    client, corp, live_app
):
    association = associate(corp, live_app)
    associations.range_set(actor=corp.actor, association=association, departments=[corp.east])
    body = launch(
        client, corp.seller.identity, live_app.appid, via="enterprise", via_id=corp.corp_id
    )
    assert body["errcode"] == 0 and body["version"] == "1.0.0"
    body = launch(
        client, corp.clerk.identity, live_app.appid, via="enterprise", via_id=corp.corp_id
    )
    assert body["errcode"] != 0
    assert body["errmsg"].startswith(EnterpriseError.OUT_OF_RANGE.message("en"))
    body = launch(client, corp.seller.identity, live_app.appid, via="enterprise", via_id="ww\x00")
    assert body["errcode"] != 0
