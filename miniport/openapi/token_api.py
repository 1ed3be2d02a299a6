"""Access tokens and login (wechat-api 2.1, 2.2, 3.1). Success bodies carry no errcode."""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core.actors import Actor
from miniport.miniprograms.services import credentials
from miniport.miniprograms.services.credentials import IssuedToken
from miniport.web.api import Call, WireModel, get, post


class TokenQuery(WireModel):
    grant_type: str = ""
    appid: str = ""
    secret: str = ""


class StableTokenBody(TokenQuery):
    force_refresh: bool = False


class TokenResponse(BaseModel):
    access_token: str
    expires_in: int


class CodeToSessionQuery(WireModel):
    appid: str = ""
    secret: str = ""
    js_code: str = ""
    grant_type: str = ""


class CodeToSessionResponse(BaseModel):
    openid: str
    session_key: str


def _token_payload(issued: IssuedToken) -> dict:
    return {"access_token": issued.access_token, "expires_in": issued.expires_in}


@get(
    "/cgi-bin/token",
    auth="none",
    query=TokenQuery,
    response=TokenResponse,
    envelope=False,
    tags=("token",),
    hot=True,
)
def token(call: Call) -> dict:
    """Get an access_token; the previous one stays valid for the grace window only."""
    query: TokenQuery = call.query
    issued = credentials.access_token_fetch(
        actor=Actor.for_app(query.appid.strip()),
        appid=query.appid,
        secret=query.secret,
        grant_type=query.grant_type,
        client_ip=call.client_ip,
    )
    return _token_payload(issued)


@post(
    "/cgi-bin/stable_token",
    auth="none",
    body=StableTokenBody,
    response=TokenResponse,
    envelope=False,
    tags=("token",),
    hot=True,
)
def stable_token(call: Call) -> dict:
    """Get the stable access_token: the same one while more than 5 minutes remain."""
    body: StableTokenBody = call.body
    issued = credentials.stable_token_fetch(
        actor=Actor.for_app(body.appid.strip()),
        appid=body.appid,
        secret=body.secret,
        grant_type=body.grant_type,
        force_refresh=body.force_refresh,
        client_ip=call.client_ip,
    )
    return _token_payload(issued)


@get(
    "/sns/jscode2session",
    auth="none",
    query=CodeToSessionQuery,
    response=CodeToSessionResponse,
    envelope=False,
    tags=("login",),
    hot=True,
)
def jscode2session(call: Call) -> dict:
    """Exchange a wx.login code for the user's openid and session_key (code2Session)."""
    query: CodeToSessionQuery = call.query
    session = credentials.code_to_session(
        appid=query.appid,
        secret=query.secret,
        js_code=query.js_code,
        grant_type=query.grant_type,
        client_ip=call.client_ip,
    )
    # unionid joins once open-platform binding exists; until then it is omitted, as
    # WeChat omits it for an app bound to no open account.
    return {"openid": session.openid, "session_key": session.session_key}
