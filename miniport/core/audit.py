"""Hash-chained audit log. Each row's hash covers its content and the previous hash,
so editing or deleting a row breaks every later link (`verify_chain`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from miniport.core import clock, origin
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry

GENESIS = "0" * 64
# Personal data never lands in the log in clear.
REDACTED_KEYS = {
    "id_number",
    "phone",
    "password",
    "secret",
    "secret_hash",
    "token",
    "session_key",
    "sms_code",
}


def _redact(data: dict[str, Any] | None) -> dict[str, Any]:
    if not data:
        return {}
    clean: dict[str, Any] = {}
    for key, val in data.items():
        if key in REDACTED_KEYS and val:
            text = str(val)
            clean[key] = "***" + text[-2:] if len(text) > 4 else "***"
        else:
            clean[key] = val
    return json.loads(json.dumps(clean, cls=DjangoJSONEncoder))


def _digest(entry: AuditEntry) -> str:
    body = json.dumps(
        {
            "at": entry.at.isoformat(),
            "actor": [entry.actor_kind, entry.actor_id, entry.actor_label],
            "action": entry.action,
            "target": [entry.target_type, entry.target_id],
            "appid": entry.appid,
            "before": entry.before,
            "after": entry.after,
            "origin": [entry.origin_ip, entry.origin_agent],
            "prev": entry.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    actor: Actor,
    action: str,
    *,
    target: Any = None,
    appid: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Serialise writers so the chain never forks.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(727274)")
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        where = origin.current()
        entry = AuditEntry(
            at=clock.now(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label,
            action=action,
            target_type=type(target).__name__ if target is not None else "",
            target_id=str(getattr(target, "pk", "") or "") if target is not None else "",
            appid=appid,
            before=_redact(before),
            after=_redact(after),
            origin_ip=where.ip,
            origin_agent=where.agent,
            prev_hash=last or GENESIS,
        )
        entry.hash = _digest(entry)
        entry.save()
        return entry


def verify_chain() -> int | None:
    """Return the id of the first row whose link is broken, or None when intact."""
    prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != prev or _digest(entry) != entry.hash:
            return entry.pk
        prev = entry.hash
    return None
