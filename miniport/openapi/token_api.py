"""Access tokens and login (wechat-api 2.1, 2.2, 3.1). Success bodies carry no errcode."""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import credentials as official_credentials
from miniport.links.official_accounts import selectors as official_selectors
from miniport.links.official_accounts.models import OfficialAccount
from miniport.links.open_platform import selectors as open_selectors
from miniport.miniprograms.errors import MiniProgramError
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
    unionid: str | None = None


def _token_payload(issued: IssuedToken | official_credentials.Issued) -> dict:
    return {"access_token": issued.access_token, "expires_in": issued.expires_in}


def _official_account(error: PlatformError, appid: str) -> OfficialAccount | None:
    """An official account's AppID (OA-1), asked only once it named no mini program, so
    the mini program path stays as it was."""
    if error.code is not MiniProgramError.INVALID_APPID:
        return None
    return official_selectors.official_account_by_appid(appid)


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
    try:
        issued = credentials.access_token_fetch(
            actor=Actor.for_app(query.appid.strip()),
            appid=query.appid,
            secret=query.secret,
            grant_type=query.grant_type,
            client_ip=call.client_ip,
        )
    except PlatformError as error:
        official = _official_account(error, query.appid)
        if official is None:
            raise
        return _token_payload(
            official_credentials.token_fetch(official_account=official, secret=query.secret)
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
    try:
        issued = credentials.stable_token_fetch(
            actor=Actor.for_app(body.appid.strip()),
            appid=body.appid,
            secret=body.secret,
            grant_type=body.grant_type,
            force_refresh=body.force_refresh,
            client_ip=call.client_ip,
        )
    except PlatformError as error:
        official = _official_account(error, body.appid)
        if official is None:
            raise
        issued_oa = official_credentials.stable_token_fetch(
            official_account=official, secret=body.secret, force_refresh=body.force_refresh
        )
        return _token_payload(issued_oa)
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
    answer = {"openid": session.openid, "session_key": session.session_key}
    # OPN-2: only for an app bound to an open account (WeChat omits it otherwise); the
    # binding was read with the login code.
    unionid = open_selectors.unionid_for_login(session.identity_id, session.login_values)
    if unionid:
        answer["unionid"] = unionid
    return answer
