"""An official account for the page walks (i18n world): administered by the mini
program's administrator, with that mini program associated and placed in its menu, and
a request of another mini program waiting."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.links.official_accounts import links, services
from miniport.links.official_accounts.models import LIVE_STATES, OfficialAccount
from tests.links.official_accounts.support import confirm

WORLD_NAME = "语言测试公众号"


def world_official_account(mp, waiting=None) -> OfficialAccount:
    actor = Actor.for_identity(mp.admin_identity)
    oa, _secret = services.official_account_create(
        actor=actor, name=WORLD_NAME, admin=mp.admin_identity, subject_of=mp
    )
    confirm(links.link_request(actor=actor, official_account=oa, appid=mp.appid))
    buttons = [
        {
            "type": "miniprogram",
            "name": "小程序",
            "appid": mp.appid,
            "pagepath": "pages/index",
            "url": "https://example.com/",
        },
        {"type": "view", "name": "官网", "url": "https://example.com/"},
    ]
    if waiting is not None:
        # `waiting` was associated, placed in the menu and unlinked (the menu page warns
        # about its button, the mini programs page lists the ended association), then
        # asked for again.
        ended = confirm(links.link_request(actor=actor, official_account=oa, appid=waiting.appid))
        buttons.append({**buttons[0], "name": "旧小程序", "appid": waiting.appid})
        services.official_account_menu_update(actor=actor, official_account=oa, buttons=buttons)
        links.unlink(actor=actor, link=ended)
        links.link_request(actor=actor, official_account=oa, appid=waiting.appid)
    else:
        services.official_account_menu_update(actor=actor, official_account=oa, buttons=buttons)
    return oa


def world_oa_appid(_world=None) -> dict:
    """The URL arguments of the official-account console pages in the world."""
    return {"appid": OfficialAccount.objects.get(name=WORLD_NAME).appid}


def world_oa_values() -> set[str]:
    """What the official accounts' administrators typed: names, subjects, menu buttons."""
    values: set[str] = set()
    for oa in OfficialAccount.objects.all():
        values |= {oa.name, oa.subject_name, oa.introduction, oa.original_id}
        values |= {button.get("name", "") for button in oa.menu or []}
    return values - {""}


def world_oa_live_links() -> list[dict]:
    """The URL arguments of the world official account's live associations: the linked
    mini program (unlink) and the waiting request (withdraw)."""
    oa = OfficialAccount.objects.get(name=WORLD_NAME)
    return [
        {"appid": oa.appid, "pk": link.pk}
        for link in oa.links.filter(status__in=LIVE_STATES).order_by("pk")
    ]
