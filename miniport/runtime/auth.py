"""How the host app (the super-app) and its signed-in identity authenticate.

Host app: a static credential per host app, configured by the operator
(settings.RUNTIME_HOST_APPS, from MINIPORT_HOST_APPS="id:secret,..."), sent on every
call as the header `X-Host-App: <id>:<secret>` over TLS. A host app is part of the
operator's own installation — one or a few, set up once — so configuration suits it
better than a table and a console.

Identity session: the host signs an identity in with POST /runtime/v1/session
(wechat_id + password) and receives a session token, sent afterwards as
`X-Identity-Session`. The token is signed (django.core.signing, salted, timestamped)
and names the identity and the host app; it is valid for runtime.session_ttl_seconds
and ends early when the identity's password changes, because it carries a keyed mark
of the password hash. Nothing is stored, so every web process can check it.
"""

from __future__ import annotations

import hmac
import time
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS
from django.utils.crypto import salted_hmac

from miniport.core import hotpath, policy
from miniport.core.errors import PlatformError
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity
from miniport.web.api import AUTHENTICATORS, Call

HOST_HEADER = "HTTP_X_HOST_APP"
SESSION_HEADER = "HTTP_X_IDENTITY_SESSION"
_SALT = "miniport.runtime.session"


def host_app_of(request) -> str:
    """The id of the host app whose credential the request carries."""
    host_id, _, secret = request.META.get(HOST_HEADER, "").strip().partition(":")
    expected = settings.RUNTIME_HOST_APPS.get(host_id) if host_id else None
    if not expected or not secret or not hmac.compare_digest(expected.encode(), secret.encode()):
        raise PlatformError(IdentityError.HOST_APP_INVALID)
    return host_id


def _password_mark(identity: Identity) -> str:
    return _mark_of(identity.password or "", settings.SECRET_KEY)


@lru_cache(maxsize=8192)
def _mark_of(password_hash: str, key: str) -> str:
    return salted_hmac(_SALT, password_hash, secret=key).hexdigest()[:16]


@lru_cache(maxsize=8192)
def _signed(token: str, key: str) -> tuple[Any, int] | None:
    """The payload and signing time of a token signed with `key` and this module's salt,
    or None. Pure, so each token's signature is checked once per process (its age is
    checked on every call); the session's identity is read every time."""
    try:
        data = signing.TimestampSigner(key=key, salt=_SALT).unsign_object(token)
        signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    except (signing.BadSignature, ValueError, IndexError, TypeError):
        return None
    return data, signed_at


def session_ttl() -> int:
    return policy.value("runtime.session_ttl_seconds")


def session_issue(identity: Identity, host_id: str) -> str:
    return signing.dumps(
        {"i": identity.pk, "h": host_id, "p": _password_mark(identity)}, salt=_SALT
    )


# What a session check reads of its identity, on every runtime call (the launch's hot
# path): one driver statement instead of a queryset; the other fields load if used.
_SESSION_FIELDS = ("id", "wechat_id", "nickname", "password")


def _columns() -> list[str]:
    return [str(Identity._meta.get_field(name).column) for name in _SESSION_FIELDS]  # type: ignore[union-attr]


@cache
def _identity_sql() -> str:
    meta = Identity._meta
    return (
        f"SELECT {', '.join(_columns())} FROM {meta.db_table}"  # noqa: S608 - names from _meta
        f" WHERE {meta.pk.column} = %s"
    )


def _identity(pk: int) -> Identity | None:
    if not 0 < pk < 2**63:
        return None
    row = hotpath.first_row(_identity_sql(), [pk])
    if row is None:
        return None
    values = [row[column] for column in _columns()]
    return Identity.from_db(DEFAULT_DB_ALIAS, list(_SESSION_FIELDS), values)


def identity_for_session(token: str, host_id: str) -> Identity:
    if not token:
        raise PlatformError(IdentityError.RUNTIME_SESSION_MISSING)
    signed = _signed(token, settings.SECRET_KEY)
    if signed is None or time.time() - signed[1] > session_ttl():  # expired ones included
        raise PlatformError(IdentityError.RUNTIME_SESSION_INVALID)
    data = signed[0]
    if not isinstance(data, dict) or data.get("h") != host_id:
        raise PlatformError(IdentityError.RUNTIME_SESSION_INVALID)
    identity_id = data.get("i")
    identity = (
        _identity(identity_id)
        if isinstance(identity_id, int) and not isinstance(identity_id, bool)
        else None
    )
    if identity is None or not hmac.compare_digest(
        _password_mark(identity), str(data.get("p", ""))
    ):
        raise PlatformError(IdentityError.RUNTIME_SESSION_INVALID)
    return identity


def _authenticate_host(call: Call) -> None:
    call.host_app = host_app_of(call.request)


def _authenticate_host_session(call: Call) -> None:
    call.host_app = host_app_of(call.request)
    call.identity = identity_for_session(
        call.request.META.get(SESSION_HEADER, "").strip(), call.host_app
    )


AUTHENTICATORS["host"] = _authenticate_host
AUTHENTICATORS["host_session"] = _authenticate_host_session
