"""Audit chains built in bulk (for the size tests and the benchmark) and tampering
helpers that write to the tables directly, behind the platform's back."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

from miniport.core import audit, clock, policy
from miniport.core.models import AuditChainHead, AuditCheckpoint, AuditEntry


def bulk_chain(chain: str, count: int, *, batch: int = 5000) -> None:
    """Append `count` valid entries to `chain` with bulk inserts: the same hashes and
    checkpoints `audit.record` would write, without its per-row statements."""
    head = AuditChainHead.objects.filter(chain=chain).first()
    seq, prev = (head.seq, head.hash) if head else (0, audit.GENESIS)
    every = max(1, policy.value("audit.checkpoint_every_rows"))
    now = clock.now()
    rows: list[AuditEntry] = []
    points: list[AuditCheckpoint] = []
    for n in range(count):
        seq += 1
        entry = AuditEntry(
            at=now,
            actor_kind="system",
            actor_label="bulk",
            action="bulk.write" if n % 2 else "bulk.other",
            appid=chain,
            after={"n": n},
            chain=chain,
            seq=seq,
            prev_hash=prev,
        )
        entry.hash = prev = audit.entry_hash(entry)
        rows.append(entry)
        if seq % every == 0:
            point = AuditCheckpoint(
                chain=chain, seq=seq, head_hash=prev, count=seq, at=now, signature=""
            )
            point.signature = audit.checkpoint_signature(point)
            points.append(point)
        if len(rows) >= batch:
            AuditEntry.objects.bulk_create(rows)
            rows = []
    AuditEntry.objects.bulk_create(rows)
    AuditCheckpoint.objects.bulk_create(points)
    AuditChainHead.objects.update_or_create(chain=chain, defaults={"seq": seq, "hash": prev})


def plain_sha256(entry: AuditEntry) -> str:
    """What an attacker without the key can compute: the old unkeyed digest."""
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
            "chain": entry.chain,
            "seq": entry.seq,
            "prev": entry.prev_hash,
        },
        sort_keys=True,
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def wrong_key_hmac(entry: AuditEntry) -> str:
    """An HMAC like the platform's, under a key the attacker guessed."""
    return audit.entry_hash(entry, key=b"not-the-audit-key")


def rewrite_from(chain: str, seq: int, digest) -> None:
    """Recompute every hash of `chain` from entry `seq` on with `digest` and fix the head,
    as an attacker who edited entry `seq` would."""
    prev = (
        AuditEntry.objects.filter(chain=chain, seq=seq - 1).values_list("hash", flat=True).first()
        or audit.GENESIS
    )
    for entry in AuditEntry.objects.filter(chain=chain, seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        entry.hash = prev = digest(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
    AuditChainHead.objects.filter(chain=chain).update(hash=prev)
