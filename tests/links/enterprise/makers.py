"""An enterprise for the page walks (i18n world): administered by the mini program's
administrator, with a department, the world's phone identity as a member in it, and the
(released) mini program associated and visible to that department."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.identities import services as identity_services
from miniport.links.enterprise.models import Association, Department, Enterprise, Member
from miniport.links.enterprise.services import associations, directory

WORLD_NAME = "语言测试企业"
EMPTY_DEPARTMENT = "市场部"


def world_enterprise(mp, member) -> Enterprise:
    admin = mp.admin_identity
    actor = Actor.for_identity(admin)
    corp = directory.enterprise_create(
        actor=Actor.system("tests"), name=WORLD_NAME, admin_wechat_id=admin.wechat_id
    )
    root = corp.departments.get()
    team = directory.department_add(actor=actor, enterprise=corp, parent=root, name="研发部")
    # An empty department: the one its deletion's confirmation can offer to delete.
    directory.department_add(actor=actor, enterprise=corp, parent=root, name=EMPTY_DEPARTMENT)
    directory.member_add(
        actor=actor, enterprise=corp, wechat_id=member.wechat_id, departments=[team]
    )
    association, ticket = associations.request_from_enterprise(
        actor=actor, enterprise=corp, appid=mp.appid, session_key="i18n-world-enterprise"
    )
    identity_services.ticket_confirm(identity=admin, token=ticket.token)
    associations.range_set(actor=actor, association=association, departments=[team])
    return corp


def world_corp_id(_world=None) -> dict:
    """The URL arguments of the enterprise console pages in the world."""
    return {"corp_id": Enterprise.objects.get(name=WORLD_NAME).corp_id}


def world_association(_world=None) -> dict:
    association = Association.objects.get(enterprise__name=WORLD_NAME)
    return {"corp_id": association.enterprise.corp_id, "pk": association.pk}


def world_empty_department(_world=None) -> dict:
    department = Department.objects.get(enterprise__name=WORLD_NAME, name=EMPTY_DEPARTMENT)
    return {"corp_id": department.enterprise.corp_id, "pk": department.pk}


def world_full_department(_world=None) -> dict:
    """The department with the world's member in it: its deletion is refused."""
    department = Department.objects.get(enterprise__name=WORLD_NAME, name="研发部")
    return {"corp_id": department.enterprise.corp_id, "pk": department.pk}


def world_enterprise_member(_world=None) -> dict:
    member = Member.objects.get(enterprise__name=WORLD_NAME)
    return {"corp_id": member.enterprise.corp_id, "pk": member.pk}


def world_workbench_app(world) -> dict:
    return {"corp_id": Enterprise.objects.get(name=WORLD_NAME).corp_id, "appid": world.appid}


def enterprise_names() -> set[str]:
    """What the enterprise's administrator typed: the names the pages show as they are."""
    return set(Enterprise.objects.values_list("name", flat=True)) | set(
        Department.objects.values_list("name", flat=True)
    )
