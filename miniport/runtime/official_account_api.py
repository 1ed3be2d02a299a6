"""An official account's menu for the host app (OA-1, OA-3).

`GET /runtime/v1/official-accounts/menu?appid=<official account AppID>` (host_session)
answers the account's name and menu. A mini program button names the mini program,
its page path and the launch to ask (`/runtime/v1/launch` with `via=official_account`
and `via_id` the official account's AppID), which the official account's launch
context allows only while the association is linked; a button whose association has
ended is served as its fallback web page. An AppID naming no official account: 40013.
A launch from the menu of a mini program not linked: 40097 `not_linked`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel

from miniport.core.errors import PlatformError
from miniport.links.official_accounts import menu, selectors
from miniport.links.official_accounts.launch import VIA
from miniport.miniprograms.errors import MiniProgramError
from miniport.web.api import Call, WireModel, get


class MenuQuery(WireModel):
    appid: str = ""


class MenuButton(BaseModel):
    type: str
    name: str
    url: str
    appid: str = ""
    pagepath: str = ""
    launch: str = ""


class MenuResponse(BaseModel):
    errcode: int
    errmsg: str
    appid: str
    name: str
    buttons: list[MenuButton]


def _launch(oa_appid: str, appid: str) -> str:
    query = urlencode({"appid": appid, "env": "release", "via": VIA, "via_id": oa_appid})
    return f"/runtime/v1/launch?{query}"


@get(
    "/runtime/v1/official-accounts/menu",
    auth="host_session",
    query=MenuQuery,
    response=MenuResponse,
    tags=("runtime",),
)
def official_account_menu(call: Call) -> dict:
    """The menu of an official account, as its followers see it."""
    oa = selectors.official_account_by_appid(call.query.appid)
    if oa is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    buttons = menu.served_menu(oa.menu or [], selectors.linked_appids(oa))
    for button in buttons:
        if button["type"] == "miniprogram":
            button["launch"] = _launch(oa.appid, button["appid"])
    return {"appid": oa.appid, "name": oa.name, "buttons": buttons}
