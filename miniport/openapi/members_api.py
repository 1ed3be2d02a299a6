"""Member (tester) management of the server API (wechat-api section 5; MEM-2, MEM-3).

Bindings through the API are immediate (the app's access token is the authority, no
scan) and share the console's places, limits and checks."""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors
from miniport.miniprograms.services import members
from miniport.web.api import Call, WireModel, post


class BindTesterBody(WireModel):
    wechatid: str = ""


class BindTesterResponse(BaseModel):
    errcode: int
    errmsg: str
    userstr: str


class UnbindTesterBody(WireModel):
    wechatid: str = ""
    userstr: str = ""


class MemberAuthBody(WireModel):
    action: str = ""


class Experiencer(BaseModel):
    userstr: str


class MemberAuthResponse(BaseModel):
    errcode: int
    errmsg: str
    members: list[Experiencer]


@post(
    "/wxa/bind_tester",
    body=BindTesterBody,
    response=BindTesterResponse,
    permission="experience.manage",
    tags=("members",),
)
def bind_tester(call: Call) -> dict:
    """Bind a WeChat ID as an experience member (tester); 85001 unknown or not
    searchable, 85002 list full, 85003 tester of too many mini programs, 85004 bound."""
    member = members.tester_bind(
        actor=call.actor, miniprogram=call.miniprogram, wechat_id=call.body.wechatid
    )
    return {"userstr": member.userstr}


@post(
    "/wxa/unbind_tester",
    body=UnbindTesterBody,
    permission="experience.manage",
    tags=("members",),
)
def unbind_tester(call: Call) -> dict:
    """Unbind an experience member by `userstr` (89034 when unknown) or `wechatid`."""
    members.tester_unbind(
        actor=call.actor,
        miniprogram=call.miniprogram,
        wechat_id=call.body.wechatid,
        userstr=call.body.userstr,
    )
    return {}


@post(
    "/wxa/memberauth",
    body=MemberAuthBody,
    response=MemberAuthResponse,
    permission="experience.view",
    tags=("members",),
)
def memberauth(call: Call) -> dict:
    """`{"action": "get_experiencer"}`: the userstr of every experience member."""
    if call.body.action != "get_experiencer":
        raise PlatformError(CoreError.INVALID_ARGS, field="action")
    userstrs = selectors.testers(call.miniprogram).values_list("userstr", flat=True)
    return {"members": [{"userstr": userstr} for userstr in userstrs]}
