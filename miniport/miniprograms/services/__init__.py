"""Writes on mini programs. Every action takes an explicit actor and writes an audit row."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, ids
from miniport.core.actors import Actor
from miniport.miniprograms.models import MiniProgram


def miniprogram_create(*, actor: Actor, account, subject, admin_identity) -> MiniProgram:
    """Create the mini program of a confirmed registration, with a fresh AppID."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                mp = MiniProgram.objects.create(
                    appid=ids.new_appid(),
                    account=account,
                    subject=subject,
                    admin_identity=admin_identity,
                    created_at=clock.now(),
                )
                break
        except IntegrityError:
            # An AppID collision (64 random bits) is all but impossible; retry if it happens.
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not allocate an AppID")
    audit.record(actor, "miniprogram.create", target=mp, appid=mp.appid, after={"appid": mp.appid})
    events.emit("miniprogram.created", {"appid": mp.appid}, appid=mp.appid)
    return mp


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
