"""Secrets the platform must use again later (a webhook's signing secret) kept encrypted
at rest: Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from SECRET_KEY, the
fallback keys still opening what they sealed (DESIGN security: keys encrypted at rest)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_PURPOSE = b"miniport.core.sealed/1:"


class Unreadable(Exception):
    """The sealed text was not made with any of the configured keys, or was changed."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(text: str) -> str:
    return _box().encrypt(text.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _box().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise Unreadable("the sealed text cannot be opened with the configured keys")
