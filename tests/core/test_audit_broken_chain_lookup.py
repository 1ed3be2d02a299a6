"""Issue 14 item 2: the audit page asks, on every view, for the newest chain whose last
verification found a problem; a partial index on the broken chains answers that by one
seek however many chains (one per mini program) were verified."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.core import audit, clock
from miniport.core.models import AuditChainCheck

pytestmark = pytest.mark.django_db


def _check(chain: str, *, ok: bool, minutes: int) -> None:
    AuditChainCheck.objects.create(
        chain=chain,
        checked_at=clock.now() - timedelta(minutes=minutes),
        ok=ok,
        problem="" if ok else f"broken {chain}",
    )


def test_the_status_names_the_newest_broken_chain():
    """Issue 14 item 2: among many sound chains, the newest of the broken ones."""
    for i in range(20):
        _check(f"wx{i:016d}", ok=True, minutes=i)
    _check("wxold", ok=False, minutes=50)
    _check("wxnew", ok=False, minutes=30)
    status = audit.status("")
    assert status.elsewhere is not None and status.elsewhere.chain == "wxnew"
    assert not status.ok


def test_the_broken_chain_lookup_reads_the_partial_index():
    """Issue 14 item 2: EXPLAIN of the statement the page sends names audit_check_broken
    (SQLite had scanned the table and sorted it, ignoring an (ok, checked_at) index)."""
    _check("wxa", ok=True, minutes=1)
    with CaptureQueriesContext(connection) as captured:
        audit.status("")
    [sql] = [q["sql"] for q in captured.captured_queries if "core_auditchaincheck" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test's table is tiny
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_check_broken" in plan
