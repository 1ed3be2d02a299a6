"""Official accounts (OA-1): creation, profile, menu and AppSecret.

Refusals (`OfficialAccountError`), after which nothing changed: a name empty or longer
than its column: NAME_INVALID; an introduction too long: INTRODUCTION_INVALID; an
administrator ID naming no identity: ADMIN_NOT_FOUND; a menu that breaks its rules
(`menu.py`): MENU_INVALID / MENU_NOT_LINKED.

An official account is "of the same subject" as the mini program it was created for
(`subject_of`: its principal key); otherwise it is its own subject, which no mini
program shares.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.apps import apps
from django.db import transaction

from miniport.accounts.selectors import principal_key
from miniport.core import audit, clock, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.links.official_accounts import menu as menus
from miniport.links.official_accounts import selectors
from miniport.links.official_accounts.errors import OfficialAccountError
from miniport.links.official_accounts.models import OfficialAccount
from miniport.miniprograms.models import MiniProgram

NAME_MAX: int = OfficialAccount._meta.get_field("name").max_length or 60
INTRODUCTION_MAX: int = OfficialAccount._meta.get_field("introduction").max_length or 200
_APPID_ATTEMPTS = 20


def _taken(appid: str) -> bool:
    # The plugins table is read by its label: links sit below the plugins domain.
    plugin = apps.get_model("plugins", "Plugin")
    return (
        MiniProgram.objects.filter(appid=appid).exists()
        or plugin.objects.filter(appid=appid).exists()
        or OfficialAccount.objects.filter(appid=appid).exists()
    )


def new_official_appid() -> str:
    """An AppID no mini program, plugin or official account holds."""
    for _attempt in range(_APPID_ATTEMPTS):
        appid = ids.new_appid()
        if not _taken(appid):
            return appid
    raise PlatformError(OfficialAccountError.APPID_EXHAUSTED)


def _name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name or len(name) > NAME_MAX:
        raise PlatformError(OfficialAccountError.NAME_INVALID, field="name", limit=NAME_MAX)
    return name


def _introduction(value: Any) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > INTRODUCTION_MAX:
        raise PlatformError(
            OfficialAccountError.INTRODUCTION_INVALID, field="introduction", limit=INTRODUCTION_MAX
        )
    return text


def official_account_create(
    *,
    actor: Actor,
    name: str,
    admin: Identity,
    subject_of: MiniProgram | None = None,
    introduction: str = "",
) -> tuple[OfficialAccount, str]:
    """A new official account and its AppSecret, returned in clear this once."""
    name = _name(name)
    introduction = _introduction(introduction)
    secret = ids.new_secret()
    with transaction.atomic():
        appid = new_official_appid()
        if subject_of is not None:
            key, subject_name = principal_key(subject_of.subject), subject_of.subject.name
        else:
            key, subject_name = f"oa:{appid}", name
        oa = OfficialAccount.objects.create(
            appid=appid,
            original_id="gh_" + secrets.token_hex(6),
            name=name,
            introduction=introduction,
            principal_key=key,
            subject_name=subject_name[:100],
            admin_identity=admin,
            secret_digest=ids.digest(secret),
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "official_account.create",
            target=oa,
            after={"appid": appid, "name": name, "admin": admin.wechat_id},
        )
    return oa, secret


def official_account_profile_update(
    *, actor: Actor, official_account: OfficialAccount, name: str, introduction: str
) -> OfficialAccount:
    name = _name(name)
    introduction = _introduction(introduction)
    with transaction.atomic():
        oa = OfficialAccount.objects.select_for_update().get(pk=official_account.pk)
        before = {"name": oa.name, "introduction": oa.introduction}
        oa.name, oa.introduction = name, introduction
        oa.save(update_fields=["name", "introduction"])
        audit.record(
            actor,
            "official_account.profile",
            target=oa,
            before=before,
            after={"name": name, "introduction": introduction},
        )
    return oa


def official_account_menu_update(
    *, actor: Actor, official_account: OfficialAccount, buttons: Any
) -> OfficialAccount:
    """Replace the menu; mini program buttons only for associated (linked) ones."""
    with transaction.atomic():
        oa = OfficialAccount.objects.select_for_update().get(pk=official_account.pk)
        cleaned = menus.clean_menu(buttons, selectors.linked_appids(oa))
        before = oa.menu
        oa.menu = cleaned
        oa.save(update_fields=["menu"])
        audit.record(
            actor,
            "official_account.menu",
            target=oa,
            before={"menu": before},
            after={"menu": cleaned},
        )
    return oa


def menu_limits() -> dict[str, int]:
    return {
        "buttons": policy.value("official_account.menu_buttons"),
        "name_length": policy.value("official_account.menu_name_length"),
    }


def link_limits() -> dict[str, int]:
    """The OA-2 limits an official account's console states."""
    return {
        "hours": policy.value("official_account.request_hours"),
        "same": policy.value("official_account.same_subject_links"),
        "other": policy.value("official_account.other_subject_links"),
        "month": policy.value("official_account.additions_per_month"),
    }
