"""An official account's server API credentials: AppSecret and access tokens (OA-1).

`/cgi-bin/token` and `/cgi-bin/stable_token` answer an official account's AppID and
AppSecret with its own tokens (`openapi/token_api.py` asks here only after the AppID
named no mini program, so the mini program path is unchanged). The rules are the mini
program's (wechat-api 1.2): the same refusals, lifetimes, grace window and daily quotas,
read from the same policy rows; tokens live in their own table.

Resetting the AppSecret (`secret_reset`: the console's profile page, `miniport oa
secret`) ends the old secret at once; tokens already issued stay in force until they
expire, as a mini program's do.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from miniport.core import audit, clock, ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.links.official_accounts.models import OfficialAccount, OfficialAccountToken
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import credentials as app_credentials

TOKEN = "token"
STABLE = "stable"
_SECRET_SHAPE = re.compile(r"^[0-9a-fA-F]{32}\Z")
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,512}\Z")
_TOKEN_BYTES = 96


@dataclass(frozen=True)
class Issued:
    access_token: str
    expires_in: int


def authenticate(official_account: OfficialAccount, secret: str) -> None:
    secret = (secret or "").strip()
    if not _SECRET_SHAPE.match(secret):
        raise PlatformError(MiniProgramError.INVALID_APPSECRET, field="secret")
    digest = official_account.secret_digest
    if not digest or not hmac.compare_digest(digest, ids.digest(secret)):
        raise PlatformError(MiniProgramError.INVALID_CREDENTIAL, field="secret")


def secret_reset(*, actor: Actor, official_account: OfficialAccount) -> str:
    """A new AppSecret, returned in clear this once; the old one stops working at once.
    Tokens issued before stay in force until they expire, as a mini program's do
    (`miniprograms.services.credentials`): the server API behaves alike for both."""
    secret = ids.new_secret()
    with transaction.atomic():
        oa = _lock(official_account)
        oa.secret_digest = ids.digest(secret)
        oa.save(update_fields=["secret_digest"])
        audit.record(actor, "official_account.secret_reset", target=oa, after={"appid": oa.appid})
    official_account.secret_digest = oa.secret_digest
    return secret


def _ttl() -> int:
    return policy.value("api.token_ttl_seconds")


def _left(expires_at) -> int:
    return max(0, int((expires_at - clock.now()).total_seconds()))


def _mint(oa: OfficialAccount, family: str) -> Issued:
    now = clock.now()
    token = ids.new_token(_TOKEN_BYTES)
    ttl = timedelta(seconds=_ttl())
    row = OfficialAccountToken.objects.create(
        official_account=oa,
        family=family,
        digest=ids.digest(token),
        clear=token if family == STABLE else "",
        issued_at=now,
        expires_at=now + ttl,
        valid_until=now + ttl,
    )
    grace_end = now + timedelta(seconds=policy.value("api.token_grace_seconds"))
    if family == TOKEN:
        OfficialAccountToken.objects.filter(
            official_account=oa, family=family, valid_until__gt=grace_end
        ).exclude(pk=row.pk).update(valid_until=grace_end)
    return Issued(token, _ttl())


def _lock(oa: OfficialAccount) -> OfficialAccount:
    return OfficialAccount.objects.select_for_update().get(pk=oa.pk)


def token_fetch(*, official_account: OfficialAccount, secret: str) -> Issued:
    """GET /cgi-bin/token for an official account; older tokens end after the grace."""
    authenticate(official_account, secret)
    with transaction.atomic():
        quotas.consume(
            f"oa:{official_account.appid}",
            "api.token_daily_quota",
            window="day",
            error=CoreError.DAILY_QUOTA,
        )
        return _mint(_lock(official_account), TOKEN)


def stable_token_fetch(
    *, official_account: OfficialAccount, secret: str, force_refresh: bool
) -> Issued:
    """POST /cgi-bin/stable_token for an official account: the current stable token
    while more than the refresh window remains, unless forced (at most
    api.stable_token_force_daily times a day)."""
    authenticate(official_account, secret)
    window = policy.value("api.stable_token_refresh_window_seconds")
    with transaction.atomic():
        quotas.consume(
            f"oa:{official_account.appid}",
            "api.stable_token_daily_quota",
            window="day",
            error=CoreError.DAILY_QUOTA,
        )
        oa = _lock(official_account)
        current = (
            OfficialAccountToken.objects.filter(
                official_account=oa, family=STABLE, valid_until__gt=clock.now()
            )
            .order_by("-issued_at")
            .first()
        )
        interval = policy.value("api.stable_token_force_interval_seconds")
        if (
            force_refresh
            and current is not None
            and ((clock.now() - current.issued_at).total_seconds() < interval)
        ):
            # Too soon after the last mint: the current token, unrefreshed (as for apps).
            return Issued(current.clear, _left(current.expires_at))
        if force_refresh:
            quotas.consume(
                f"oa:{oa.appid}",
                "api.stable_token_force_daily",
                window="day",
                error=CoreError.DAILY_QUOTA,
            )
            OfficialAccountToken.objects.filter(official_account=oa, family=STABLE).update(
                valid_until=clock.now()
            )
            return _mint(oa, STABLE)
        if current is not None and _left(current.expires_at) > window:
            return Issued(current.clear, _left(current.expires_at))
        return _mint(oa, STABLE)


def official_account_for_token(token: str) -> OfficialAccount:
    """The official account an access_token belongs to (wechat-api 1.2 refusals); a mini
    program's token is the wrong kind of token, 48001."""
    if not token:
        raise PlatformError(MiniProgramError.ACCESS_TOKEN_MISSING, field="access_token")
    if not _TOKEN_SHAPE.match(token):
        raise PlatformError(MiniProgramError.INVALID_ACCESS_TOKEN, field="access_token")
    row = (
        OfficialAccountToken.objects.select_related("official_account")
        .filter(digest=ids.digest(token))
        .first()
    )
    if row is None:
        # A mini program's token is the wrong kind of token here (wechat-api 1.4).
        if app_credentials.is_app_access_token(token):
            raise PlatformError(CoreError.API_UNAUTHORIZED, field="access_token")
        raise PlatformError(MiniProgramError.INVALID_ACCESS_TOKEN, field="access_token")
    now = clock.now()
    if now >= row.expires_at:
        raise PlatformError(MiniProgramError.ACCESS_TOKEN_EXPIRED, field="access_token")
    if now >= row.valid_until:
        raise PlatformError(MiniProgramError.INVALID_CREDENTIAL, field="access_token")
    return row.official_account


def is_official_account_token(token: str) -> bool:
    """Whether `token` is an access token an official account was issued (live or not)."""
    return (
        bool(_TOKEN_SHAPE.match(token))
        and OfficialAccountToken.objects.filter(digest=ids.digest(token)).exists()
    )
