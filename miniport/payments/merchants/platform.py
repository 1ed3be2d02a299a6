"""Merchant numbers and keys, and the platform's own merchant, which receives the
certification fees (CER-2) through the sandbox like any other merchant."""

from __future__ import annotations

import secrets
import string

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from miniport.core import clock
from miniport.payments.models import Merchant, MerchantKind

_KEY_ALPHABET = string.ascii_letters + string.digits
# What the phone page shows as the payee of a platform fee order, translated when shown.
PLATFORM_MERCHANT_NAME = gettext_noop("Mini program platform")


def new_mch_id() -> str:
    """A free 10-digit merchant number, first digit not 0 (like WeChat's)."""
    while True:
        candidate = str(secrets.randbelow(9) + 1) + "".join(
            secrets.choice(string.digits) for _ in range(9)
        )
        if not Merchant.objects.filter(mch_id=candidate).exists():
            return candidate


def new_api_key() -> str:
    """A v2 API key: 32 characters from letters and digits."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(32))


def platform_merchant() -> Merchant:
    """The platform's own merchant, made on first need (one, held by a constraint)."""
    existing = Merchant.objects.filter(kind=MerchantKind.PLATFORM).first()
    if existing is not None:
        return existing
    now = clock.now()
    try:
        with transaction.atomic():
            return Merchant.objects.create(
                mch_id=new_mch_id(),
                kind=MerchantKind.PLATFORM,
                name=PLATFORM_MERCHANT_NAME,
                api_key=new_api_key(),
                key_set_at=now,
                created_at=now,
            )
    except IntegrityError:  # made by a concurrent first need
        return Merchant.objects.get(kind=MerchantKind.PLATFORM)
