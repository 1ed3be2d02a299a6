"""Issue 9 item 7: the ops audit page answers in constant time at any size of the log:
keyset pages (no COUNT, no OFFSET) and the chain status from the latest checkpoint, never
a walk of the table. Asserted as query counts (the timing is in `make bench`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from miniport.core import audit
from miniport.core.models import AuditEntry
from tests.core.audit_support import bulk_chain

pytestmark = pytest.mark.django_db

APP = "wx00000000000000cc"


def _page_queries(client, **params) -> tuple[int, list[str]]:
    client.get(reverse("ops:audit"), params)  # warm the session and the policy cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ops:audit"), params)
    assert response.status_code == 200
    assert 'data-chain="intact"' in response.content.decode()
    return len(queries), [q["sql"] for q in queries]


def _grow(total: int) -> None:
    """Platform and app entries, half and half, with the checkpoints record() writes."""
    have = AuditEntry.objects.count()
    bulk_chain("", (total - have) // 2)
    bulk_chain(APP, total - AuditEntry.objects.count())


@pytest.mark.parametrize(
    "params",
    [{}, {"appid": APP}, {"action": "bulk."}, {"before": 5}],
    ids=["newest", "by-appid", "by-action", "older"],
)
def test_the_page_makes_the_same_queries_at_ten_and_at_five_thousand_entries(staff_client, params):
    _grow(10)
    small, _ = _page_queries(staff_client, **params)
    _grow(5000)
    assert AuditEntry.objects.count() == 5000
    large, statements = _page_queries(staff_client, **params)
    assert large == small, statements
    assert not any("COUNT(" in sql.upper() for sql in statements), statements
    assert not any("OFFSET" in sql.upper() for sql in statements), statements
    assert audit.verify_full() is None


def test_the_page_never_reads_more_entries_than_one_checkpoint_interval(staff_client, settings):
    """The rows the page's verification reads are bounded by the checkpoint interval."""
    _grow(5000)
    _, statements = _page_queries(staff_client)
    walks = [sql for sql in statements if "core_auditentry" in sql and '"seq" >' in sql]
    assert walks, statements
    assert all('"seq" <=' in sql for sql in walks), walks
