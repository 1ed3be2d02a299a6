"""Demo data of enterprises (WW-1..WW-5): 迷你港演示企业, administered by the demo mini
program's administrator, with two departments and three members; the demo mini program
(released, 1.0.0 online) is associated (requested by the enterprise, authorised by the
administrator's scan) and visible to 研发部 only, so `demo_dev` finds it on the phone's
workbench (/m/work/) and `demo_tester` does not.

Everything goes through the services, as the enterprise console and the phone would.
The lead's `miniport/demo/__init__.py` calls `ensure_enterprise(actor=..., miniprogram=
<the demo mini program>, say=...)` after the code versions exist."""

from __future__ import annotations

from collections.abc import Callable

from miniport.core.actors import Actor

ENTERPRISE_NAME = "迷你港演示企业"
# Department -> demo identities in it (those of `miniport.demo.identities()`).
DEPARTMENTS = {"研发部": ("demo_dev",), "市场部": ("demo_tester",)}
IN_RANGE = "研发部"
_SESSION = "demo-enterprise-console"


def _enterprise():
    from miniport.links.enterprise.models import Enterprise

    return Enterprise.objects.filter(name=ENTERPRISE_NAME).order_by("id").first()


def enterprise_present() -> bool:
    """The enterprise, its members and an active association with a range are there."""
    from miniport.links.enterprise.models import AssociationStatus, RangeEntry

    corp = _enterprise()
    return (
        corp is not None
        and corp.members.exists()
        and RangeEntry.objects.filter(
            association__enterprise=corp, association__status=AssociationStatus.ACTIVE
        ).exists()
    )


def summary() -> str:
    """One line for the demo's logins."""
    corp = _enterprise()
    if corp is None:
        return ""
    admin = corp.administrators.order_by("id").first()
    who = admin.wechat_id if admin is not None else "?"
    return (
        f"enterprise {corp.name} (corp_id {corp.corp_id}): console /work/{corp.corp_id}/ "
        f"(scan as {who}); workbench /m/work/ as demo_dev (in range), demo_tester (not)"
    )


def ensure_enterprise(*, actor: Actor, miniprogram, say: Callable[[str], None] = print) -> bool:
    """Create what is missing; True when anything was created. `miniprogram` is the demo
    mini program (its administrator administers the enterprise too); without an online
    version the association is left out (WW-1) and said so."""
    from miniport.core.errors import PlatformError
    from miniport.identities.selectors import identity_by_wechat_id

    if miniprogram is None:
        return False
    admin = miniprogram.admin_identity
    created = False
    corp = _enterprise()
    if corp is None:
        from miniport.links.enterprise.services import directory

        corp = directory.enterprise_create(
            actor=actor, name=ENTERPRISE_NAME, admin_wechat_id=admin.wechat_id
        )
        say(f"enterprise {corp.name}: corp_id {corp.corp_id}, administrator {admin.wechat_id}")
        created = True
    created |= _ensure_members(corp, admin, identity_by_wechat_id, say)
    try:
        created |= _ensure_association(corp, admin, miniprogram, say)
    except PlatformError as refusal:
        say(f"enterprise {corp.name}: no association ({refusal.wire_message()})")
    return created


def _ensure_members(corp, admin, identity_by_wechat_id, say) -> bool:
    from miniport.links.enterprise.models import Department, Member
    from miniport.links.enterprise.services import directory

    created = False
    as_admin = Actor.for_identity(admin)
    root = Department.objects.get(enterprise=corp, parent__isnull=True)
    for name, wechat_ids in DEPARTMENTS.items():
        department = Department.objects.filter(enterprise=corp, parent=root, name=name).first()
        if department is None:
            department = directory.department_add(
                actor=as_admin, enterprise=corp, parent=root, name=name
            )
            created = True
        for wechat_id in wechat_ids:
            identity = identity_by_wechat_id(wechat_id)
            if (
                identity is None
                or Member.objects.filter(enterprise=corp, identity=identity).exists()
            ):
                continue
            directory.member_add(
                actor=as_admin, enterprise=corp, wechat_id=wechat_id, departments=[department]
            )
            say(f"enterprise member {wechat_id}: {name}")
            created = True
    if not Member.objects.filter(enterprise=corp, identity=admin).exists():
        directory.member_add(actor=as_admin, enterprise=corp, wechat_id=admin.wechat_id)
        created = True
    return created


def _ensure_association(corp, admin, miniprogram, say) -> bool:
    from miniport.identities import services as identity_services
    from miniport.links.enterprise.models import Association, AssociationStatus, Department
    from miniport.links.enterprise.services import associations

    if Association.objects.filter(
        enterprise=corp, miniprogram=miniprogram, status=AssociationStatus.ACTIVE
    ).exists():
        return False
    as_admin = Actor.for_identity(admin)
    association, ticket = associations.request_from_enterprise(
        actor=as_admin, enterprise=corp, appid=miniprogram.appid, session_key=_SESSION
    )
    # WW-3: the mini program's administrator scans and confirms.
    identity_services.ticket_confirm(identity=miniprogram.admin_identity, token=ticket.token)
    department = Department.objects.get(enterprise=corp, name=IN_RANGE)
    associations.range_set(actor=as_admin, association=association, departments=[department])
    say(f"enterprise association: {miniprogram.appid} on the workbench of {IN_RANGE}")
    return True
