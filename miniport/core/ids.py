"""Identifiers and secrets."""

import functools
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
    return keyed_sha256(settings.DIGEST_KEY, value.encode()).hex()


def keyed_sha256(key: str, message: bytes) -> bytes:
    """HMAC-SHA256 of `message` under `key`: the bytes hmac.digest gives, from a copy of
    the key's HMAC state made once per key. Each new HMAC looks its algorithm up in
    OpenSSL's providers and hashes the key's two padded blocks; copying a keyed state does
    neither (every login computes three of these)."""
    mac = _keyed_state(key).copy()
    mac.update(message)
    return mac.digest()


@functools.lru_cache(maxsize=8)
def _keyed_state(key: str) -> hmac.HMAC:
    # Keyed by the setting's text: a test or an operator changing the key gets a new state.
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def numeric_code(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))
