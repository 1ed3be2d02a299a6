"""Issue 9 item 7 and item 10: the audit chain is keyed and anchored. Each hashed field
edited in the database is detected; so is an edit whose hashes were recomputed without
the key (plain SHA-256, or HMAC under a guessed key), entries deleted from the end of a
chain (through its signed checkpoint), an entry deleted in the middle, and an edited or
forged checkpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import audit, origin
from miniport.core.actors import Actor
from miniport.core.models import AuditChainHead, AuditCheckpoint, AuditEntry
from tests.core.audit_support import plain_sha256, rewrite_from, wrong_key_hmac

pytestmark = pytest.mark.django_db

CHAIN = "wx00000000000000aa"

# Each hashed field and a value an attacker would put there.
EDITS = {
    "actor_kind": "staff",
    "actor_id": "999",
    "actor_label": "someone-else@example.com",
    "action": "test.innocent",
    "target_type": "Other",
    "target_id": "4242",
    "appid": "wx00000000000000bb",
    "before": {"n": -1},
    "after": {"n": 999},
    "origin_ip": "203.0.113.9",
    "origin_agent": "forged agent",
    "at": None,  # moved a day back (below)
}


def test_the_tamper_cases_cover_every_hashed_field_of_the_content():
    """The structural fields (chain, seq, prev_hash) have their own tests below."""
    assert set(EDITS) == set(audit.HASHED_FIELDS) - {"chain", "seq", "prev_hash"}


class _Target:
    pk = 7


@pytest.fixture
def history():
    """Five entries of one mini program's chain, every field filled."""
    token = origin.set_current(origin.Origin(ip="198.51.100.4", agent="test agent"))
    try:
        actor = Actor("account", "12", "owner@example.com")
        rows = [
            audit.record(
                actor,
                "test.change",
                target=_Target(),
                appid=CHAIN,
                before={"n": n - 1},
                after={"n": n},
            )
            for n in range(1, 6)
        ]
    finally:
        origin.reset(token)
    assert audit.verify_full() is None and audit.verify() is None
    return rows


def _edit(entry: AuditEntry, field: str) -> None:
    value = entry.at - timedelta(days=1) if field == "at" else EDITS[field]
    AuditEntry.objects.filter(pk=entry.pk).update(**{field: value})


def _found(broken, entry: AuditEntry) -> None:
    assert broken is not None
    assert broken.entry == entry.pk, str(broken)


@pytest.mark.parametrize("field", list(EDITS))
def test_a_field_edited_in_the_database_is_detected(history, field):
    tampered = history[2]
    _edit(tampered, field)
    _found(audit.verify_full(), tampered)
    _found(audit.verify(CHAIN), tampered)


@pytest.mark.parametrize("digest", [plain_sha256, wrong_key_hmac], ids=["sha256", "wrong-key"])
@pytest.mark.parametrize("field", list(EDITS))
def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_detected(
    history, field, digest
):
    tampered = history[2]
    _edit(tampered, field)
    rewrite_from(CHAIN, tampered.seq, digest)
    # The links now agree with each other; only the key tells them apart.
    rows = list(AuditEntry.objects.filter(chain=CHAIN).order_by("seq"))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    _found(audit.verify_full(), tampered)
    _found(audit.verify(CHAIN), tampered)


def test_moving_an_entry_to_another_place_or_chain_is_detected(history):
    AuditEntry.objects.filter(pk=history[4].pk).update(seq=9)
    assert audit.verify_full() is not None
    AuditEntry.objects.filter(pk=history[4].pk).update(seq=history[4].seq, chain="")
    assert audit.verify_full() is not None


def test_an_edited_link_is_detected(history):
    AuditEntry.objects.filter(pk=history[3].pk).update(prev_hash="f" * 64)
    _found(audit.verify_full(), history[3])


def test_entries_deleted_from_the_end_below_a_checkpoint_are_detected(history):
    """Truncation: the head record fixed to the new last entry, as a careful attacker
    would, still leaves the signed checkpoint naming an entry that is gone."""
    written, problems = audit.checkpoint(CHAIN)
    assert [p.seq for p in written] == [5] and problems == []
    AuditEntry.objects.filter(chain=CHAIN, seq__gte=4)._raw_delete(AuditEntry.objects.db)
    AuditChainHead.objects.filter(chain=CHAIN).update(seq=3, hash=history[2].hash)
    for broken in (audit.verify(CHAIN), audit.verify_full()):
        assert broken is not None and "truncated" in broken.problem, broken


def test_entries_deleted_from_the_end_are_detected_by_the_head(history):
    AuditEntry.objects.filter(chain=CHAIN, seq__gte=4)._raw_delete(AuditEntry.objects.db)
    for broken in (audit.verify(CHAIN), audit.verify_full()):
        assert broken is not None and "deleted from the end" in broken.problem, broken


def test_a_whole_chain_deleted_is_detected(history):
    audit.checkpoint(CHAIN)
    AuditEntry.objects.filter(chain=CHAIN)._raw_delete(AuditEntry.objects.db)
    AuditChainHead.objects.filter(chain=CHAIN).delete()
    assert audit.verify() is not None
    assert audit.verify_full() is not None


def test_an_entry_deleted_in_the_middle_is_detected(history):
    AuditEntry.objects.filter(pk=history[2].pk)._raw_delete(AuditEntry.objects.db)
    for broken in (audit.verify(CHAIN), audit.verify_full()):
        _found(broken, history[3])
        assert "missing" in broken.problem


def test_an_entry_deleted_before_the_last_checkpoint_is_found_by_the_full_walk(history):
    audit.checkpoint(CHAIN)
    AuditEntry.objects.filter(pk=history[1].pk)._raw_delete(AuditEntry.objects.db)
    _found(audit.verify_full(), history[2])


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 4},
        {"count": 4},
        {"head_hash": "0" * 64},
        {"chain": ""},
        {"at_shift": True},
    ],
    ids=["seq", "count", "head", "chain", "at"],
)
def test_an_edited_checkpoint_is_detected(history, change):
    (point,), _ = audit.checkpoint(CHAIN)
    if change.pop("at_shift", False):
        change = {"at": point.at - timedelta(hours=1)}
    AuditCheckpoint.objects.filter(pk=point.pk).update(**change)
    assert audit.verify() is not None
    assert audit.verify_full() is not None


def test_a_checkpoint_forged_without_the_key_is_detected(history):
    """Forging a checkpoint at a shorter head (to cover a truncation) needs the key."""
    AuditEntry.objects.filter(chain=CHAIN, seq=5)._raw_delete(AuditEntry.objects.db)
    AuditChainHead.objects.filter(chain=CHAIN).update(seq=4, hash=history[3].hash)
    forged = AuditCheckpoint(
        chain=CHAIN, seq=4, head_hash=history[3].hash, count=4, at=history[3].at, signature=""
    )
    forged.signature = audit.checkpoint_signature(forged, key=b"guessed")
    forged.save()
    assert audit.verify(CHAIN) is not None
    assert audit.verify_full() is not None


def test_the_same_content_hashes_differently_under_another_key(history, settings):
    entry = AuditEntry.objects.get(pk=history[0].pk)
    assert audit.entry_hash(entry) == entry.hash
    settings.AUDIT_KEY = "another-key"
    assert audit.entry_hash(entry) != entry.hash
    assert audit.verify_full() is not None


def test_a_removed_head_record_is_detected(history):
    AuditChainHead.objects.filter(chain=CHAIN).delete()
    for broken in (audit.verify(CHAIN), audit.verify_full()):
        assert broken is not None and "head record is missing" in broken.problem, broken
