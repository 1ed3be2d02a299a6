"""Verifying the audit chains: bounded (the latest checkpoint and the rows since, per
chain) and full (every row and every checkpoint); the results stored per chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from miniport.core import clock
from miniport.core.audit.digest import GENESIS, _intact, _sealed
from miniport.core.models import AuditChainCheck, AuditChainHead, AuditCheckpoint, AuditEntry


@dataclass(frozen=True)
class Broken:
    """The first problem verification found in one chain."""

    chain: str
    problem: str
    entry: int | None = None  # the row that is broken, where one row is
    seq: int | None = None

    def __str__(self) -> str:
        name = self.chain or "platform"
        where = f"entry #{self.entry}" if self.entry is not None else "chain"
        place = f" (seq {self.seq})" if self.seq is not None else ""
        return f"audit chain {name}: {where}{place}: {self.problem}"


# --- verifying -----------------------------------------------------------------------


def _chains(chain: str | None) -> list[str]:
    if chain is not None:
        return [chain]
    heads = set(AuditChainHead.objects.values_list("chain", flat=True))
    anchored = set(AuditCheckpoint.objects.values_list("chain", flat=True).distinct())
    return sorted(heads | anchored)


def _latest_checkpoint(chain: str) -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.filter(chain=chain).order_by("-seq").first()


class _Walker:
    """Follows one chain row by row from a known place."""

    def __init__(self, chain: str, seq: int = 0, prev: str = GENESIS):
        self.chain = chain
        self.seq = seq
        self.prev = prev

    def step(self, entry: AuditEntry) -> Broken | None:
        expected = self.seq + 1
        if entry.seq != expected:
            return Broken(
                self.chain,
                f"entry {expected} of the chain is missing (deleted)",
                entry.pk,
                entry.seq,
            )
        if entry.prev_hash != self.prev:
            return Broken(
                self.chain,
                "its link to the entry before was changed, or that entry was",
                entry.pk,
                entry.seq,
            )
        if not _intact(entry):
            return Broken(
                self.chain, "the entry was changed after it was written", entry.pk, entry.seq
            )
        self.seq, self.prev = entry.seq, entry.hash
        return None

    def end(self, head: AuditChainHead | None) -> Broken | None:
        if head is None:
            if self.seq:
                return Broken(self.chain, "the chain's head record is missing")
            return None
        if head.seq != self.seq or head.hash != self.prev:
            if head.seq > self.seq:
                problem = (
                    f"the chain ends at entry {self.seq} but its head is entry {head.seq}: "
                    "entries were deleted from the end"
                )
            else:
                problem = "the chain's head record does not match its newest entry"
            return Broken(self.chain, problem, seq=self.seq)
        return None


def _check_anchor(checkpoint: AuditCheckpoint) -> tuple[AuditEntry | None, Broken | None]:
    chain = checkpoint.chain
    if not _sealed(checkpoint) or checkpoint.count != checkpoint.seq:
        return None, Broken(
            chain, f"the checkpoint at entry {checkpoint.seq} was changed", seq=checkpoint.seq
        )
    anchored = AuditEntry.objects.filter(chain=chain, seq=checkpoint.seq).first()
    if anchored is None:
        return None, Broken(
            chain,
            f"entry {checkpoint.seq}, anchored by a signed checkpoint, is gone: "
            "the chain was truncated",
            seq=checkpoint.seq,
        )
    if anchored.hash != checkpoint.head_hash or not _intact(anchored):
        return anchored, Broken(
            chain,
            "the entry anchored by a signed checkpoint was changed",
            anchored.pk,
            anchored.seq,
        )
    return anchored, None


def _verify_recent(chain: str) -> Broken | None:
    """The latest checkpoint of `chain` and the rows from the one it anchors on (bounded
    work, the same statements at any size of the chain)."""
    latest = _latest_checkpoint(chain)
    head = AuditChainHead.objects.filter(chain=chain).first()
    walker = _Walker(chain)
    rows = AuditEntry.objects.filter(chain=chain)
    if head is None and latest is None:
        # No head and no checkpoint: an unknown chain, or one whose records were removed.
        first = rows.order_by("seq").first()
        if first is None:
            return None
        return Broken(chain, "the chain's head record is missing", first.pk, first.seq)
    if latest is not None:
        if not _sealed(latest) or latest.count != latest.seq:
            return Broken(
                chain, f"the checkpoint at entry {latest.seq} was changed", seq=latest.seq
            )
        rows = rows.filter(seq__gte=latest.seq)
    if head is not None:
        rows = rows.filter(seq__lte=head.seq)  # rows written after the head was read wait
    anchor = latest
    anchored_hash = latest.head_hash if latest is not None else ""
    for entry in rows.order_by("seq").iterator(chunk_size=500):
        if anchor is not None:
            if entry.seq != anchor.seq:
                break
            anchor = None
            if entry.hash != anchored_hash or not _intact(entry):
                return Broken(
                    chain,
                    "the entry anchored by a signed checkpoint was changed",
                    entry.pk,
                    entry.seq,
                )
            walker = _Walker(chain, entry.seq, entry.hash)
            continue
        broken = walker.step(entry)
        if broken is not None:
            return broken
    if anchor is not None:
        return Broken(
            chain,
            f"entry {anchor.seq}, anchored by a signed checkpoint, is gone: "
            "the chain was truncated",
            seq=anchor.seq,
        )
    return walker.end(head)


def _store(chain: str, broken: Broken | None, *, full: bool) -> None:
    checkpoint_seq = (
        AuditCheckpoint.objects.filter(chain=chain)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    head_seq = AuditChainHead.objects.filter(chain=chain).values_list("seq", flat=True).first()
    if broken is None and head_seq is None and checkpoint_seq is None:
        return  # no such chain (an appid typed into a filter): nothing to remember
    AuditChainCheck.objects.update_or_create(
        chain=chain,
        defaults={
            "checked_at": clock.now(),
            "ok": broken is None,
            "seq": head_seq or 0,
            "checkpoint_seq": checkpoint_seq or 0,
            "full": full,
            "broken_entry": broken.entry if broken else None,
            "broken_seq": broken.seq if broken else None,
            "problem": broken.problem[:200] if broken else "",
        },
    )


def verify(chain: str | None = None, *, store: bool = True) -> Broken | None:
    """Check the latest checkpoint of `chain` (every chain when None) and the rows since;
    return the first problem or None. The result is stored per chain."""
    first: Broken | None = None
    for name in _chains(chain):
        broken = _verify_recent(name)
        if store:
            _store(name, broken, full=False)
        first = first or broken
    return first


def verify_full(chain: str | None = None, *, store: bool = True) -> Broken | None:
    """Walk every row and every checkpoint of `chain` (every chain when None)."""
    names = _chains(chain)
    rows = AuditEntry.objects.order_by("chain", "seq")
    if chain is not None:
        rows = rows.filter(chain=chain)
    else:
        # Rows of a chain whose head and checkpoints were removed are walked too.
        names = sorted(set(names) | set(rows.values_list("chain", flat=True).distinct()))
    first: Broken | None = None
    results: dict[str, Broken | None] = {}
    heads = {h.chain: h for h in AuditChainHead.objects.filter(chain__in=names)}
    anchors: dict[str, list[AuditCheckpoint]] = {}
    for point in AuditCheckpoint.objects.filter(chain__in=names).order_by("chain", "seq"):
        anchors.setdefault(point.chain, []).append(point)

    walker: _Walker | None = None
    pending: list[AuditCheckpoint] = []

    def close(w: _Walker) -> Broken | None:
        for point in pending:  # checkpoints past the chain's last row
            _, broken = _check_anchor(point)
            if broken is not None:
                return broken
        return w.end(heads.get(w.chain))

    for entry in rows.iterator(chunk_size=2000):
        if walker is None or entry.chain != walker.chain:
            if walker is not None and walker.chain not in results:
                results[walker.chain] = close(walker)
            walker = _Walker(entry.chain)
            pending = list(anchors.get(entry.chain, []))
        if walker.chain in results:
            continue  # this chain is already broken; skip to the next
        broken = walker.step(entry)
        while broken is None and pending and pending[0].seq <= entry.seq:
            point = pending.pop(0)
            if point.seq < entry.seq:
                _, broken = _check_anchor(point)  # names the missing row
            elif not _sealed(point) or point.count != point.seq or point.head_hash != entry.hash:
                broken = Broken(
                    entry.chain, f"the checkpoint at entry {point.seq} was changed", seq=point.seq
                )
        if broken is not None:
            results[walker.chain] = broken
    if walker is not None and walker.chain not in results:
        results[walker.chain] = close(walker)
    for name in names:
        if name not in results:  # no row left at all
            pending = list(anchors.get(name, []))
            results[name] = close(_Walker(name))
    for name in sorted(results):
        broken = results[name]
        if store:
            _store(name, broken, full=True)
        first = first or broken
    return first


def verify_chain() -> int | None:
    """The id of the first broken entry of a full walk of every chain, or None (for
    scripts and tests; pages use `status`, which is bounded)."""
    broken = verify_full(store=False)
    return None if broken is None else broken.entry


def status(chain: str, shown: Iterable[AuditEntry] = ()) -> ChainStatus:
    """What the ops page shows, in constant time: each entry `shown` checked against its
    own hash, `chain` verified from its latest checkpoint, and the newest stored problem
    of any chain (from the last `verify`, say `miniport audit verify --recent` in cron)."""
    broken = None
    for entry in sorted(shown, key=lambda e: e.pk):
        if not _intact(entry):
            broken = Broken(
                entry.chain, "the entry was changed after it was written", entry.pk, entry.seq
            )
            break
    broken = broken or verify(chain)
    elsewhere = AuditChainCheck.objects.filter(ok=False).order_by("-checked_at").first()
    latest = _latest_checkpoint(chain)
    return ChainStatus(chain=chain, broken=broken, checkpoint=latest, elsewhere=elsewhere)


@dataclass(frozen=True)
class ChainStatus:
    chain: str
    broken: Broken | None
    checkpoint: AuditCheckpoint | None
    elsewhere: AuditChainCheck | None

    @property
    def ok(self) -> bool:
        return self.broken is None and self.elsewhere is None
