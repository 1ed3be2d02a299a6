"""Which key signs a merchant's traffic: its v2 API key, or in `sandboxnew` mode its
sandbox signing key (getsignkey, §3.6), stable per merchant and key version."""

from __future__ import annotations

import hashlib
import hmac

from miniport.payments.models import Merchant


def sandbox_key(merchant: Merchant) -> str:
    """The merchant's `sandbox_signkey`: the stored one if set, else derived from its API
    key and key version (32 hex characters), so every wechatpy instance gets the same one
    and a new API key gives a new sandbox key."""
    if merchant.sandbox_key:
        return merchant.sandbox_key
    message = f"sandboxnew:{merchant.mch_id}:{merchant.key_version}".encode()
    return hmac.new(merchant.api_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def signing_key(merchant: Merchant, *, sandbox: bool) -> str:
    return sandbox_key(merchant) if sandbox else merchant.api_key
