"""Named writes of plugin development (PLG-1..PLG-5), and the service-category choices.

- `plugin_enable` (PLG-1, PLG-3): refused for a personal subject (PERSONAL_SUBJECT) and
  for a mini program that already has a plugin (ALREADY_ENABLED); the plugin gets its own
  AppID (`ids.new_appid`, drawn again while a mini program or a plugin holds it), an
  audit row and a "plugin.enabled" event.
- Names (PLG-3): plugin.name_min_length..plugin.name_max_length characters, unique among
  plugins (NAME_TAKEN) and never another mini program's name (NAME_IS_MINIPROGRAM).
- The service category (PLG-2): one of `plugin_categories_available` (see `catalog`),
  else CATEGORY_NOT_OPEN; NO_CATEGORY when the owner has none to offer at enabling.
- `plugin_basic_update` (PLG-5): name, avatar (the mini program avatar's checks and
  re-encoding), introduction, add method, customer service contact, category.
- `plugin_devinfo_update` (PLG-4): https server domains (the mini program's domain
  validation) and the Token (letters and digits, plugin.token_min_length..max).
- `plugin_is_complete` (PLG-5): the basic information still missing.

After every refusal nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.models import MiniProgram, MiniProgramCategory
from miniport.miniprograms.models.base import name_key
from miniport.miniprograms.models.profile import CategoryStatus
from miniport.miniprograms.services import devsettings, naming
from miniport.plugins.development import catalog
from miniport.plugins.development.completeness import COMPLETENESS_FIELDS, plugin_is_complete
from miniport.plugins.development.errors import PluginDevError
from miniport.plugins.models import AddMethod, Plugin

__all__ = [
    "COMPLETENESS_FIELDS",
    "CategoryChoice",
    "plugin_basic_update",
    "plugin_categories_available",
    "plugin_devinfo_update",
    "plugin_enable",
    "plugin_is_complete",
]

_LETTERS_DIGITS = re.compile(r"^[A-Za-z0-9]+\Z")


# --- service categories (PLG-2) ---------------------------------------------------------


@dataclass(frozen=True)
class CategoryChoice:
    """One of the owner's approved categories that the plugin catalog opens."""

    first_id: int
    second_id: int
    first_name: str
    second_name: str

    @property
    def key(self) -> str:
        return f"{self.first_id}:{self.second_id}"

    @property
    def label(self) -> str:
        return f"{self.first_name} > {self.second_name}"

    @property
    def display_label(self) -> str:
        return catalog.category_label(self.first_name, self.second_name)


def _owner_of(plugin_or_miniprogram: Plugin | MiniProgram) -> MiniProgram:
    if isinstance(plugin_or_miniprogram, Plugin):
        return plugin_or_miniprogram.owner
    return plugin_or_miniprogram


def plugin_categories_available(
    plugin_or_miniprogram: Plugin | MiniProgram,
) -> list[CategoryChoice]:
    """PLG-2: the owner's approved categories that the plugin catalog opens, its special
    conditions judged by the owner's main category (the earliest approved one, see
    `catalog`), in the order the owner added them."""
    owner = _owner_of(plugin_or_miniprogram)
    approved = list(
        MiniProgramCategory.objects.filter(
            miniprogram=owner, status=CategoryStatus.APPROVED
        ).order_by("id")
    )
    if not approved:
        return []
    kinds = catalog.kinds_of(approved[0].first_name)
    choices = []
    for row in approved:
        seed = catalog.row_for(row.first_name, row.second_name)
        if seed is not None and catalog.condition_met(seed, kinds):
            choices.append(
                CategoryChoice(row.first_id, row.second_id, row.first_name, row.second_name)
            )
    return choices


def _checked_category(owner: MiniProgram, first_id: Any, second_id: Any) -> CategoryChoice:
    choices = plugin_categories_available(owner)
    for choice in choices:
        if str(choice.first_id) == str(first_id) and str(choice.second_id) == str(second_id):
            return choice
    if first_id in (None, "") or second_id in (None, ""):
        if not choices:
            raise PlatformError(PluginDevError.NO_CATEGORY, field="category")
        raise PlatformError(CoreError.FIELD_REQUIRED, field="category")
    raise PlatformError(
        PluginDevError.CATEGORY_NOT_OPEN, field="category", category=f"{first_id}:{second_id}"
    )


# --- basic information (PLG-3, PLG-5) ---------------------------------------------------


def _checked_name(name: str, owner: MiniProgram, plugin: Plugin | None) -> str:
    text = " ".join((name or "").split())
    low, high = policy.value("plugin.name_min_length"), policy.value("plugin.name_max_length")
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="name")
    # As a mini program's name (INF-2): no character that prints nothing, and compared
    # case-insensitively, a mini program's by its name key (NFKC, case folded).
    naming.refuse_invisible(text, error=PluginDevError.NAME_INVALID, field="name")
    if not low <= len(text) <= high:
        raise PlatformError(PluginDevError.NAME_LENGTH, field="name", min=low, max=high)
    others = Plugin.objects.filter(name__iexact=text)
    if plugin is not None:
        others = others.exclude(pk=plugin.pk)
    if others.exists():
        raise PlatformError(PluginDevError.NAME_TAKEN, field="name", name=text)
    if MiniProgram.objects.filter(name_key=name_key(text)).exclude(pk=owner.pk).exists():
        raise PlatformError(PluginDevError.NAME_IS_MINIPROGRAM, field="name", name=text)
    return text


def _checked_introduction(text: str) -> str:
    text = (text or "").strip()
    low = policy.value("plugin.introduction_min_length")
    high = policy.value("plugin.introduction_max_length")
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="introduction")
    if not low <= len(text) <= high:
        raise PlatformError(
            PluginDevError.INTRODUCTION_LENGTH, field="introduction", min=low, max=high
        )
    return text


def _checked_contact(text: str) -> str:
    text = (text or "").strip()
    high = policy.value("plugin.service_contact_max_length")
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="service_contact")
    if len(text) > high:
        raise PlatformError(PluginDevError.CONTACT_TOO_LONG, field="service_contact", max=high)
    return text


def _checked_add_method(value: str) -> str:
    if value not in AddMethod.values:
        raise PlatformError(PluginDevError.ADD_METHOD_INVALID, field="add_method")
    return value


def _new_plugin_appid() -> str:
    for _attempt in range(policy.value("plugin.appid_attempts")):
        appid = ids.new_appid()
        if (
            not MiniProgram.objects.filter(appid=appid).exists()
            and not Plugin.objects.filter(appid=appid).exists()
        ):
            return appid
    raise PlatformError(PluginDevError.APPID_EXHAUSTED)


def _snapshot(plugin: Plugin) -> dict[str, Any]:
    return {
        "name": plugin.name,
        "avatar": plugin.avatar.name if plugin.avatar else "",
        "introduction": plugin.introduction,
        "add_method": plugin.add_method,
        "service_contact": plugin.service_contact,
        "category": [plugin.category_first_name, plugin.category_second_name],
    }


def plugin_enable(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    name: str,
    introduction: str,
    service_contact: str,
    add_method: str = AddMethod.SEARCH,
    category_first_id: Any = None,
    category_second_id: Any = None,
) -> Plugin:
    """PLG-1, PLG-3: enable the plugin of a non-personal mini program with its basic
    information; it gets its own AppID."""
    if miniprogram.subject.subject_type == "personal":
        raise PlatformError(PluginDevError.PERSONAL_SUBJECT)
    with transaction.atomic():
        owner = MiniProgram.objects.select_for_update().get(pk=miniprogram.pk)
        if Plugin.objects.filter(owner=owner).exists():
            raise PlatformError(PluginDevError.ALREADY_ENABLED)
        clean_name = _checked_name(name, owner, None)
        clean_intro = _checked_introduction(introduction)
        clean_contact = _checked_contact(service_contact)
        clean_method = _checked_add_method(add_method)
        category = _checked_category(owner, category_first_id, category_second_id)
        now = clock.now()
        try:
            with transaction.atomic():
                plugin = Plugin.objects.create(
                    appid=_new_plugin_appid(),
                    owner=owner,
                    name=clean_name,
                    introduction=clean_intro,
                    service_contact=clean_contact,
                    add_method=clean_method,
                    category_first_id=category.first_id,
                    category_second_id=category.second_id,
                    category_first_name=category.first_name,
                    category_second_name=category.second_name,
                    enabled_by=actor.label,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            if Plugin.objects.filter(owner=owner).exists():
                raise PlatformError(PluginDevError.ALREADY_ENABLED) from None
            raise PlatformError(PluginDevError.NAME_TAKEN, field="name", name=clean_name) from None
        audit.record(
            actor,
            "plugin.enable",
            target=plugin,
            appid=owner.appid,
            after={"plugin_appid": plugin.appid, **_snapshot(plugin)},
        )
        events.emit(
            "plugin.enabled",
            {"plugin_appid": plugin.appid, "owner_appid": owner.appid, "name": plugin.name},
            appid=owner.appid,
        )
    return plugin


def _prepared_avatar(upload) -> tuple[bytes, str] | None:
    if upload is None:
        return None
    from miniport.miniprograms.services.avatar import avatar_prepare

    return avatar_prepare(upload)


def plugin_basic_update(
    *,
    actor: Actor,
    plugin: Plugin,
    name: str,
    introduction: str,
    service_contact: str,
    add_method: str,
    category_first_id: Any,
    category_second_id: Any,
    avatar=None,
) -> Plugin:
    """PLG-3, PLG-5: change the plugin's basic information; a new avatar is checked and
    re-encoded like the mini program's (PNG or JPEG by content, no metadata kept)."""
    prepared = _prepared_avatar(avatar)  # before any lock: it reads and decodes the upload
    stored_name = ""
    with transaction.atomic():
        locked = Plugin.objects.select_for_update().select_related("owner").get(pk=plugin.pk)
        before = _snapshot(locked)
        locked.name = _checked_name(name, locked.owner, locked)
        locked.introduction = _checked_introduction(introduction)
        locked.service_contact = _checked_contact(service_contact)
        locked.add_method = _checked_add_method(add_method)
        category = _checked_category(locked.owner, category_first_id, category_second_id)
        locked.category_first_id, locked.category_second_id = category.first_id, category.second_id
        locked.category_first_name = category.first_name
        locked.category_second_name = category.second_name
        if prepared is not None:
            data, extension = prepared
            stored_name = default_storage.save(
                f"plugin-avatars/{locked.appid}-{ids.new_secret()[:12]}.{extension}",
                ContentFile(data),
            )
            locked.avatar.name = stored_name
        locked.updated_at = clock.now()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            if stored_name:
                default_storage.delete(stored_name)
            raise PlatformError(PluginDevError.NAME_TAKEN, field="name", name=locked.name) from None
        audit.record(
            actor,
            "plugin.basic_update",
            target=locked,
            appid=locked.owner.appid,
            before=before,
            after=_snapshot(locked),
        )
    return locked


# --- development information (PLG-4) ---------------------------------------------------


def _checked_domains(entries: list[str]) -> list[str]:
    clean: list[str] = []
    for raw in entries:
        if not (raw or "").strip():
            continue
        domain = devsettings.normalize_domain(raw, "https")
        if domain is None:
            raise PlatformError(
                PluginDevError.DOMAIN_INVALID, field="server_domains", domain=raw.strip()
            )
        if domain not in clean:
            clean.append(domain)
    high = policy.value("plugin.server_domains_max")
    if len(clean) > high:
        raise PlatformError(PluginDevError.TOO_MANY_DOMAINS, field="server_domains", max=high)
    return clean


def _checked_token(token: str) -> str:
    text = (token or "").strip()
    if not text:
        return ""
    low, high = policy.value("plugin.token_min_length"), policy.value("plugin.token_max_length")
    if not (low <= len(text) <= high) or not _LETTERS_DIGITS.match(text):
        raise PlatformError(PluginDevError.TOKEN_INVALID, field="token", min=low, max=high)
    return text


def plugin_devinfo_update(
    *, actor: Actor, plugin: Plugin, server_domains: list[str], token: str
) -> Plugin:
    """PLG-4: the plugin's server domains (https:// host names, the mini program's rules)
    and its Token (letters and digits; blank: none)."""
    domains = _checked_domains(server_domains)
    clean_token = _checked_token(token)
    with transaction.atomic():
        locked = Plugin.objects.select_for_update().select_related("owner").get(pk=plugin.pk)
        before = {"server_domains": list(locked.server_domains), "token_set": bool(locked.token)}
        locked.server_domains = domains
        locked.token = clean_token
        locked.updated_at = clock.now()
        locked.save(update_fields=["server_domains", "token", "updated_at"])
        audit.record(
            actor,
            "plugin.devinfo_update",
            target=locked,
            appid=locked.owner.appid,
            before=before,
            after={"server_domains": domains, "token_set": bool(clean_token)},
        )
    return locked
