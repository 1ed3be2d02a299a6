"""Writes on mini programs. Every action takes an explicit actor and writes an audit row.

Opening a mini program (its creation, and REG-9's registration confirmation that opens
it) is `opening`, exported here; the one-step provisioning of a fully registered mini
program (CLI, demo data, tests) is `provisioning`. The other areas have their modules.
"""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit, clock, events, ids
from miniport.core.actors import Actor
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services.opening import (  # noqa: F401
    miniprogram_create,
    registration_confirm,
)


def miniprogram_issue_secret(*, actor: Actor, miniprogram: MiniProgram) -> str:
    """Generate or reset the AppSecret; the old one stops working at once. Returns it, once."""
    secret = ids.new_secret()
    with transaction.atomic():
        had_secret = bool(miniprogram.secret_digest)
        miniprogram.secret_digest = ids.digest(secret)
        miniprogram.secret_set_at = clock.now()
        miniprogram.save(update_fields=["secret_digest", "secret_set_at"])
        audit.record(
            actor,
            "miniprogram.secret_reset" if had_secret else "miniprogram.secret_generate",
            target=miniprogram,
            appid=miniprogram.appid,
        )
        events.emit(
            "miniprogram.secret_changed", {"appid": miniprogram.appid}, appid=miniprogram.appid
        )
    return secret


def secret_matches(miniprogram: MiniProgram, secret: str) -> bool:
    import hmac

    return bool(miniprogram.secret_digest) and hmac.compare_digest(
        miniprogram.secret_digest, ids.digest(secret or "")
    )
