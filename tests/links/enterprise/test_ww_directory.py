"""Enterprises, departments (a tree, names unique per parent) and members (identities in
one or more departments): what WW-4's visibility ranges are drawn from."""

from __future__ import annotations

import re

import pytest

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, PolicyOverride
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import Department, Enterprise, Member
from miniport.links.enterprise.services import directory

pytestmark = pytest.mark.django_db


def refused(call, code):
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def counts():
    return (
        Enterprise.objects.count(),
        Department.objects.count(),
        Member.objects.count(),
        AuditEntry.objects.count(),
    )


def test_an_enterprise_gets_a_corp_id_a_root_department_and_its_administrator(make_identity):
    admin = make_identity()
    enterprise = directory.enterprise_create(
        actor=Actor.system("tests"), name=" 示例  企业 ", admin_wechat_id=admin.wechat_id
    )
    assert re.fullmatch(r"ww[0-9a-f]{16}", enterprise.corp_id)
    assert enterprise.name == "示例 企业"
    assert list(enterprise.administrators.all()) == [admin]
    root = enterprise.departments.get()
    assert root.parent is None and root.name == enterprise.name and root.path == f"/{root.pk}/"


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bad\x00name", "bell\x07"])
def test_an_enterprise_name_that_is_empty_too_long_or_has_control_characters_is_refused(
    make_identity, name
):
    admin = make_identity()
    before = counts()
    error = refused(
        lambda: directory.enterprise_create(
            actor=Actor.system("tests"), name=name, admin_wechat_id=admin.wechat_id
        ),
        EnterpriseError.NAME_INVALID,
    )
    assert error.field == "name"
    assert counts() == before


def test_an_unknown_administrator_is_refused_and_nothing_is_stored(db):
    before = counts()
    error = refused(
        lambda: directory.enterprise_create(
            actor=Actor.system("tests"), name="甲", admin_wechat_id="nobody\x00"
        ),
        EnterpriseError.IDENTITY_NOT_FOUND,
    )
    assert error.field == "admin_wechat_id"
    assert counts() == before


def test_department_names_are_unique_per_parent_only(corp):
    """The same name under another parent is fine; a sibling of that name is refused."""
    again = directory.department_add(
        actor=corp.actor, enterprise=corp.enterprise, parent=corp.hr, name="华东区"
    )
    assert again.path == f"{corp.hr.path}{again.pk}/" and again.depth == 2
    before = counts()
    error = refused(
        lambda: directory.department_add(
            actor=corp.actor, enterprise=corp.enterprise, parent=corp.sales, name="华东区"
        ),
        EnterpriseError.DEPARTMENT_NAME_TAKEN,
    )
    assert error.field == "name" and counts() == before
    refused(
        lambda: directory.department_rename(
            actor=corp.actor, enterprise=corp.enterprise, department=corp.hr, name="销售部"
        ),
        EnterpriseError.DEPARTMENT_NAME_TAKEN,
    )
    corp.hr.refresh_from_db()
    assert corp.hr.name == "人事部" and counts() == before


def test_a_parent_of_another_enterprise_is_not_found(corp, make_identity):
    other = directory.enterprise_create(
        actor=Actor.system("tests"), name="乙", admin_wechat_id=make_identity().wechat_id
    )
    before = counts()
    refused(
        lambda: directory.department_add(
            actor=corp.actor, enterprise=other, parent=corp.sales, name="偷渡"
        ),
        EnterpriseError.DEPARTMENT_NOT_FOUND,
    )
    assert counts() == before


def test_departments_nest_only_as_deep_as_the_policy_row_allows(corp):
    PolicyOverride.objects.create(key="enterprise.department_depth", value=2)
    policy.forget_cached()
    before = counts()
    refused(
        lambda: directory.department_add(
            actor=corp.actor, enterprise=corp.enterprise, parent=corp.east, name="上海"
        ),
        EnterpriseError.DEPARTMENT_DEPTH,
    )
    assert counts() == before


def test_the_department_limit_is_a_policy_row(corp):
    PolicyOverride.objects.create(key="enterprise.max_departments", value=4)
    policy.forget_cached()
    before = counts()
    refused(
        lambda: directory.department_add(
            actor=corp.actor, enterprise=corp.enterprise, parent=corp.root, name="财务部"
        ),
        EnterpriseError.DEPARTMENT_LIMIT,
    )
    assert counts() == before


def test_only_an_empty_department_other_than_the_root_is_deleted(corp):
    before = counts()
    refused(
        lambda: directory.department_delete(
            actor=corp.actor, enterprise=corp.enterprise, department=corp.root
        ),
        EnterpriseError.ROOT_DEPARTMENT,
    )
    for busy in (corp.sales, corp.east):  # a subdepartment; a member
        refused(
            lambda busy=busy: directory.department_delete(
                actor=corp.actor, enterprise=corp.enterprise, department=busy
            ),
            EnterpriseError.DEPARTMENT_NOT_EMPTY,
        )
    assert counts() == before
    directory.member_remove(actor=corp.actor, enterprise=corp.enterprise, member=corp.clerk)
    directory.department_delete(actor=corp.actor, enterprise=corp.enterprise, department=corp.hr)
    assert not Department.objects.filter(pk=corp.hr.pk).exists()


def test_a_member_is_an_identity_added_by_wechat_id_into_the_root_when_no_department_is_named(
    corp, make_identity
):
    newcomer = make_identity()
    member = directory.member_add(
        actor=corp.actor, enterprise=corp.enterprise, wechat_id=newcomer.wechat_id
    )
    assert member.identity == newcomer
    assert list(member.departments.all()) == [corp.root]
    member = directory.member_set_departments(
        actor=corp.actor,
        enterprise=corp.enterprise,
        member=member,
        departments=[corp.hr, corp.east],
    )
    assert set(member.departments.all()) == {corp.hr, corp.east}


def test_adding_an_unknown_identity_or_a_member_twice_is_refused(corp):
    before = counts()
    error = refused(
        lambda: directory.member_add(
            actor=corp.actor, enterprise=corp.enterprise, wechat_id="no_such_person"
        ),
        EnterpriseError.IDENTITY_NOT_FOUND,
    )
    assert error.field == "wechat_id"
    refused(
        lambda: directory.member_add(
            actor=corp.actor,
            enterprise=corp.enterprise,
            wechat_id=corp.seller.identity.wechat_id,
        ),
        EnterpriseError.ALREADY_MEMBER,
    )
    assert counts() == before


def test_the_member_limit_is_a_policy_row(corp, make_identity):
    PolicyOverride.objects.create(key="enterprise.max_members", value=2)
    policy.forget_cached()
    newcomer = make_identity()
    before = counts()
    refused(
        lambda: directory.member_add(
            actor=corp.actor, enterprise=corp.enterprise, wechat_id=newcomer.wechat_id
        ),
        EnterpriseError.MEMBER_LIMIT,
    )
    assert counts() == before


def test_a_member_keeps_at_least_one_department(corp):
    from miniport.core.errors import CoreError

    refused(
        lambda: directory.member_set_departments(
            actor=corp.actor, enterprise=corp.enterprise, member=corp.seller, departments=[]
        ),
        CoreError.FIELD_REQUIRED,
    )
    assert list(corp.seller.departments.all()) == [corp.east]
