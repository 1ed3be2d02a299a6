"""The template library and commits from it (wechat-api 4.1 commit, 13 addtotemplate,
deletetemplate; VER-1, VER-2).

Miniport has no separate third-party platform: a mini program's template library is
shared by every mini program with the same administrator (`template_selectors`). A
draft is a development version uploaded to one of them (console, CLI, API); a template
keeps the draft's code package.

Refusals (each changes nothing: no row, no file):
- `template_add`: a draft that is not a development version in the caller's library:
  DRAFT_NOT_FOUND (85064); `template.max_per_library` templates already:
  TEMPLATE_LIBRARY_FULL (85065); a template type other than 0 or 1:
  CoreError.INVALID_ARGS.
- `template_delete`: a template not in the caller's library: TEMPLATE_NOT_IN_LIBRARY
  (85064).
- `template_commit`: a template not in the caller's library: TEMPLATE_NOT_FOUND (85014);
  `ext_json` not a string holding one JSON object: EXT_JSON_PARSE (85048); an `extAppid`
  other than the caller's, or a section of the wrong JSON type: EXT_JSON_INVALID (85013);
  for a standard template, keys other than extAppid, ext and window:
  STANDARD_TEMPLATE_EXT_JSON (9402203); `pages` empty: EXT_JSON_PAGES_EMPTY (85047); a
  page of `pages`, `extPages` or `subPackages` that the template does not have:
  EXT_JSON_PATH_MISSING (85045); a tabBar page that is not among the pages:
  EXT_JSON_TABBAR_PAGE (85046); `plugins` declared wrongly: EXT_JSON_INVALID (85013); a
  declared plugin that does not exist (80067), that the caller has not been approved to
  use (80082) or whose declared version is not released (80066), as the submission
  guards of `releases.prechecks` answer them; then every refusal of `version_upload`.

A commit writes `ext.json` at the root of the template's package (with `extEnable` and
the caller's `extAppid`: the runtime merges it over app.json the way WeChat does: same
level override for window, networkTimeout, tabBar and extPages, whole replace for the
rest), uploads that package as a development version of the caller (source
"template") and makes it the experience version. Plugins declared in ext_json replace
app.json's: the version's manifest names them, so submission for review checks them
again as it checks app.json's.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import zipfile
from typing import IO, Any

from django.db import transaction

from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion, Template, TemplateType, VersionSource
from miniport.releases.packages import storage
from miniport.releases.packages.apis import LOCATION_APIS
from miniport.releases.packages.appjson import (
    PluginDeclaration,
    declared_plugins,
    not_json_number,
    shown,
)
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.prechecks import page_of, submission_guards_run
from miniport.releases.template_selectors import draft_of, template_of, templates_of

from .common import label_of, lock
from .experience import experience_set
from .upload import version_upload

EXT_FILE = "ext.json"
STANDARD_KEYS = frozenset({"extAppid", "ext", "window"})
OBJECT_KEYS = ("ext", "extPages", "window", "networkTimeout", "tabBar", "plugins", "sitemap")
LIST_KEYS = (
    "pages",
    "subPackages",
    "functionPages",
    "navigateToMiniProgramAppIdList",
    "requiredPrivateInfos",
)


# The interfaces requiredPrivateInfos may declare (the location ones; wechat-api 4.1,
# 85310), and the pairs that may not be declared together (85311): the precise location
# and the fuzzy one.
PRIVATE_INFO_APIS = frozenset(LOCATION_APIS)
EXCLUSIVE_PRIVATE_INFOS = (("getFuzzyLocation", "getLocation"),)


def _as_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise PlatformError(CoreError.INVALID_ARGS, field=field)
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise PlatformError(CoreError.INVALID_ARGS, field=field) from None


def template_add(
    *, actor: Actor, miniprogram: MiniProgram, draft_id: Any, template_type: Any = 0
) -> Template:
    """Keep a draft (a development version of the caller's library) as a template."""
    number = _as_int(template_type if template_type not in (None, "") else 0, "template_type")
    if number not in TemplateType.values:
        raise PlatformError(CoreError.INVALID_ARGS, field="template_type")
    draft = draft_of(miniprogram, draft_id)
    if draft is None:
        raise PlatformError(ReleaseError.DRAFT_NOT_FOUND, draft_id=str(draft_id)[:40])
    with transaction.atomic():
        lock(miniprogram)
        limit = policy.value("template.max_per_library")
        if templates_of(miniprogram).count() >= limit:
            raise PlatformError(ReleaseError.TEMPLATE_LIBRARY_FULL, limit=limit)
        template = Template.objects.create(
            source_miniprogram=draft.miniprogram,
            source_version=draft,
            package=draft.package,
            user_version=draft.user_version,
            user_desc=draft.user_desc,
            developer_label=draft.developer_label,
            template_type=number,
            created_by=label_of(actor),
            created_at=clock.now(),
        )
        after = {
            "template_id": template.pk,
            "draft_id": draft.pk,
            "source_appid": draft.miniprogram.appid,
            "user_version": template.user_version,
            "template_type": number,
            "sha256": draft.package.sha256,
        }
        audit.record(
            actor, "code.template_add", target=template, appid=miniprogram.appid, after=after
        )
        events.emit(
            "code.template_added", {"appid": miniprogram.appid, **after}, appid=miniprogram.appid
        )
    return template


def template_delete(*, actor: Actor, miniprogram: MiniProgram, template_id: Any) -> None:
    """Take a template out of the caller's library (versions committed from it stay)."""
    with transaction.atomic():
        lock(miniprogram)
        template = template_of(miniprogram, template_id)
        if template is None:
            raise PlatformError(
                ReleaseError.TEMPLATE_NOT_IN_LIBRARY, template_id=str(template_id)[:40]
            )
        before = {
            "template_id": template.pk,
            "user_version": template.user_version,
            "sha256": template.package.sha256,
        }
        audit.record(
            actor, "code.template_delete", target=template, appid=miniprogram.appid, before=before
        )
        template.delete()
        events.emit(
            "code.template_deleted",
            {"appid": miniprogram.appid, **before},
            appid=miniprogram.appid,
        )


# --- commit ----------------------------------------------------------------------------


def parse_ext_json(ext_json: Any, *, appid: str, template: Template) -> dict[str, Any]:
    """ext_json as the object written to ext.json, or the coded refusal."""
    if not isinstance(ext_json, str):
        raise PlatformError(ReleaseError.EXT_JSON_PARSE, field="ext_json")
    text = ext_json.strip()
    if not text:
        data: Any = {}
    else:
        try:
            # NaN and Infinity are not JSON: written into ext.json they would not parse.
            data = json.loads(text, parse_constant=not_json_number)
        except (ValueError, RecursionError):
            raise PlatformError(ReleaseError.EXT_JSON_PARSE, field="ext_json") from None
    if not isinstance(data, dict):
        raise PlatformError(ReleaseError.EXT_JSON_PARSE, field="ext_json")
    given_appid = data.get("extAppid")
    if given_appid not in (None, "", appid):
        raise PlatformError(
            ReleaseError.EXT_JSON_INVALID, field="ext_json", reason="extAppid is not the caller"
        )
    if template.template_type == TemplateType.STANDARD and set(data) - STANDARD_KEYS:
        raise PlatformError(ReleaseError.STANDARD_TEMPLATE_EXT_JSON, field="ext_json")
    for key in OBJECT_KEYS:
        if key in data and not isinstance(data[key], dict):
            raise PlatformError(
                ReleaseError.EXT_JSON_INVALID, field="ext_json", reason=f"{key} is not an object"
            )
    for key in LIST_KEYS:
        if key in data and not isinstance(data[key], list):
            raise PlatformError(
                ReleaseError.EXT_JSON_INVALID, field="ext_json", reason=f"{key} is not a list"
            )
    _check_private_infos(data.get("requiredPrivateInfos") or [])
    _check_pages(data, PackageManifest.coerce(template.package.manifest))
    return {**data, "extEnable": True, "extAppid": appid}


def _check_private_infos(declared: list[Any]) -> None:
    for name in declared:
        if not isinstance(name, str) or name not in PRIVATE_INFO_APIS:
            raise PlatformError(
                ReleaseError.PRIVATE_INFO_UNKNOWN, field="ext_json", api=shown(name)
            )
    for first, second in EXCLUSIVE_PRIVATE_INFOS:
        if first in declared and second in declared:
            raise PlatformError(
                ReleaseError.PRIVATE_INFO_EXCLUSIVE, field="ext_json", first=first, second=second
            )


def _check_pages(data: dict[str, Any], manifest: PackageManifest) -> None:
    known = set(manifest.all_pages)

    def require(page: Any) -> str:
        name = page_of(page) if isinstance(page, str) else ""
        if name not in known:
            raise PlatformError(
                ReleaseError.EXT_JSON_PATH_MISSING, field="ext_json", page=shown(page, 100)
            )
        return name

    if "pages" in data and not data["pages"]:
        raise PlatformError(ReleaseError.EXT_JSON_PAGES_EMPTY, field="ext_json")
    pages = [require(page) for page in data.get("pages") or []] or list(manifest.pages)
    for page in data.get("extPages") or {}:
        require(page)
    for sub in data.get("subPackages") or []:
        if (
            not isinstance(sub, dict)
            or not isinstance(sub.get("pages", []), list)
            or not isinstance(sub.get("root") or "", str)
        ):
            raise PlatformError(
                ReleaseError.EXT_JSON_INVALID, field="ext_json", reason="subPackages"
            )
        root = (sub.get("root") or "").strip("/")
        for page in sub.get("pages", []):
            pages.append(require(f"{root}/{page}" if root and isinstance(page, str) else page))
    tab_list = (data.get("tabBar") or {}).get("list") or []
    if not isinstance(tab_list, list):
        raise PlatformError(ReleaseError.EXT_JSON_INVALID, field="ext_json", reason="tabBar")
    for entry in tab_list:
        page = page_of(entry.get("pagePath")) if isinstance(entry, dict) else ""
        if page not in pages:
            raise PlatformError(
                ReleaseError.EXT_JSON_TABBAR_PAGE, field="ext_json", page=page or "-"
            )


def _package_with_ext(template: Template, ext: dict[str, Any]) -> IO[bytes]:
    """The template's archive with ext.json at its root (replacing the template's own)."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with (
        storage.open_package(template.package.storage_name) as stored,
        zipfile.ZipFile(stored) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == EXT_FILE:
                continue
            with source.open(info) as member, target.open(info, "w") as copy:
                while chunk := member.read(1024 * 1024):
                    copy.write(chunk)
        text = json.dumps(ext, ensure_ascii=False, indent=2, sort_keys=True)
        # Stored, not deflated: a caller's long repetitive value would otherwise trip
        # the package's own compression-ratio refusal (a zip bomb's mark) on an archive
        # the platform built itself; the package's size limits still apply.
        target.writestr(EXT_FILE, text.encode(), compress_type=zipfile.ZIP_STORED)
    out.seek(0)
    return out  # type: ignore[return-value]


def template_commit(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    template_id: Any,
    ext_json: Any,
    user_version: str,
    user_desc: str,
) -> DevVersion:
    """Upload a template with the caller's ext.json as a development version of the
    caller and make it the experience version (commit)."""
    template = template_of(miniprogram, template_id)
    if template is None:
        raise PlatformError(ReleaseError.TEMPLATE_NOT_FOUND, template_id=str(template_id)[:40])
    ext = parse_ext_json(ext_json, appid=miniprogram.appid, template=template)
    plugins = _ext_plugins(ext)
    if plugins is not None:
        template_manifest = PackageManifest.coerce(template.package.manifest)
        submission_guards_run(
            miniprogram=miniprogram,
            manifest=dataclasses.replace(template_manifest, plugins=plugins),
        )
    archive = _package_with_ext(template, ext)
    try:
        with transaction.atomic():
            version = version_upload(
                actor=actor,
                miniprogram=miniprogram,
                archive=archive,
                user_version=user_version,
                user_desc=user_desc,
                source=VersionSource.TEMPLATE,
                template_id=template.pk,
            )
            if plugins is not None:
                _declare_plugins(version, plugins)
            experience_set(actor=actor, miniprogram=miniprogram, dev_version=version)
    finally:
        archive.close()
    return version


def _ext_plugins(ext: dict[str, Any]) -> tuple[PluginDeclaration, ...] | None:
    """The plugins ext_json declares (they replace app.json's), None when it has no
    `plugins`; declared wrongly, EXT_JSON_INVALID."""
    if "plugins" not in ext:
        return None
    try:
        return declared_plugins(ext["plugins"], EXT_FILE, None)
    except PlatformError as refused:
        reason = refused.wire_message()
        raise PlatformError(
            ReleaseError.EXT_JSON_INVALID, field="ext_json", reason=reason
        ) from None


def _declare_plugins(version: DevVersion, plugins: tuple[PluginDeclaration, ...]) -> None:
    """The version's manifest names the plugins of its ext.json instead of app.json's.
    The package is stored once per bytes, and these bytes hold that ext.json: the same
    manifest whichever upload stored them."""
    package = version.package
    manifest = PackageManifest.coerce(package.manifest)
    package.manifest = dataclasses.replace(manifest, plugins=plugins).as_dict()
    package.save(update_fields=["manifest"])
