"""Issue 9 item 7: an existing install's audit log, chained with plain SHA-256 in one
platform-wide chain, is moved into its per-mini-program chains and re-hashed under the
audit key by the core migration, each chain anchored by a signed checkpoint; a log that
was already tampered with is not blessed by the new key."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniport.core import audit, clock
from miniport.core.models import AuditChainHead, AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0003_audit_chains_schema")]
RECHAIN = importlib.import_module("miniport.core.migrations.0004_audit_rechain_under_the_key")
APP = "wx00000000000000f1"


def _old_log(apps, appids: list[str]) -> list[int]:
    """Entries as the old code wrote them: one chain, plain SHA-256."""
    entry_model = apps.get_model("core", "AuditEntry")
    prev, ids = "0" * 64, []
    start = clock.now() - timedelta(days=1)
    for n, appid in enumerate(appids):
        entry = entry_model(
            at=start + timedelta(minutes=n),
            actor_kind="account",
            actor_id="7",
            actor_label="old@example.com",
            action="old.action",
            appid=appid,
            after={"n": n},
            origin_ip="192.0.2.1",
            prev_hash=prev,
            chain="",
            seq=None,
        )
        entry.hash = prev = RECHAIN._old_digest(entry)
        entry.save()
        ids.append(entry.pk)
    return ids


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    yield executor
    executor.loader.build_graph()
    executor.migrate(leaves)


def _forward(executor) -> None:
    executor.loader.build_graph()
    executor.migrate([("core", "0005_audit_chain_constraints")])


def test_old_entries_are_rechained_per_mini_program_under_the_key(executor):
    apps = executor.loader.project_state(BEFORE).apps
    ids = _old_log(apps, [APP, "", APP, APP, ""])
    _forward(executor)
    rows = {e.pk: e for e in AuditEntry.objects.all()}
    assert [(rows[i].chain, rows[i].seq) for i in ids] == [
        (APP, 1),
        ("", 1),
        (APP, 2),
        (APP, 3),
        ("", 2),
    ]
    assert rows[ids[2]].prev_hash == rows[ids[0]].hash
    assert all(audit.entry_hash(e) == e.hash for e in rows.values())
    assert dict(AuditChainHead.objects.values_list("chain", "seq")) == {APP: 3, "": 2}
    assert sorted(AuditCheckpoint.objects.values_list("chain", "seq")) == [("", 2), (APP, 3)]
    assert audit.verify_full() is None
    assert audit.verify() is None


def test_an_old_log_already_tampered_with_stops_the_migration(executor):
    apps = executor.loader.project_state(BEFORE).apps
    ids = _old_log(apps, [APP, "", APP])
    apps.get_model("core", "AuditEntry").objects.filter(pk=ids[1]).update(action="forged")
    with pytest.raises(RuntimeError, match=f"audit entry #{ids[1]} "):
        _forward(executor)
    assert not AuditChainHead.objects.exists()
    apps.get_model("core", "AuditEntry").objects.all().delete()
