"""Helpers for the sign-up tests of the identities domain and the phone pages (issue 10
item 1): a checksum-valid person, the code the SMS backend wrote, and a snapshot of
everything a refused sign-up must leave as it was."""

from __future__ import annotations

import re
from datetime import date

from miniport.core import sms
from miniport.core.models import AuditEntry, PolicyOverride
from miniport.core.validators import make_id_number
from miniport.identities.models import Identity, IdentitySmsCode

PHONE = "13812345678"
ID_NUMBER = make_id_number(date(1990, 5, 17), sequence=321)
PASSWORD = "new-pass-123"


def fields(**changes) -> dict:
    """A complete, acceptable sign-up (without the SMS code)."""
    given = {
        "wechat_id": "li_si_2026",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "phone": PHONE,
        "real_name": "李四",
        "id_number": ID_NUMBER,
    }
    given.update(changes)
    return given


def last_code(phone: str = PHONE) -> str:
    """The code as the person reads it from the message the SMS backend wrote."""
    return re.search(r"\b(\d{6})\b", sms.messages_to(phone)[-1]["text"]).group(1)


def override(key: str, value: int) -> None:
    from miniport.core import policy

    PolicyOverride.objects.update_or_create(key=key, defaults={"value": value})
    policy.forget_cached()


def snapshot() -> dict:
    """Identities, sign-up codes (with their tries and use), audit rows, messages sent."""
    return {
        "identities": sorted(Identity.objects.values_list("pk", "wechat_id", "password")),
        "codes": sorted(IdentitySmsCode.objects.values_list("pk", "attempts", "used_at")),
        "audit": AuditEntry.objects.count(),
        "messages": len(sms.messages_to(PHONE)),
    }
