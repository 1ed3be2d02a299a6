"""Writing the audit chains: each row takes the next place of its chain by raising the
chain's head row, and every `audit.checkpoint_every_rows` rows a signed checkpoint."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from miniport.core import clock, origin, policy
from miniport.core.actors import Actor
from miniport.core.audit.checkpoints import _write_checkpoint
from miniport.core.audit.digest import GENESIS, entry_hash
from miniport.core.models import AuditChainHead, AuditEntry

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


# --- writing -------------------------------------------------------------------------

_HEAD = AuditChainHead._meta.db_table
# Table name from _meta, never input; every value is a %s parameter. One statement takes
# the next place of the chain and returns the hash it follows; on PostgreSQL the head row
# stays locked until the transaction ends, so the next writer of the chain reads this
# row's hash.
_ADVANCE_SQL = (
    f"INSERT INTO {_HEAD} (chain, seq, hash) VALUES (%s, 1, %s) "  # noqa: S608
    f"ON CONFLICT (chain) DO UPDATE SET seq = {_HEAD}.seq + 1 "
    "RETURNING seq, hash"
)
_SET_HEAD_SQL = f"UPDATE {_HEAD} SET hash = %s WHERE chain = %s"  # noqa: S608


def _checkpoint_every() -> int:
    return max(1, policy.value("audit.checkpoint_every_rows"))


def record(
    actor: Actor,
    action: str,
    *,
    target: Any = None,
    appid: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    where = origin.current()
    entry = AuditEntry(
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
        chain=appid,
    )
    every = _checkpoint_every()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_ADVANCE_SQL, [entry.chain, GENESIS])
            seq, prev = cursor.fetchone()
        entry.seq = int(seq)
        entry.prev_hash = prev
        entry.at = clock.now()
        entry.hash = entry_hash(entry)
        entry.save()
        with connection.cursor() as cursor:
            cursor.execute(_SET_HEAD_SQL, [entry.hash, entry.chain])
        if entry.seq % every == 0:
            _write_checkpoint(entry.chain, entry.seq, entry.hash)
    return entry
