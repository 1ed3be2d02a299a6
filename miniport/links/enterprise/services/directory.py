"""Enterprises, departments and members (WW-4's range is drawn from them).

Refusals (`EnterpriseError`, `CoreError`), after which nothing changed:
- `enterprise_create`: a name empty, too long or with a character that prints nothing
  (controls, zero-width and direction marks): NAME_INVALID
  (field `name`); an administrator WeChat ID that names no identity: IDENTITY_NOT_FOUND.
- `department_add`: NAME_INVALID; a parent of another enterprise: DEPARTMENT_NOT_FOUND;
  a sibling of the same name: DEPARTMENT_NAME_TAKEN (the database's constraint decides
  under concurrency); `enterprise.department_depth` levels below the root:
  DEPARTMENT_DEPTH; `enterprise.max_departments`: DEPARTMENT_LIMIT.
- `department_rename`: NAME_INVALID, DEPARTMENT_NAME_TAKEN.
- `department_delete`: the root: ROOT_DEPARTMENT; with subdepartments or members:
  DEPARTMENT_NOT_EMPTY.
- `member_add`: no identity of that WeChat ID: IDENTITY_NOT_FOUND (field `wechat_id`);
  already a member: ALREADY_MEMBER; `enterprise.max_members`: MEMBER_LIMIT; a department
  of another enterprise: DEPARTMENT_NOT_FOUND.
- `member_set_departments`: DEPARTMENT_NOT_FOUND; none given: FIELD_REQUIRED.

The limits are counted under the enterprise's row lock (PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.models import Identity
from miniport.identities.selectors import identity_by_wechat_id
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import NAME_MAX, Department, Enterprise, Member


def clean_name(value: object, field: str = "name") -> str:
    # Runs of whitespace (the ideographic space too) become one plain space; anything
    # else that prints nothing (controls, zero-width and direction marks) is refused, so
    # two departments or enterprises never look alike on the pages that list them.
    text = " ".join(str(value or "").split())
    if not text or len(text) > NAME_MAX or not text.isprintable():
        raise PlatformError(EnterpriseError.NAME_INVALID, field=field, limit=NAME_MAX)
    return text


def new_corp_id() -> str:
    return "ww" + secrets.token_hex(8)


def _lock(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _identity(wechat_id: object, field: str = "wechat_id") -> Identity:
    identity = identity_by_wechat_id(wechat_id)
    if identity is None:
        shown = str(wechat_id or "").replace("\x00", "")[:40]
        raise PlatformError(EnterpriseError.IDENTITY_NOT_FOUND, field=field, wechat_id=shown)
    return identity


def enterprise_create(
    *, actor: Actor, name: str, admin_wechat_id: str, principal_key: str = ""
) -> Enterprise:
    """An enterprise with its root department (named like it) and one administrator."""
    name = clean_name(name)
    admin = _identity(admin_wechat_id, field="admin_wechat_id")
    with transaction.atomic():
        now = clock.now()
        enterprise = Enterprise.objects.create(
            corp_id=new_corp_id(), name=name, principal_key=principal_key[:128], created_at=now
        )
        enterprise.administrators.add(admin)
        root = Department.objects.create(enterprise=enterprise, name=name)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        audit.record(
            actor,
            "enterprise.create",
            target=enterprise,
            after={"corp_id": enterprise.corp_id, "name": name, "admin": admin.wechat_id},
        )
    return enterprise


def _department(enterprise: Enterprise, department: Department | int | None) -> Department:
    pk = department.pk if isinstance(department, Department) else department
    found = Department.objects.filter(enterprise=enterprise, pk=pk).first() if pk else None
    if found is None:
        raise PlatformError(EnterpriseError.DEPARTMENT_NOT_FOUND, field="parent")
    return found


def department_add(
    *, actor: Actor, enterprise: Enterprise, parent: Department | int, name: str
) -> Department:
    name = clean_name(name)
    with transaction.atomic():
        corp = _lock(enterprise)
        above = _department(corp, parent)
        depth_limit = policy.value("enterprise.department_depth")
        if above.depth + 1 > depth_limit:
            raise PlatformError(EnterpriseError.DEPARTMENT_DEPTH, field="parent", limit=depth_limit)
        limit = policy.value("enterprise.max_departments")
        if Department.objects.filter(enterprise=corp).count() >= limit:
            raise PlatformError(EnterpriseError.DEPARTMENT_LIMIT, limit=limit)
        try:
            with transaction.atomic():
                department = Department.objects.create(
                    enterprise=corp, parent=above, name=name, depth=above.depth + 1
                )
        except IntegrityError:
            raise PlatformError(EnterpriseError.DEPARTMENT_NAME_TAKEN, field="name") from None
        department.path = f"{above.path}{department.pk}/"
        department.save(update_fields=["path"])
        audit.record(
            actor,
            "enterprise.department_add",
            target=department,
            after={"corp_id": corp.corp_id, "name": name, "parent": above.pk},
        )
    return department


def department_rename(
    *, actor: Actor, enterprise: Enterprise, department: Department | int, name: str
) -> Department:
    name = clean_name(name)
    with transaction.atomic():
        found = _department(_lock(enterprise), department)
        before = found.name
        found.name = name
        try:
            with transaction.atomic():
                found.save(update_fields=["name"])
        except IntegrityError:
            raise PlatformError(EnterpriseError.DEPARTMENT_NAME_TAKEN, field="name") from None
        audit.record(
            actor,
            "enterprise.department_rename",
            target=found,
            before={"name": before},
            after={"name": name, "corp_id": enterprise.corp_id},
        )
    return found


def department_delete(
    *, actor: Actor, enterprise: Enterprise, department: Department | int
) -> None:
    """An empty department goes (and the ranges that named it lose that entry)."""
    with transaction.atomic():
        found = _department(_lock(enterprise), department)
        if found.parent_id is None:
            raise PlatformError(EnterpriseError.ROOT_DEPARTMENT)
        if found.children.exists() or found.members.exists():
            raise PlatformError(EnterpriseError.DEPARTMENT_NOT_EMPTY)
        audit.record(
            actor,
            "enterprise.department_delete",
            target=found,
            before={"name": found.name, "corp_id": enterprise.corp_id},
        )
        found.delete()


def _departments(
    enterprise: Enterprise, departments: Iterable[Department | int]
) -> list[Department]:
    pks = {d.pk if isinstance(d, Department) else d for d in departments}
    found = list(Department.objects.filter(enterprise=enterprise, pk__in=pks))
    if len(found) != len(pks):
        raise PlatformError(EnterpriseError.DEPARTMENT_NOT_FOUND, field="departments")
    return found


def member_add(
    *,
    actor: Actor,
    enterprise: Enterprise,
    wechat_id: str,
    departments: Iterable[Department | int] = (),
) -> Member:
    """A member in the departments given (the root department when none is)."""
    identity = _identity(wechat_id)
    with transaction.atomic():
        corp = _lock(enterprise)
        chosen = _departments(corp, departments) or [
            Department.objects.get(enterprise=corp, parent__isnull=True)
        ]
        if Member.objects.filter(enterprise=corp, identity=identity).exists():
            raise PlatformError(EnterpriseError.ALREADY_MEMBER, field="wechat_id")
        limit = policy.value("enterprise.max_members")
        if Member.objects.filter(enterprise=corp).count() >= limit:
            raise PlatformError(EnterpriseError.MEMBER_LIMIT, limit=limit)
        try:
            with transaction.atomic():
                member = Member.objects.create(
                    enterprise=corp, identity=identity, added_at=clock.now()
                )
        except IntegrityError:
            raise PlatformError(EnterpriseError.ALREADY_MEMBER, field="wechat_id") from None
        member.departments.set(chosen)
        audit.record(
            actor,
            "enterprise.member_add",
            target=member,
            after={
                "corp_id": corp.corp_id,
                "wechat_id": identity.wechat_id,
                "departments": sorted(d.pk for d in chosen),
            },
        )
    return member


def _member(enterprise: Enterprise, member: Member | int) -> Member:
    pk = member.pk if isinstance(member, Member) else member
    found = Member.objects.filter(enterprise=enterprise, pk=pk).first()
    if found is None:
        raise PlatformError(EnterpriseError.MEMBER_NOT_FOUND)
    return found


def member_set_departments(
    *, actor: Actor, enterprise: Enterprise, member: Member | int, departments: Iterable
) -> Member:
    with transaction.atomic():
        corp = _lock(enterprise)
        found = _member(corp, member)
        chosen = _departments(corp, departments)
        if not chosen:
            raise PlatformError(CoreError.FIELD_REQUIRED, field="departments")
        before = sorted(found.departments.values_list("pk", flat=True))
        found.departments.set(chosen)
        audit.record(
            actor,
            "enterprise.member_departments",
            target=found,
            before={"departments": before},
            after={"departments": sorted(d.pk for d in chosen), "corp_id": corp.corp_id},
        )
    return found


def member_remove(*, actor: Actor, enterprise: Enterprise, member: Member | int) -> None:
    """The member leaves, and every visibility range that named it loses that entry."""
    with transaction.atomic():
        found = _member(_lock(enterprise), member)
        audit.record(
            actor,
            "enterprise.member_remove",
            target=found,
            before={"corp_id": enterprise.corp_id, "wechat_id": found.identity.wechat_id},
        )
        found.delete()
