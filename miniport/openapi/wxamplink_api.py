"""An official account's mini program associations through the server API (OA-3;
wechat-api 12): `/cgi-bin/wxopen/wxamplink`, `wxamplinkget`, `wxampunlink`, called with
the official account's own access token (its AppID and AppSecret at /cgi-bin/token).

wxamplink asks the mini program's administrator to confirm (status 2 until they scan,
then 1; 3 once they refuse); the official account's own confirmation (status 12) is not
asked again, the API call is the account's request. wxampunlink ends an association or
withdraws a waiting request at once, so 89018 ("unlink message has sent") never
answers; 89011 and 89012 (nearby or store mini programs) do not apply here.

Errcodes: 40097 `notify_users` or `show_profile` other than 1 or 0 (a number or its
string, wechat-api 12.2), naming the field; 40013 an AppID naming no mini program, or (unlink) one not associated
(MiniProgramError.INVALID_APPID);
89007 the month's additions used up (the official account's or the mini program's);
89009 the mini program's official accounts at their limit; 89010 a request already
waiting; 89015 already linked; 89016 / 89017 the same-subject / other-subject places
taken (`miniport.links.official_accounts.links`). An access token of a mini program is
48001 here, the wrong kind of token (wechat-api 1.4).
"""

from __future__ import annotations

from django.conf import settings
from pydantic import BaseModel

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import credentials, links, selectors
from miniport.links.official_accounts.errors import OfficialAccountError
from miniport.links.official_accounts.models import OfficialAccountLink
from miniport.miniprograms.services import material
from miniport.web.api import AUTHENTICATORS, Call, WireModel, post

AUTH = "official_account_token"


def _authenticate(call: Call) -> None:
    """`?access_token=` of an official account, set as `call.official_account`."""
    token = call.request.GET.get("access_token", "")
    call.official_account = credentials.official_account_for_token(token)  # type: ignore[attr-defined]


AUTHENTICATORS[AUTH] = _authenticate


def _actor(call: Call) -> Actor:
    oa = call.official_account  # type: ignore[attr-defined]
    return Actor.for_app(oa.appid)


def _flag(value: str, field: str) -> bool:
    """1 or 0, sent as a number or as its string (the docs' example sends "1")."""
    text = value.strip()
    if text not in ("0", "1"):
        raise PlatformError(OfficialAccountError.LINK_FLAG_INVALID, field=field)
    return text == "1"


class LinkBody(WireModel):
    appid: str = ""
    notify_users: str = "0"
    show_profile: str = "0"


class UnlinkBody(WireModel):
    appid: str = ""


class EmptyBody(WireModel):
    pass


class FuncInfo(BaseModel):
    id: int
    status: int
    name: str


class LinkItem(BaseModel):
    status: int
    appid: str
    username: str
    source: str
    nickname: str
    selected: int
    nearby_display_status: int
    released: int
    headimg_url: str
    email: str
    func_infos: list[FuncInfo]


class LinkItems(BaseModel):
    items: list[LinkItem]


class LinkListResponse(BaseModel):
    errcode: int
    errmsg: str
    wxopens: LinkItems


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _item(link: OfficialAccountLink) -> dict:
    mp = link.miniprogram
    certified = bool(mp.is_certified)
    return {
        "status": int(link.effective),  # type: ignore[attr-defined]
        "appid": mp.appid,
        # The mini program's original id: gh_ and the AppID's hex digits.
        "username": "gh_" + mp.appid[2:14],
        "source": "SOURCE_NORMAL",
        "nickname": mp.name or "",
        "selected": int(link.show_profile),
        "nearby_display_status": 0,
        "released": int(mp.first_released_at is not None),
        "headimg_url": _absolute(material.avatar_url(mp)) if mp.avatar.name else "",
        "email": mp.account.email,
        "func_infos": [
            {"id": 7, "status": int(certified), "name": "认证"},
        ],
    }


@post("/cgi-bin/wxopen/wxamplink", auth=AUTH, body=LinkBody, tags=("official_account",))
def wxamplink(call: Call) -> dict:
    """Ask to associate a mini program with the official account (OA-3)."""
    body: LinkBody = call.body
    notify_users = _flag(body.notify_users, "notify_users")
    show_profile = _flag(body.show_profile, "show_profile")
    links.link_request(
        actor=_actor(call),
        official_account=call.official_account,  # type: ignore[attr-defined]
        appid=body.appid,
        notify_users=notify_users,
        show_profile=show_profile,
    )
    return {}


@post(
    "/cgi-bin/wxopen/wxamplinkget",
    auth=AUTH,
    response=LinkListResponse,
    tags=("official_account",),
)
def wxamplinkget(call: Call) -> dict:
    """The official account's associations and requests (an empty body is accepted)."""
    rows = selectors.links_of_official_account(call.official_account)  # type: ignore[attr-defined]
    return {"wxopens": {"items": [_item(link) for link in rows]}}


@post("/cgi-bin/wxopen/wxampunlink", auth=AUTH, body=UnlinkBody, tags=("official_account",))
def wxampunlink(call: Call) -> dict:
    """End an association, or withdraw a waiting request."""
    body: UnlinkBody = call.body
    links.unlink_by_appid(
        actor=_actor(call),
        official_account=call.official_account,  # type: ignore[attr-defined]
        appid=body.appid,
    )
    return {}
