"""Issue 14 item 2: the audit log filtered by an action reads each action's newest rows
by the (action, id) index, by equality, and merges them; a family given as a prefix
("member.") selects the same rows, newest first, page by page, as the range did."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.ops import queries

pytestmark = pytest.mark.django_db

ACTIONS = ("member.add", "member.confirm_add", "member.remove", "members.other", "policy.x")


@pytest.fixture
def logged():
    actor = Actor.system("tests")
    for i in range(40):
        audit.record(actor, ACTIONS[i % len(ACTIONS)], appid=f"wx{i % 3:016d}")


def _ids(rows) -> list[int]:
    return [entry.pk for entry in rows]


def _expected(prefix: str, appid: str = "") -> list[int]:
    rows = AuditEntry.objects.filter(action__startswith=prefix).order_by("-id")
    if appid:
        rows = rows.filter(appid=appid)
    return _ids(rows)


@pytest.mark.parametrize("prefix", ["member.", "member.confirm_add", "member", "m", "nothing"])
def test_a_filtered_log_pages_through_the_same_rows_as_the_prefix_selects(logged, prefix):
    """Issue 14 item 2: older pages by the `before` cursor, newer by `after`."""
    rows = queries.audit_entries(action=prefix)
    seen, before = [], None
    while True:
        page, has_older, _ = queries.audit_page(rows, size=3, before=before)
        seen += _ids(page)
        if not has_older:
            break
        before = page[-1].pk
    assert seen == _expected(prefix)
    if len(seen) > 6:
        newer, _, has_newer = queries.audit_page(rows, size=3, after=seen[6])
        assert _ids(newer) == seen[3:6]
        assert has_newer


def test_a_filter_by_action_and_appid_selects_both(logged):
    rows = queries.audit_entries(action="member.", appid="wx" + "0" * 15 + "1")
    page, _, _ = queries.audit_page(rows, size=100)
    assert _ids(page) == _expected("member.", "wx" + "0" * 15 + "1")


def _page_statements(prefix: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        queries.audit_page(queries.audit_entries(action=prefix), size=3)
    return [query["sql"] for query in captured.captured_queries]


def test_a_family_costs_two_statements_whatever_the_number_of_its_actions(logged):
    """Issue 14 item 2: one skip scan names the actions, one statement reads the page."""
    assert len(_page_statements("member.")) == 2
    assert len(_page_statements("m")) == 2
    assert len(_page_statements("member.confirm_add")) == 2


def test_the_page_reads_each_action_by_equality_not_by_a_range(logged):
    """Issue 14 item 2: a range over the (action, id) index is not in id order, so the
    database would sort every matching row of a million-row log."""
    page_sql = _page_statements("member.")[-1]
    assert len(re.findall(r'"action" = ', page_sql)) == 3
    assert '"action" >= ' not in page_sql


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's table is tiny
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_statements_of_a_filtered_page_read_the_action_index(logged):
    """Issue 14 item 2: EXPLAIN (QUERY PLAN) of both statements names the (action, id)
    index, seeks it by equality for the page, and scans no table."""
    naming, page = _page_statements("member.")  # as sent, parameters in place
    for plan in (_plan(naming), _plan(page)):
        assert "audit_action_id" in plan
        assert "SCAN core_auditentry" not in plan  # SQLite
        assert "Seq Scan" not in plan  # PostgreSQL
    if connection.vendor == "sqlite":
        assert _plan(page).count("USING INDEX audit_action_id (action=?)") == 3
