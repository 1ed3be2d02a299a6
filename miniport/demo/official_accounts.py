"""Demo data of official accounts (OA-1..OA-3): 迷你港演示公众号, of the same subject as
the demo mini program and administered by its administrator; the demo mini program is
associated (requested by the official account, confirmed by the administrator's scan)
and placed in the menu, next to a web page button.

Everything goes through the services, as the official-account console and the phone
would. The lead's `miniport/demo/__init__.py` calls `ensure_official_accounts(actor=...,
miniprogram=<the demo mini program>, say=...)`."""

from __future__ import annotations

from collections.abc import Callable

from miniport.core.actors import Actor

OA_NAME = "迷你港演示公众号"
HOME_URL = "https://miniport.example/"


def _official_account():
    from miniport.links.official_accounts.models import OfficialAccount

    return OfficialAccount.objects.filter(name=OA_NAME).order_by("id").first()


def official_accounts_present() -> bool:
    """The official account is there, with a linked mini program in its menu."""
    from miniport.links.official_accounts.models import LinkStatus

    oa = _official_account()
    return (
        oa is not None
        and oa.links.filter(status=LinkStatus.LINKED).exists()
        and any(button.get("type") == "miniprogram" for button in oa.menu or [])
    )


def summary() -> str:
    """One line for the demo's logins."""
    oa = _official_account()
    if oa is None:
        return ""
    return (
        f"official account {oa.name} (AppID {oa.appid}): console /oa/{oa.appid}/ "
        f"(scan as {oa.admin_identity.wechat_id}); its menu opens the demo mini program "
        f"(/runtime/v1/official-accounts/menu?appid={oa.appid})"
    )


def ensure_official_accounts(
    *, actor: Actor, miniprogram, say: Callable[[str], None] = print
) -> bool:
    """Create what is missing; True when anything was created. `miniprogram` is the demo
    mini program (its administrator administers the official account too)."""
    from miniport.identities import services as identity_services
    from miniport.links.official_accounts import links, selectors, services

    if miniprogram is None:
        return False
    admin = miniprogram.admin_identity
    created = False
    oa = _official_account()
    if oa is None:
        oa, _secret = services.official_account_create(
            actor=actor,
            name=OA_NAME,
            admin=admin,
            subject_of=miniprogram,
            introduction="迷你港演示用的公众号",
        )
        say(f"official account {oa.name}: AppID {oa.appid}, administrator {admin.wechat_id}")
        created = True
    if not selectors.is_linked(oa.appid, miniprogram):
        link = selectors.live_link(oa, miniprogram) or links.link_request(
            actor=Actor.for_identity(admin), official_account=oa, appid=miniprogram.appid
        )
        # A fresh ticket: one left from an earlier run may have expired.
        ticket = links.confirmation_ticket(link)
        identity_services.ticket_confirm(identity=admin, token=ticket.token)
        say(f"official account {oa.name}: {miniprogram.appid} associated")
        created = True
    oa.refresh_from_db()
    if not any(button.get("type") == "miniprogram" for button in oa.menu or []):
        services.official_account_menu_update(
            actor=Actor.for_identity(admin),
            official_account=oa,
            buttons=[
                {
                    "type": "miniprogram",
                    "name": "演示小程序",
                    "appid": miniprogram.appid,
                    "pagepath": "pages/index/index",
                    "url": HOME_URL,
                },
                {"type": "view", "name": "官网", "url": HOME_URL},
            ],
        )
        say(f"official account {oa.name}: menu with the demo mini program")
        created = True
    return created
