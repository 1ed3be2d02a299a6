"""The development assistant of plugins (PLG-7): there is no experience version of a
plugin; its developers run the latest upload.

`GET /runtime/v1/plugins/develop?plugin_appid=...` (host app + identity session, like
`/runtime/v1/launch`) answers the latest upload's package: version, sha256, size and a
signed download URL (`launch_api.package_url`), for the owner mini program's
administrator and its project members with the developer role (`plugin.develop`).

Refusals (HTTP 200, `errcode` and the code's name in `error`):
- the host credential or the identity session: as `/runtime/v1/launch`;
- an AppID that names no plugin: `not_a_plugin`;
- an identity that is not one of the plugin's developers: `not_a_developer`;
- nothing uploaded yet: `no_upload`.
"""

from __future__ import annotations

from django.conf import settings
from pydantic import BaseModel

from miniport.core.errors import PlatformError
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.versions import selectors
from miniport.plugins.versions.errors import PluginVersionError
from miniport.runtime.launch_api import package_url
from miniport.web.api import Call, WireModel, get


class PluginDevQuery(WireModel):
    plugin_appid: str = ""


class PluginDevResponse(BaseModel):
    errcode: int
    errmsg: str
    plugin_appid: str
    version: str
    desc: str
    sha256: str
    size: int
    uploaded_at: int
    download_url: str
    expires_in: int


@get(
    "/runtime/v1/plugins/develop",
    auth="host_session",
    query=PluginDevQuery,
    response=PluginDevResponse,
    tags=("runtime",),
)
def plugin_develop(call: Call) -> dict:
    """The latest uploaded package of a plugin, for its developers only (PLG-7)."""
    query: PluginDevQuery = call.query
    appid = query.plugin_appid.strip()
    plugin = plugin_by_appid(appid)
    if plugin is None:
        raise PlatformError(PluginVersionError.NOT_A_PLUGIN, field="plugin_appid", appid=appid[:40])
    if not selectors.may_develop(call.identity, plugin):
        raise PlatformError(PluginVersionError.NOT_A_DEVELOPER)
    version = selectors.latest_version(plugin)
    if version is None:
        raise PlatformError(PluginVersionError.NO_UPLOAD)
    return {
        "plugin_appid": plugin.appid,
        "version": version.user_version,
        "desc": version.user_desc,
        "sha256": version.package.sha256,
        "size": version.package.size,
        "uploaded_at": int(version.uploaded_at.timestamp()),
        "download_url": package_url(call.request, version.package.sha256),
        "expires_in": settings.PACKAGE_URL_EXPIRE_SECONDS,
    }
