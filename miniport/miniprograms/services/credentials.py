"""Server API credentials: access tokens (wechat-api 1.2, 2.1, 2.2) and login codes (3.1).

Token and code values are stored as keyed hashes (`core.ids.digest`); only a stable
token keeps its text, sealed (`core.vault`), because normal-mode stable_token hands the
same token back; a login code's session_key is sealed until jscode2session hands it out.

Refusals, in the order they are checked (each one changes nothing):
- grant_type wrong or missing: 40002; appid missing 41002; secret missing 41004;
  unknown appid 40013;
- caller address outside a non-empty API IP whitelist (DEV-2): 40164. The whitelist
  guards every call that presents the AppSecret (token, stable_token, jscode2session);
- secret not of the AppSecret's shape (32 hex digits): 40125 "invalid appsecret"; of the
  right shape but not this app's current secret (a reset one, say): 40001;
- a registration that is not active (waiting for activation, remittance or
  certification, or failed): 48001 "api unauthorized" — the app exists, its secret is
  right, it just may not use the API yet;
- daily quotas 45009, jscode2session's per-user minute limit 45011.

Token lifetimes: a new /cgi-bin/token pulls every older token of that family in to the
end of the grace window (api.token_grace_seconds); after it they answer 40001
("not latest"), after their own expiry 42001. The stable family is separate: normal mode
returns the current token while more than api.stable_token_refresh_window_seconds remain
and mints a new one in that last window (both stay valid); force_refresh rotates at once
and ends the token it replaces with no grace window (wechat-api 2.2: callers force when a
token leaked), at most api.stable_token_force_daily times a day, and a forced call within
api.stable_token_force_interval_seconds of the last mint returns the current token.
Resetting the AppSecret does not end tokens already issued (WeChat's behaviour).

Token issues and login code redeems are the API's traffic, not actions on the app, and
are not audited: a token issue is counted per app and day (`core.metrics`, kinds
token.issue and stable.issue); redeems already count in the per-user minute check.
Resetting the AppSecret is an action and is audited.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from miniport.accounts.models import RegistrationStatus
from miniport.core import clock, ids, metrics, policy, quotas, vault
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.selectors import openid_for_identity_pk
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import AccessToken, LoginCode, MiniProgram, TokenFamily
from miniport.miniprograms.services import credential_sql
from miniport.miniprograms.services.credential_sql import AppRow
from miniport.miniprograms.services.devsettings import ip_allowed

CLIENT_CREDENTIAL = "client_credential"
AUTHORIZATION_CODE = "authorization_code"
_SECRET_SHAPE = re.compile(r"^[0-9a-fA-F]{32}\Z")
# Our tokens and codes are URL-safe base64; anything else is refused before any lookup.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,512}\Z")
_TOKEN_BYTES = 96  # 128 characters, well inside the 512 WeChat tells clients to store
_CODE_BYTES = 24  # 32 characters, the length of a WeChat js_code
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_in: int


@dataclass(frozen=True)
class Session:
    openid: str
    session_key: str
    # Who and which app, for what a higher floor adds (the unionid of miniport.links),
    # and the values higher floors asked to read with the login (credential_sql).
    identity_id: int = 0
    miniprogram_id: int = 0
    login_values: dict[str, object] = field(default_factory=dict)


def _app_scope(app: AppRow | MiniProgram) -> str:
    return f"app:{app.appid}"


def authenticate_app(*, appid: str, secret: str, client_ip: str, **also) -> AppRow:
    """The app whose AppID and AppSecret these are, or the documented refusal. `also`
    asks the same single lookup for the stable token or a login code (credential_sql)."""
    appid = (appid or "").strip()
    secret = (secret or "").strip()
    if not appid:
        raise PlatformError(MiniProgramError.APPID_MISSING, field="appid")
    if not secret:
        raise PlatformError(MiniProgramError.APPSECRET_MISSING, field="secret")
    app = credential_sql.app_by_appid(appid, **also)
    if app is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    if not ip_allowed(app.ip_whitelist, client_ip):
        raise PlatformError(MiniProgramError.IP_NOT_WHITELISTED, ip=client_ip)
    if not _SECRET_SHAPE.match(secret):
        raise PlatformError(MiniProgramError.INVALID_APPSECRET, field="secret")
    if not app.secret_digest or not hmac.compare_digest(app.secret_digest, ids.digest(secret)):
        raise PlatformError(MiniProgramError.INVALID_CREDENTIAL, field="secret")
    if app.registration_status != RegistrationStatus.ACTIVE:
        raise PlatformError(CoreError.API_UNAUTHORIZED)
    return app


def _check_grant(grant_type: str, expected: str) -> None:
    if (grant_type or "").strip() != expected:
        raise PlatformError(MiniProgramError.INVALID_GRANT_TYPE, field="grant_type")


def _lock(miniprogram_id: int) -> MiniProgram:
    """The app, locked: minting is serialised per app on PostgreSQL (SQLite's write
    transactions already are)."""
    return MiniProgram.objects.select_for_update().get(pk=miniprogram_id)


def _ttl() -> int:
    return policy.value("api.token_ttl_seconds")


def _mint(miniprogram: MiniProgram, family: str) -> tuple[str, AccessToken]:
    now = clock.now()
    ttl = timedelta(seconds=_ttl())
    token = ids.new_token(_TOKEN_BYTES)
    row = AccessToken.objects.create(
        miniprogram=miniprogram,
        family=family,
        digest=ids.digest(token),
        clear=token if family == TokenFamily.STABLE else "",
        issued_at=now,
        expires_at=now + ttl,
        valid_until=now + ttl,
    )
    return token, row


def _supersede(
    miniprogram: MiniProgram, family: str, newest: AccessToken, *, at_once: bool = False
) -> None:
    """Older tokens of the family stay valid only to the end of the grace window, or end
    now (`at_once`: a forced stable refresh, which callers use when a token leaked)."""
    grace = 0 if at_once else policy.value("api.token_grace_seconds")
    grace_end = clock.now() + timedelta(seconds=grace)
    AccessToken.objects.filter(
        miniprogram=miniprogram, family=family, valid_until__gt=grace_end
    ).exclude(pk=newest.pk).update(valid_until=grace_end)


def _count_issue(row: AccessToken) -> None:
    """A token issue is the API's traffic: counted per app and day, not audited."""
    metrics.count(_app_scope(row.miniprogram), f"{row.family}.issue")


def _seconds_left(expires_at) -> int:
    return max(0, int((expires_at - clock.now()).total_seconds()))


def access_token_fetch(
    *, actor: Actor, appid: str, secret: str, grant_type: str, client_ip: str
) -> IssuedToken:
    """GET /cgi-bin/token: a new token; the previous ones end after the grace window."""
    _check_grant(grant_type, CLIENT_CREDENTIAL)
    app = authenticate_app(appid=appid, secret=secret, client_ip=client_ip)
    with transaction.atomic():
        quotas.consume(
            _app_scope(app), "api.token_daily_quota", window="day", error=CoreError.DAILY_QUOTA
        )
        miniprogram = _lock(app.pk)
        token, row = _mint(miniprogram, TokenFamily.TOKEN)
        _supersede(miniprogram, TokenFamily.TOKEN, row)
        _count_issue(row)
    return IssuedToken(token, _ttl())


def stable_token_fetch(
    *,
    actor: Actor,
    appid: str,
    secret: str,
    grant_type: str,
    force_refresh: bool,
    client_ip: str,
) -> IssuedToken:
    """POST /cgi-bin/stable_token (wechat-api 2.2)."""
    _check_grant(grant_type, CLIENT_CREDENTIAL)
    app = authenticate_app(appid=appid, secret=secret, client_ip=client_ip, stable_at=clock.now())
    quotas.take_leased(
        _app_scope(app),
        "api.stable_token_daily_quota",
        window="day",
        error=CoreError.DAILY_QUOTA,
        lease_rule="api.call_count_lease",
    )
    refresh_window = policy.value("api.stable_token_refresh_window_seconds")
    current = app.stable
    if (
        not force_refresh
        and current is not None
        and _seconds_left(current.expires_at) > refresh_window
    ):
        return IssuedToken(current.clear, _seconds_left(current.expires_at))  # the hot path
    with transaction.atomic():
        miniprogram = _lock(app.pk)
        current = credential_sql.current_stable_token(app.pk, clock.now())  # again, under the lock
        if force_refresh:
            interval = policy.value("api.stable_token_force_interval_seconds")
            if current is not None and (clock.now() - current.issued_at).total_seconds() < interval:
                # Too soon after the last mint: WeChat answers the current token, unrefreshed.
                return IssuedToken(current.clear, _seconds_left(current.expires_at))
            quotas.consume(
                _app_scope(app),
                "api.stable_token_force_daily",
                window="day",
                error=CoreError.DAILY_QUOTA,
            )
            token, row = _mint(miniprogram, TokenFamily.STABLE)
            # "强制刷新模式，会导致上次获取的 access_token 失效": no grace window.
            _supersede(miniprogram, TokenFamily.STABLE, row, at_once=True)
            _count_issue(row)
            return IssuedToken(token, _ttl())
        if current is not None and _seconds_left(current.expires_at) > refresh_window:
            return IssuedToken(current.clear, _seconds_left(current.expires_at))
        # In the last window (or none yet): a new token; the old one keeps its own expiry.
        token, row = _mint(miniprogram, TokenFamily.STABLE)
        _count_issue(row)
        return IssuedToken(token, _ttl())


# Recognisers of the access tokens of other kinds of account (an official account's),
# registered by the parts above this floor: such a token on a mini program's API is the
# wrong kind of token, 48001 (wechat-api 1.4), not an unknown one (40014, which clients
# answer by fetching a new token and trying again, spending their daily quota).
OTHER_TOKEN_KINDS: list[Callable[[str], bool]] = []


def is_app_access_token(token: str) -> bool:
    """Whether `token` is an access token a mini program was issued (live or not)."""
    return bool(_TOKEN_SHAPE.match(token)) and credential_sql.access_token_row(token) is not None


def app_for_access_token(token: str) -> MiniProgram:
    """The mini program an access_token belongs to (wechat-api 1.2 refusals)."""
    if not token:
        raise PlatformError(MiniProgramError.ACCESS_TOKEN_MISSING, field="access_token")
    if not _TOKEN_SHAPE.match(token):
        raise PlatformError(MiniProgramError.INVALID_ACCESS_TOKEN, field="access_token")
    # One driver statement by the token's digest, remembered while SQLite is unchanged
    # (credential_sql); the times are checked here on every call.
    row = credential_sql.access_token_row(token)
    if row is None:
        if any(recognises(token) for recognises in OTHER_TOKEN_KINDS):
            raise PlatformError(CoreError.API_UNAUTHORIZED, field="access_token")
        raise PlatformError(MiniProgramError.INVALID_ACCESS_TOKEN, field="access_token")
    now = clock.now()
    if now >= row.expires_at:
        raise PlatformError(MiniProgramError.ACCESS_TOKEN_EXPIRED, field="access_token")
    if now >= row.valid_until:
        # Superseded by a newer token of its family.
        raise PlatformError(MiniProgramError.INVALID_CREDENTIAL, field="access_token")
    return row.miniprogram


# --- login codes (wx.login of the host app, redeemed by jscode2session) ------------------


def login_code_issue(*, actor: Actor, identity, miniprogram: MiniProgram) -> IssuedCode:
    """A single-use code for `identity` in `miniprogram`, valid api.jscode_ttl_seconds."""
    if not miniprogram.is_active:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    ttl = policy.value("api.jscode_ttl_seconds")
    code = ids.new_token(_CODE_BYTES)
    now = clock.now()
    LoginCode.objects.create(
        miniprogram=miniprogram,
        identity=identity,
        digest=ids.digest(code),
        # WeChat's session_key: base64 of 16 random bytes.
        session_key=base64.b64encode(secrets.token_bytes(16)).decode(),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    return IssuedCode(code, ttl)


def code_to_session(
    *, appid: str, secret: str, js_code: str, grant_type: str, client_ip: str
) -> Session:
    """GET /sns/jscode2session: redeem a login code once, within its lifetime.

    The per-user limit counts the codes the user redeemed for this app in the last
    minute (sliding), checked in the same statement that marks the code used, so no
    counter row is written per user and minute. No actor: redeeming a code is the API's
    traffic, not an action on the app, and is not audited."""
    if not (appid or "").strip():
        raise PlatformError(MiniProgramError.APPID_MISSING, field="appid")
    if not (secret or "").strip():
        raise PlatformError(MiniProgramError.APPSECRET_MISSING, field="secret")
    js_code = (js_code or "").strip()
    if not js_code:
        raise PlatformError(MiniProgramError.CODE_MISSING, field="js_code")
    _check_grant(grant_type, AUTHORIZATION_CODE)
    if not _TOKEN_SHAPE.match(js_code):
        js_code = ""  # not one of ours: looked up as no code, refused after the app checks
    now = clock.now()
    app = authenticate_app(
        appid=appid, secret=secret, client_ip=client_ip, code_digest=ids.digest(js_code), now=now
    )
    code = app.code
    # A code of another app is as unknown here as a made-up one.
    if code is None or code.miniprogram_id != app.pk or code.expired:
        raise PlatformError(MiniProgramError.INVALID_CODE, field="js_code")
    if code.used:
        raise PlatformError(MiniProgramError.CODE_USED, field="js_code")
    redeemed = credential_sql.redeem_login_code(
        code,
        now=now,
        since=now - _MINUTE,
        created_since=now - _MINUTE - timedelta(seconds=policy.value("api.jscode_ttl_seconds")),
        per_user_limit=policy.value("api.jscode2session_per_user_minute"),
    )
    if not redeemed:
        if credential_sql.login_code_used(code.pk):
            raise PlatformError(MiniProgramError.CODE_USED, field="js_code")
        raise PlatformError(CoreError.MINUTE_QUOTA)
    return Session(
        openid=openid_for_identity_pk(code.identity_id, app.appid),
        session_key=vault.open_personal(code.session_key),
        identity_id=code.identity_id,
        miniprogram_id=app.pk,
        login_values=app.login_values,
    )
