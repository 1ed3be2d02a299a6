"""Open platform account binding of the server API (wechat-api section 10; OPN-1).

With a mini program's access_token: `POST /cgi-bin/open/create` (creates an open account
of the app's subject and binds the app: `open_appid`), `/cgi-bin/open/bind` and
`/cgi-bin/open/unbind` (`open_appid`), `/cgi-bin/open/get` (`open_appid` of the app) and
`GET /cgi-bin/open/have` (`have_open`). `appid` in the body is optional; given, it must
be the token's app (40013). Errcodes: 40013 unknown appid or open_appid, 89000 already
bound, 89001 not the same subject, 89002 not bound, 89004 limit of apps, 89036 open
account neither created by API nor certified; rules in `links.open_platform.services`.
"""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core.errors import CoreError, PlatformError
from miniport.links.open_platform import selectors, services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import OpenAccount
from miniport.miniprograms.errors import MiniProgramError
from miniport.web.api import Call, WireModel, get, post


class OpenBody(WireModel):
    appid: str = ""
    open_appid: str = ""


class OpenAppidResponse(BaseModel):
    errcode: int
    errmsg: str
    open_appid: str


class OkResponse(BaseModel):
    errcode: int
    errmsg: str


class HaveResponse(BaseModel):
    errcode: int
    errmsg: str
    have_open: bool


def _own_app(call: Call) -> None:
    appid = (call.body.appid or "").strip()
    if appid and appid != call.miniprogram.appid:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")


def _account(call: Call) -> OpenAccount:
    open_appid = (call.body.open_appid or "").strip()
    if not open_appid:
        raise PlatformError(CoreError.INVALID_ARGS, field="open_appid")
    account = selectors.account_by_open_appid(open_appid)
    if account is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="open_appid")
    return account


@post(
    "/cgi-bin/open/create",
    body=OpenBody,
    response=OpenAppidResponse,
    permission="open_platform.manage",
    tags=("open",),
)
def open_create(call: Call) -> dict:
    """Create an open platform account of the app's subject and bind the app to it."""
    _own_app(call)
    account = services.open_create(actor=call.actor, miniprogram=call.miniprogram, via_api=True)
    return {"open_appid": account.open_appid}


@post(
    "/cgi-bin/open/bind",
    body=OpenBody,
    response=OkResponse,
    permission="open_platform.manage",
    tags=("open",),
)
def open_bind(call: Call) -> dict:
    """Bind the app to an open platform account of its subject."""
    _own_app(call)
    services.open_bind(
        actor=call.actor, account=_account(call), miniprogram=call.miniprogram, via_api=True
    )
    return {}


@post(
    "/cgi-bin/open/unbind",
    body=OpenBody,
    response=OkResponse,
    permission="open_platform.manage",
    tags=("open",),
)
def open_unbind(call: Call) -> dict:
    """Unbind the app from its open platform account."""
    _own_app(call)
    services.open_unbind(actor=call.actor, account=_account(call), miniprogram=call.miniprogram)
    return {}


@post(
    "/cgi-bin/open/get",
    body=OpenBody,
    response=OpenAppidResponse,
    permission="open_platform.manage",
    tags=("open",),
)
def open_get(call: Call) -> dict:
    """The open platform account the app is bound to (89002 when none)."""
    _own_app(call)
    binding = selectors.binding_of(call.miniprogram)
    if binding is None:
        raise PlatformError(OpenError.OPEN_NOT_EXISTS)
    return {"open_appid": binding.open_account.open_appid}


@get(
    "/cgi-bin/open/have",
    response=HaveResponse,
    permission="open_platform.manage",
    tags=("open",),
)
def open_have(call: Call) -> dict:
    """Whether the app is bound to an open platform account."""
    return {"have_open": selectors.binding_of(call.miniprogram) is not None}
