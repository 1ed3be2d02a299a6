"""Identifiers and secrets."""

import hashlib
import hmac
import secrets

from django.conf import settings


def new_appid() -> str:
    return "wx" + secrets.token_hex(8)


def new_secret() -> str:
    return secrets.token_hex(16)


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(value: str) -> str:
    """A keyed hash for looking up secrets and personal numbers without storing them in clear.

    Keyed by settings.DIGEST_KEY, never the web secret: every stored digest depends on it,
    so it does not rotate (an install upgraded from digests keyed by SECRET_KEY sets
    MINIPORT_DIGEST_KEY to that old SECRET_KEY)."""
    # hmac.digest is the one-shot C implementation; same bytes as hmac.new(...).digest().
    return hmac.digest(settings.DIGEST_KEY.encode(), value.encode(), hashlib.sha256).hex()


def numeric_code(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))
