"""Issue 14 item 2: a list page costs the same queries with one row as with a full page:
the review queue describes its rows a kind at a time (`registry.Kind.describe_many`), the
certification fee list reads its rows' reviews at once. (The growth tests compare full
pages, where a query per row is equal on both sides and so passes unseen.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.core import policy
from tests.scale import growth

pytestmark = pytest.mark.django_db


def _count(client, path: str) -> int:
    client.get(path)  # warm up: the first view writes what later ones find
    policy.forget_cached()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/ops/reviews/", "/ops/reviews/?kind=name", "/ops/reviews/?state=all",
     "/ops/certification/fees/"],
)  # fmt: skip
def test_a_page_of_many_rows_costs_what_a_page_of_one_does(staff_client, path):
    """Issue 14 item 2: 1 row, then 60 (more than the page of 50)."""
    growth.grow(1)
    one = _count(staff_client, path)
    growth.grow(60)
    assert _count(staff_client, path) == one
