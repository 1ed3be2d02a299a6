"""An enterprise with an administrator, a department tree and members, and a released
mini program (WW-1) to associate with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from miniport.core.actors import Actor
from miniport.identities import services as identity_services
from miniport.links.enterprise.models import Association, AssociationStatus, Enterprise
from miniport.links.enterprise.services import associations, directory
from tests.links.makers import same_subject  # noqa: F401
from tests.releases.version_support import app_fixture, make_app, released  # noqa: F401
from tests.runtime.conftest import host_app  # noqa: F401

SESSION = "enterprise-console-session"


@dataclass
class Corp:
    enterprise: Enterprise
    admin: Any
    root: Any
    sales: Any  # a department under the root
    east: Any  # a subdepartment of sales
    hr: Any
    seller: Any  # a member of east
    clerk: Any  # a member of hr

    @property
    def actor(self) -> Actor:
        return Actor.for_identity(self.admin)

    @property
    def corp_id(self) -> str:
        return self.enterprise.corp_id


@pytest.fixture
def corp(db, make_identity) -> Corp:
    admin = make_identity()
    actor = Actor.for_identity(admin)
    enterprise = directory.enterprise_create(
        actor=Actor.system("tests"), name="示例企业", admin_wechat_id=admin.wechat_id
    )
    root = enterprise.departments.get(parent__isnull=True)
    sales = directory.department_add(actor=actor, enterprise=enterprise, parent=root, name="销售部")
    east = directory.department_add(actor=actor, enterprise=enterprise, parent=sales, name="华东区")
    hr = directory.department_add(actor=actor, enterprise=enterprise, parent=root, name="人事部")
    seller, clerk = make_identity(), make_identity()
    seller_member = directory.member_add(
        actor=actor, enterprise=enterprise, wechat_id=seller.wechat_id, departments=[east]
    )
    clerk_member = directory.member_add(
        actor=actor, enterprise=enterprise, wechat_id=clerk.wechat_id, departments=[hr]
    )
    return Corp(enterprise, admin, root, sales, east, hr, seller_member, clerk_member)


@pytest.fixture
def live_app(app):
    """The version-support mini program with 1.0.0 online."""
    released(app, "1.0.0")
    return app


def associate(corp: Corp, app) -> Association:
    """WW-2 from the enterprise, WW-3 authorised by the administrator's scan: active."""
    association, ticket = associations.request_from_enterprise(
        actor=corp.actor, enterprise=corp.enterprise, appid=app.appid, session_key=SESSION
    )
    identity_services.ticket_confirm(identity=app.admin, token=ticket.token)
    association.refresh_from_db()
    assert association.status == AssociationStatus.ACTIVE
    return association
