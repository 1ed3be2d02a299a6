"""Existing audit entries move into their chains (the chain of their appid, the platform
chain for none), in the order they were written, re-hashed with HMAC under
settings.AUDIT_KEY; each chain gets its head and a signed checkpoint at that head.
Rows are checked against their old plain SHA-256 chain first: a log already tampered
with is not blessed by a new key (the migration stops and says where)."""

import hashlib
import json

from django.db import migrations

BATCH = 2000
GENESIS = "0" * 64


def _old_digest(entry) -> str:
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


def rechain(apps, schema_editor):
    from miniport.core import audit, clock

    entry_model = apps.get_model("core", "AuditEntry")
    head_model = apps.get_model("core", "AuditChainHead")
    checkpoint_model = apps.get_model("core", "AuditCheckpoint")
    heads: dict[str, tuple[int, str]] = {}
    batch = []
    old_prev = GENESIS
    for entry in entry_model.objects.order_by("id").iterator(chunk_size=BATCH):
        if entry.prev_hash != old_prev or _old_digest(entry) != entry.hash:
            raise RuntimeError(
                f"audit entry #{entry.pk} does not match the chain it was written in; "
                "restore the audit table from a backup before upgrading"
            )
        old_prev = entry.hash
        seq, prev = heads.get(entry.appid, (0, GENESIS))
        entry.chain = entry.appid
        entry.seq = seq + 1
        entry.prev_hash = prev
        entry.hash = audit.entry_hash(entry)
        heads[entry.chain] = (entry.seq, entry.hash)
        batch.append(entry)
        if len(batch) >= BATCH:
            entry_model.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])
            batch = []
    if batch:
        entry_model.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])
    now = clock.now()
    for chain, (seq, head_hash) in heads.items():
        head_model.objects.create(chain=chain, seq=seq, hash=head_hash)
        point = checkpoint_model(
            chain=chain, seq=seq, head_hash=head_hash, count=seq, at=now, signature=""
        )
        point.signature = audit.checkpoint_signature(point)
        point.save()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_chains_schema"),
    ]

    operations = [
        migrations.RunPython(rechain, migrations.RunPython.noop, elidable=False),
    ]
