"""The launch context of an official account's menu (OA-3): a mini program opened with
`via=official_account&via_id=<the official account's AppID>` must be associated
(linked) with that official account."""

from __future__ import annotations

from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.links import launch
from miniport.links.official_accounts import selectors
from miniport.links.official_accounts.errors import OfficialAccountError
from miniport.miniprograms.models import MiniProgram

VIA = "official_account"


def check(identity: Identity, miniprogram: MiniProgram, via_id: str) -> None:
    if not selectors.is_linked(via_id, miniprogram):
        raise PlatformError(OfficialAccountError.NOT_LINKED, field="via_id")


launch.register(VIA, check)
