"""Checkpoints of the audit chains: a chain's head anchored in a signed checkpoint, on
`miniport audit checkpoint` and on the background worker's schedule."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from miniport.core import clock, policy
from miniport.core.audit.digest import checkpoint_signature
from miniport.core.audit.verification import (
    Broken,
    _chains,
    _latest_checkpoint,
    _verify_recent,
    verify,
)
from miniport.core.models import AuditChainHead, AuditCheckpoint


def _write_checkpoint(chain: str, seq: int, head_hash: str) -> AuditCheckpoint:
    checkpoint = AuditCheckpoint(
        chain=chain, seq=seq, head_hash=head_hash, count=seq, at=clock.now(), signature=""
    )
    checkpoint.signature = checkpoint_signature(checkpoint)
    checkpoint.save()
    return checkpoint


def checkpoint(chain: str | None = None) -> tuple[list[AuditCheckpoint], list[Broken]]:
    """Anchor the head of `chain` (every chain when None) in a signed checkpoint, where it
    moved since the last one. A chain whose newest rows do not verify is not anchored:
    its problem is returned instead."""
    written: list[AuditCheckpoint] = []
    problems: list[Broken] = []
    for name in _chains(chain):
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().filter(chain=name).first()
            if head is None or head.seq == 0:
                continue
            broken = _verify_recent(name)
            if broken is not None:
                problems.append(broken)
                continue
            latest = _latest_checkpoint(name)
            if latest is not None and latest.seq >= head.seq:
                continue
            written.append(_write_checkpoint(name, head.seq, head.hash))
    return written, problems


_DUE_KEY = "miniport:audit:anchor-due"


def run_due() -> tuple[int, Broken | None] | None:
    """The background worker's pass, at most every `audit.anchor_interval_minutes`
    (processes sharing the cache share the schedule): each chain's head anchored in a
    checkpoint where it moved, and every chain verified from its latest checkpoint (the
    stored results the ops page shows). Returns the checkpoints written and the first
    problem, or None when no pass was due."""
    interval = max(1, policy.value("audit.anchor_interval_minutes")) * 60
    if not cache.add(_DUE_KEY, 1, timeout=interval):
        return None
    written, problems = checkpoint()
    broken = verify()
    return len(written), broken or (problems[0] if problems else None)


def reset_schedule() -> None:
    """Forget when the last pass ran (the next `run_due` runs one)."""
    cache.delete(_DUE_KEY)
