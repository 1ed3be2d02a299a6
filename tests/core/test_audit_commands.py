"""Issue 9 item 7: `miniport audit verify` walks every entry and exits non-zero with one
line naming the first broken entry; `--recent` checks from the latest checkpoints;
`miniport audit checkpoint` anchors each chain's head (and refuses a broken chain)."""

from __future__ import annotations

import json

import pytest

from miniport.cli import main
from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditCheckpoint, AuditEntry
from miniport.core.services import policy_set_override

pytestmark = pytest.mark.django_db

APP = "wx00000000000000ee"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit:
        status = exit.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return int(status or 0), out, err


@pytest.fixture
def history(db):
    actor = Actor.system("tests")
    rows = [audit.record(actor, "test.write", appid=APP, after={"n": n}) for n in range(4)]
    rows.append(audit.record(actor, "test.platform", after={"n": 9}))
    return rows


def test_verify_prints_one_line_and_exits_zero_when_intact(capsys, history):
    status, out, err = run(capsys, "audit", "verify")
    assert (status, err) == (0, "")
    assert out == "audit log intact: every entry verified\n"
    assert run(capsys, "audit", "verify", "--recent")[0] == 0
    assert run(capsys, "audit", "verify", "--appid", APP)[0] == 0


def test_verify_names_the_first_broken_entry_on_one_line_and_exits_one(capsys, history):
    AuditEntry.objects.filter(pk=history[1].pk).update(actor_label="someone else")
    for args in (("audit", "verify"), ("audit", "verify", "--recent", "--appid", APP)):
        status, out, err = run(capsys, *args)
        assert status == 1 and out == ""
        assert len(err.splitlines()) == 1
        assert err.startswith(f"miniport: error: audit chain {APP}: entry #{history[1].pk} ")
    # The platform chain alone is intact.
    assert run(capsys, "audit", "verify", "--platform")[0] == 0


def test_checkpoint_anchors_each_moved_chain_once(capsys, history):
    status, out, err = run(capsys, "audit", "checkpoint", "--json")
    assert (status, err) == (0, "")
    written = json.loads(out)
    assert sorted((p["chain"], p["seq"], p["count"]) for p in written) == [("", 1, 1), (APP, 4, 4)]
    assert written[0]["signature"]
    # Nothing moved: nothing new.
    assert json.loads(run(capsys, "audit", "checkpoint", "--json")[1]) == []
    assert AuditCheckpoint.objects.count() == 2


def test_checkpoint_refuses_to_anchor_a_broken_chain(capsys, history):
    AuditEntry.objects.filter(pk=history[3].pk).update(after={"n": 99})
    status, out, err = run(capsys, "audit", "checkpoint")
    assert status == 1
    assert "not anchored" in err and APP in err
    assert not AuditCheckpoint.objects.filter(chain=APP).exists()
    assert AuditCheckpoint.objects.filter(chain="").count() == 1


def test_record_writes_a_checkpoint_every_policy_interval(db):
    policy_set_override(actor=Actor.system("tests"), key="audit.checkpoint_every_rows", value=3)
    for n in range(7):
        audit.record(Actor.system("tests"), "test.write", appid=APP, after={"n": n})
    assert list(
        AuditCheckpoint.objects.filter(chain=APP).order_by("seq").values_list("seq", "count")
    ) == [(3, 3), (6, 6)]
    assert audit.verify(APP) is None and audit.verify_full() is None


def test_the_worker_anchors_quiet_chains_and_stores_each_chains_result(db, history):
    """A chain that writes fewer than `audit.checkpoint_every_rows` entries is anchored by
    the worker's pass every `audit.anchor_interval_minutes`, so truncating it shows."""
    from miniport.core.models import AuditChainCheck

    audit.reset_schedule()
    written, broken = audit.run_due()
    assert (written, broken) == (2, None)
    assert audit.run_due() is None  # not due again before the interval
    assert set(AuditChainCheck.objects.values_list("chain", "ok")) == {(APP, True), ("", True)}
    AuditEntry.objects.filter(pk=history[3].pk)._raw_delete(AuditEntry.objects.db)
    audit.reset_schedule()
    written, broken = audit.run_due()
    assert written == 0 and broken is not None and broken.chain == APP
    assert AuditChainCheck.objects.get(chain=APP).ok is False
