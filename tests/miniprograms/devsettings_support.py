"""Shared by the development settings tests: what a refused change must leave alone."""

from __future__ import annotations

from miniport.core.models import AuditEntry, QuotaCounter
from miniport.miniprograms.models import DevSettings, MiniProgram


def dev_state(miniprogram) -> dict:
    dev = DevSettings.objects.filter(miniprogram=miniprogram).values().first() or {}
    dev.pop("updated_at", None)
    mp = (
        MiniProgram.objects.filter(pk=miniprogram.pk).values("secret_digest", "secret_set_at").get()
    )
    return {
        "dev": dev,
        "secret": mp,
        "quota": sorted(QuotaCounter.objects.values_list("scope", "rule", "window", "used")),
        "audit": AuditEntry.objects.count(),
    }


def set_policy(key: str, value: int) -> None:
    """An operator override of a policy rule, as the ops desk sets it."""
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key=key, value=value)
