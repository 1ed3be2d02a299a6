"""Plugins of the server API (wechat-api section 9; PLG-9, PLG-11, B-9).

`POST /wxa/plugin` is the using mini program's (its access token): `action` apply
(`plugin_appid`, `reason`), list (`plugin_list`), unbind (`plugin_appid`) and update
(`plugin_appid`, `user_version`: quick update is not offered, 89257 once the plugin
and version are known). `POST /wxa/devplugin` is the plugin owner's (the owner mini
program's access token): `dev_apply_list` (`page` from 1, `num` up to
`plugin.apply_list_max_num`), `dev_agree` (`appid`), `dev_refuse` (`reason`, `appid`:
without it, the only application still applying; with several, 40097 naming `appid`)
and `dev_delete` (`appid`, or without it every refused and timed-out application).

Status numbers: 1 applying, 2 approved, 3 refused, 4 timed out (computed when read).
Errcodes of the shared table (89236..89243, 89257); a missing or malformed field is
40097 naming it, an unknown action 40097 naming `action`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from pydantic import BaseModel

from miniport.core import policy
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.services import material
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.models import Plugin, PluginApplicationStatus
from miniport.plugins.usage import selectors, services
from miniport.plugins.usage.errors import UsageError
from miniport.web.api import Call, WireModel, post


class PluginBody(WireModel):
    action: str = ""
    plugin_appid: str = ""
    reason: str = ""
    user_version: str = ""


class PluginItem(BaseModel):
    appid: str
    status: int
    nickname: str
    headimgurl: str


class PluginListResponse(BaseModel):
    errcode: int
    errmsg: str
    plugin_list: list[PluginItem] | None = None


class DevPluginBody(WireModel):
    action: str = ""
    appid: str = ""
    reason: str = ""
    page: str = "1"
    num: str = ""


class Category(BaseModel):
    first: str
    second: str


class ApplyItem(BaseModel):
    appid: str
    status: int
    nickname: str
    headimgurl: str
    reason: str
    apply_url: str
    create_time: int
    categories: list[Category]


class DevPluginResponse(BaseModel):
    errcode: int
    errmsg: str
    apply_list: list[ApplyItem] | None = None


def _absolute(url: str) -> str:
    if not url:
        return ""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _plugin_avatar(plugin: Plugin) -> str:
    return _absolute(default_storage.url(plugin.avatar.name)) if plugin.avatar.name else ""


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise PlatformError(CoreError.INVALID_ARGS, field=field)
    return value


def _plugin(appid: str) -> Plugin:
    plugin = plugin_by_appid(_required(appid, "plugin_appid"))
    if plugin is None:
        raise PlatformError(UsageError.PLUGIN_NOT_FOUND, field="plugin_appid")
    return plugin


@post(
    "/wxa/plugin",
    body=PluginBody,
    response=PluginListResponse,
    permission="plugins.manage",
    tags=("plugins",),
)
def plugin(call: Call) -> dict:
    """The using mini program's plugins: apply, list, unbind, update (section 9.1)."""
    body: PluginBody = call.body
    action = body.action.strip()
    mp = call.miniprogram
    if action == "apply":
        services.plugin_apply(
            actor=call.actor, miniprogram=mp, plugin=_plugin(body.plugin_appid), reason=body.reason
        )
        return {}
    if action == "list":
        return {
            "plugin_list": [
                {
                    "appid": row.plugin.appid,
                    "status": selectors.WIRE_STATUS[selectors.effective_of(row)],
                    "nickname": row.plugin.name,
                    "headimgurl": _plugin_avatar(row.plugin),
                }
                for row in selectors.used_plugins(mp)
            ]
        }
    if action == "unbind":
        services.plugin_unbind(actor=call.actor, miniprogram=mp, plugin=_plugin(body.plugin_appid))
        return {}
    if action == "update":
        found = _plugin(body.plugin_appid)
        _required(body.user_version, "user_version")
        if not selectors.approved(found, mp):
            raise PlatformError(UsageError.NOT_ADDED, field="plugin_appid")
        raise PlatformError(UsageError.QUICK_UPDATE_UNSUPPORTED, field="user_version")
    raise PlatformError(CoreError.INVALID_ARGS, field="action")


def _number(value: str, field: str, *, default: int, maximum: int) -> int:
    text = (value or "").strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise PlatformError(CoreError.INVALID_ARGS, field=field) from None
    if number < 1 or number > maximum:
        raise PlatformError(CoreError.INVALID_ARGS, field=field)
    return number


def _owned_plugin(call: Call) -> Plugin:
    found = Plugin.objects.select_related("owner").filter(owner=call.miniprogram).first()
    if found is None:
        raise PlatformError(UsageError.PLUGIN_NOT_FOUND)
    return found


def _refuse_target(plugin: Plugin, appid: str) -> str:
    if appid.strip():
        return appid.strip()
    applying = [
        row
        for row in selectors.plugin_users(plugin)
        if selectors.effective_of(row) == PluginApplicationStatus.APPLYING
    ]
    if len(applying) != 1:
        raise PlatformError(CoreError.INVALID_ARGS, field="appid")
    return applying[0].miniprogram.appid


@post(
    "/wxa/devplugin",
    body=DevPluginBody,
    response=DevPluginResponse,
    permission="plugin.applications",
    tags=("plugins",),
)
def devplugin(call: Call) -> dict:
    """The plugin owner's applications: list, agree, refuse, delete (section 9.2)."""
    body: DevPluginBody = call.body
    action = body.action.strip()
    if action not in ("dev_apply_list", "dev_agree", "dev_refuse", "dev_delete"):
        raise PlatformError(CoreError.INVALID_ARGS, field="action")
    owned = _owned_plugin(call)
    if action == "dev_apply_list":
        maximum = policy.value("plugin.apply_list_max_num")
        page = _number(body.page, "page", default=1, maximum=10**6)
        num = _number(body.num, "num", default=min(10, maximum), maximum=maximum)
        start = (page - 1) * num
        rows = list(selectors.plugin_users(owned)[start : start + num])
        return {
            "apply_list": [
                {
                    "appid": row.miniprogram.appid,
                    "status": selectors.WIRE_STATUS[selectors.effective_of(row)],
                    "nickname": row.miniprogram.name,
                    "headimgurl": _absolute(material.avatar_url(row.miniprogram)),
                    "reason": row.reason,
                    "apply_url": "",
                    "create_time": int(row.created_at.timestamp()),
                    "categories": selectors.applicant_categories(row.miniprogram),
                }
                for row in rows
            ]
        }
    if action == "dev_agree":
        services.plugin_application_agree(
            actor=call.actor, plugin=owned, appid=_required(body.appid, "appid")
        )
    elif action == "dev_refuse":
        services.plugin_application_refuse(
            actor=call.actor,
            plugin=owned,
            appid=_refuse_target(owned, body.appid),
            reason=body.reason,
        )
    else:
        services.plugin_application_delete(actor=call.actor, plugin=owned, appid=body.appid)
    return {}
