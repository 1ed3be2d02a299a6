"""The launch context "enterprise" (via_id = corp_id): a mini program opened from an
enterprise's workbench. Registered from `setup.ready()` with `miniport.links.launch`."""

from __future__ import annotations

from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.links.enterprise import selectors
from miniport.links.enterprise.errors import EnterpriseError
from miniport.miniprograms.models import MiniProgram

VIA = "enterprise"


def check(identity: Identity, miniprogram: MiniProgram, corp_id: str) -> None:
    """Refuses, in this order: an unknown enterprise (ENTERPRISE_NOT_FOUND), an identity
    that is not its member (NOT_A_MEMBER), no active association (NOT_ASSOCIATED), a mini
    program without an online version (NOT_RELEASED, WW-1), a member outside the
    visibility range (OUT_OF_RANGE, WW-4). Read on every launch: ranges change without a
    release."""
    enterprise = selectors.by_corp_id(corp_id)
    if enterprise is None:
        raise PlatformError(
            EnterpriseError.ENTERPRISE_NOT_FOUND, field="via_id", corp_id=corp_id[:40]
        )
    member = selectors.member_of(enterprise, identity) if identity is not None else None
    if member is None:
        raise PlatformError(EnterpriseError.NOT_A_MEMBER, field="via_id")
    association = selectors.active_association(enterprise, miniprogram)
    if association is None:
        raise PlatformError(EnterpriseError.NOT_ASSOCIATED, field="appid")
    if not selectors.is_released(miniprogram):
        raise PlatformError(EnterpriseError.NOT_RELEASED, field="appid")
    if not selectors.in_range(association, member):
        raise PlatformError(EnterpriseError.OUT_OF_RANGE)
