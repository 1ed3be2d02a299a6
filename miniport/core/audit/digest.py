"""The keyed digests of the audit log: each row's HMAC-SHA256 over every field and its
place in the chain, and each checkpoint's signature, both under settings.AUDIT_KEY."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from miniport.core.models import AuditCheckpoint, AuditEntry

GENESIS = "0" * 64
PLATFORM_CHAIN = ""
# Every field a row's hash covers (the tamper tests edit each one).
HASHED_FIELDS = (
    "at",
    "actor_kind",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "appid",
    "before",
    "after",
    "origin_ip",
    "origin_agent",
    "chain",
    "seq",
    "prev_hash",
)


def _key() -> bytes:
    return str(settings.AUDIT_KEY).encode()


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(entry: AuditEntry, *, key: bytes | None = None) -> str:
    """The row's HMAC-SHA256 over every field and its place in the chain."""
    body = json.dumps(
        {
            "at": _moment(entry.at),
            "actor": [entry.actor_kind, entry.actor_id, entry.actor_label],
            "action": entry.action,
            "target": [entry.target_type, entry.target_id],
            "appid": entry.appid,
            "before": entry.before,
            "after": entry.after,
            "origin": [entry.origin_ip, entry.origin_agent],
            "chain": entry.chain,
            "seq": entry.seq,
            "prev": entry.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
    )
    return hmac.new(key or _key(), b"audit-row\n" + body.encode(), hashlib.sha256).hexdigest()


def checkpoint_signature(checkpoint: AuditCheckpoint, *, key: bytes | None = None) -> str:
    body = "\n".join(
        [
            "audit-checkpoint",
            checkpoint.chain,
            str(checkpoint.seq),
            checkpoint.head_hash,
            str(checkpoint.count),
            _moment(checkpoint.at),
        ]
    )
    return hmac.new(key or _key(), body.encode(), hashlib.sha256).hexdigest()


def _sealed(checkpoint: AuditCheckpoint) -> bool:
    return hmac.compare_digest(checkpoint.signature, checkpoint_signature(checkpoint))


def _intact(entry: AuditEntry) -> bool:
    return hmac.compare_digest(entry.hash, entry_hash(entry))
