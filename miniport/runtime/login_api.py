"""The host app's sign-in and wx.login (B-3), and a bare liveness answer."""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel

from miniport.core.errors import CoreError, PlatformError
from miniport.core.origin import client_ip
from miniport.identities import services as identity_services
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import credentials
from miniport.plugins.functional import services as functional
from miniport.runtime import auth
from miniport.web.api import Call, WireModel, get, post


class SessionBody(WireModel):
    wechat_id: str = ""
    password: str = ""


class SessionResponse(BaseModel):
    errcode: int
    errmsg: str
    session: str
    expires_in: int
    wechat_id: str


class LoginBody(WireModel):
    appid: str = ""
    # Set by the host when a plugin's code asks: refused (FP-2), see `login`.
    plugin_appid: str = ""


class LoginResponse(BaseModel):
    errcode: int
    errmsg: str
    code: str
    expires_in: int


class PingResponse(BaseModel):
    ok: bool


@get(
    "/runtime/v1/ping",
    auth="none",
    response=PingResponse,
    envelope=False,
    tags=("runtime",),
    hot=True,
)
def ping(call: Call) -> dict:
    """Liveness: answers without touching the database."""
    return {"ok": True}


@post(
    "/runtime/v1/session",
    auth="host",
    body=SessionBody,
    response=SessionResponse,
    tags=("runtime",),
)
def session(call: Call) -> dict:
    """Sign an identity in for the host app; the session goes in X-Identity-Session.
    Throttled like the phone pages (`identity_check_password`): while a limit holds the
    answer is errcode 40097 with error "identity_login_throttled" and the wait in errmsg."""
    body: SessionBody = call.body
    identity = identity_services.identity_check_password(
        wechat_id=body.wechat_id, password=body.password, ip=_user_address(call)
    )
    return {
        "session": auth.session_issue(identity, call.host_app),
        "expires_in": auth.session_ttl(),
        "wechat_id": identity.wechat_id,
    }


# The user's device address, named by a host app that signs users in from its own servers.
DEVICE_ADDRESS_HEADER = "X-Identity-Address"


def _user_address(call: Call) -> str:
    """The address the sign-in throttle counts. A host app that relays sign-ins from its
    servers would otherwise put every user behind one address, and 20 failures would lock
    out everyone; it is authenticated by its secret, so it may name the device's address in
    X-Identity-Address. Without the header, the caller's own address counts."""
    named = call.request.headers.get(DEVICE_ADDRESS_HEADER, "").strip()
    if not named:
        return client_ip(call.request)
    try:
        address = ipaddress.ip_address(named)
    except ValueError:
        raise PlatformError(CoreError.INVALID_ARGS, field=DEVICE_ADDRESS_HEADER)
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


@post(
    "/runtime/v1/login",
    auth="host_session",
    body=LoginBody,
    response=LoginResponse,
    tags=("runtime",),
)
def login(call: Call) -> dict:
    """wx.login of the host: a single-use code for the signed-in identity and this
    mini program, which the mini program's server redeems at /sns/jscode2session.
    Asked from a plugin's code (`plugin_appid` set): 40097 "plugin_login_refused", the
    plugin uses the functional page loginAndGetUserInfo instead (FP-2)."""
    body: LoginBody = call.body
    functional.refuse_plugin_login(body.plugin_appid)
    miniprogram = selectors.by_appid(body.appid.strip())
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    issued = credentials.login_code_issue(
        actor=call.actor, identity=call.identity, miniprogram=miniprogram
    )
    return {"code": issued.code, "expires_in": issued.expires_in}
