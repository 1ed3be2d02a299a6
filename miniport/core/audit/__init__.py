"""The audit log: keyed hash chains, one per mini program plus the platform chain,
anchored by signed checkpoints (issue 9 item 7).

Each row belongs to the chain of its appid (the platform chain is appid ""), holds its
place `seq` in that chain (unique per chain in the database) and `hash`, an HMAC-SHA256
under settings.AUDIT_KEY of every field of the row: when, the actor (kind, id, label),
the action, the target (type, id), the appid, before, after, the origin (address,
agent), the chain, the place and the previous row's hash. Without the key nobody can
recompute a hash, so an edited row shows even when every later hash is recomputed.

Writers of one chain queue on that chain's head row (`AuditChainHead`, one conditional
upsert that raises its `seq`: the row stays locked until the transaction ends on
PostgreSQL; SQLite serialises writers anyway); writers of different chains never wait
for each other.

Every `audit.checkpoint_every_rows` rows of a chain (and, for quiet chains, every
`audit.anchor_interval_minutes` from the worker, or on `miniport audit checkpoint`) a
signed checkpoint records the chain's head hash and row count. Deleting rows from the
end of a chain then shows: the checkpoint names a row that is gone or different.

Verification:
- `verify(chain)` checks the latest checkpoint and the rows written since (bounded
  work: at most one checkpoint interval per chain) and stores its result per chain;
  `verify()` does it for every chain.
- `verify_full(chain)` walks every row and every checkpoint (`miniport audit verify`).
Both return the first problem found (`Broken`) or None.
"""

from __future__ import annotations

from miniport.core.audit.chain import (
    _ADVANCE_SQL,
    _HEAD,
    _SET_HEAD_SQL,
    REDACTED_KEYS,
    _checkpoint_every,
    _redact,
    record,
)
from miniport.core.audit.checkpoints import (
    _DUE_KEY,
    _write_checkpoint,
    checkpoint,
    reset_schedule,
    run_due,
)
from miniport.core.audit.digest import (
    GENESIS,
    HASHED_FIELDS,
    PLATFORM_CHAIN,
    _intact,
    _key,
    _moment,
    _sealed,
    checkpoint_signature,
    entry_hash,
)
from miniport.core.audit.verification import (
    Broken,
    ChainStatus,
    _chains,
    _check_anchor,
    _latest_checkpoint,
    _store,
    _verify_recent,
    _Walker,
    status,
    verify,
    verify_chain,
    verify_full,
)

__all__ = [
    "GENESIS",
    "HASHED_FIELDS",
    "PLATFORM_CHAIN",
    "REDACTED_KEYS",
    "Broken",
    "ChainStatus",
    "checkpoint",
    "checkpoint_signature",
    "entry_hash",
    "record",
    "reset_schedule",
    "run_due",
    "status",
    "verify",
    "verify_chain",
    "verify_full",
    # Helpers, importable from here as before the split.
    "_ADVANCE_SQL",
    "_DUE_KEY",
    "_HEAD",
    "_SET_HEAD_SQL",
    "_Walker",
    "_chains",
    "_check_anchor",
    "_checkpoint_every",
    "_intact",
    "_key",
    "_latest_checkpoint",
    "_moment",
    "_redact",
    "_sealed",
    "_store",
    "_verify_recent",
    "_write_checkpoint",
]
