"""Issue 14 item 2: every page and endpoint that `make bench-scale` times costs the same
number of queries however large the platform grows, and none of them counts or skips
over a growing table to answer.

Each test draws its page (or calls its endpoint) on a small platform, grows the platform
by hundreds of rows of every kind the large database holds (`tests/scale/growth.py`),
draws it again and compares the statements sent. The time is `make bench-scale`'s to
measure; here the count is asserted, on SQLite and on PostgreSQL.

The count is taken after two warm-up calls, on a cold policy cache, so that it is the
same on both databases: the first calls of a path write what later calls find (a token
is minted, a lease of counted calls taken), and answers SQLite's hot path remembers
between calls are never remembered inside a test's transaction (`hotpath.change_stamp`).
"""

from __future__ import annotations

import difflib
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from miniport.core import policy, quotas
from miniport.miniprograms.services import credential_sql
from tests.miniprograms.conftest import console_login
from tests.openapi.wire import Wire, issue_code
from tests.releases.version_support import make_app, released
from tests.runtime.conftest import HOST_ID, HOST_SECRET
from tests.runtime.launch_support import HOST, session_of
from tests.scale import growth

pytestmark = pytest.mark.django_db

# More than a page of every list (the policy's 50 rows) before the first count, and many
# times more before the second.
SMALL, GROWTH = 60, 300

# A count that stops at its LIMIT (a bounded total, `ops.views.common.bounded_count`).
BOUNDED_COUNT = re.compile(r"COUNT\(\*\).*\bFROM \(SELECT .* LIMIT \d+\)", re.S)
# jscode2session's per-user minute limit counts one user's codes of one mini program in
# the last minute: a short range of the `logincode_user_created` index, whatever the size
# of the table.
USER_MINUTE_COUNT = re.compile(
    r"COUNT\(\*\) FROM miniprograms_logincode "
    r"WHERE identity_id = %s AND miniprogram_id = %s AND created_at > %s"
)


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Leases and remembered lookups live in the process; each test starts without."""
    quotas.forget_leases()
    credential_sql.forget_remembered()
    yield
    quotas.forget_leases()
    credential_sql.forget_remembered()


@pytest.fixture
def platform(db):
    """A small platform: a page's worth of every kind of row."""
    growth.grow(SMALL)


def statements(call) -> list[str]:
    policy.forget_cached()
    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def unbounded(sql: str) -> bool:
    """A statement whose work grows with a table: an OFFSET, or a COUNT that is not
    bounded by a LIMIT or an index range."""
    if re.search(r"\bOFFSET\b", sql):
        return True
    if "COUNT(" not in sql.upper():
        return False
    return not (BOUNDED_COUNT.search(sql) or USER_MINUTE_COUNT.search(sql))


def assert_flat(call, *, prepare=None) -> int:
    """The statements of `call` on the small platform and after it grew: as many, and
    none unbounded. Returns the count. `prepare` runs before each call, uncounted."""

    def counted() -> list[str]:
        if prepare is not None:
            prepare()
        return statements(call)

    counted()
    counted()
    small = counted()
    growth.grow(GROWTH)
    large = counted()
    assert len(large) == len(small), "\n".join(
        difflib.unified_diff(small, large, "small", "large", lineterm="")
    )
    assert [sql for sql in large if unbounded(sql)] == []
    return len(large)


def test_a_count_without_a_limit_or_an_offset_is_unbounded():
    """The check itself (issue 14 item 2): what it must flag and what it lets through."""
    assert unbounded('SELECT COUNT(*) AS "__count" FROM "review_review" WHERE "state" = %s')
    assert unbounded('SELECT "id" FROM "accounts_registration" LIMIT 50 OFFSET 100000')
    assert not unbounded(
        'SELECT COUNT(*) FROM (SELECT 1 AS "a" FROM "review_review" LIMIT 1001) subquery'
    )
    assert not unbounded('SELECT "id" FROM "review_review" ORDER BY "id" LIMIT 51')


# --- the console pages of one mini program -------------------------------------------------

CONSOLE_PAGES = {"home": "/", "members": "/members/", "basic settings": "/settings/basic/"}


@pytest.mark.parametrize("path", CONSOLE_PAGES.values(), ids=CONSOLE_PAGES.keys())
def test_a_console_page_costs_the_same_queries_on_a_grown_platform(platform, provision, path):
    """Issue 14 item 2: the console home, members and basic settings pages read only the
    session's mini program, by indexed lookups."""
    app = provision("personal")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    console_login(browser, app.miniprogram.admin_identity)

    def draw():
        assert browser.get(path).status_code == 200

    assert_flat(draw)


# --- the ops desk's lists ---------------------------------------------------------------

OPS_PAGES = {
    "registrations": "/ops/registrations/",
    "registrations waiting for a remittance": "/ops/registrations/?status=pending_remittance",
    "registrations of enterprises": "/ops/registrations/?subject_type=enterprise",
    "review queue": "/ops/reviews/",
    "name reviews": "/ops/reviews/?kind=name",
    "reviews in every state": "/ops/reviews/?state=all",
    "audit log": "/ops/audit/",
    "audit log of one action family": "/ops/audit/?action=member.",
    "merchants": "/ops/merchants/",
    "certification fees": "/ops/certification/fees/",
}


@pytest.mark.parametrize("path", OPS_PAGES.values(), ids=OPS_PAGES.keys())
def test_an_ops_list_costs_the_same_queries_on_a_grown_platform(platform, staff_client, path):
    """Issue 14 item 2: keyset pages, bounded totals, indexed filters."""

    def draw():
        assert staff_client.get(path).status_code == 200

    assert_flat(draw)


def test_the_audit_log_of_one_mini_program_costs_the_same_queries_on_a_grown_platform(
    platform, staff_client, provision
):
    """Issue 14 item 2: the audit log filtered by an AppID, with its chain's status."""
    appid = provision("personal").miniprogram.appid

    def draw():
        assert staff_client.get("/ops/audit/", {"appid": appid}).status_code == 200

    assert_flat(draw)


def test_the_second_page_of_a_list_costs_what_the_first_does(platform, staff_client):
    """Issue 14 item 2: a later page is read from its cursor, not by skipping rows."""
    first = staff_client.get("/ops/registrations/").content.decode()
    following = re.search(r'href="\?([^"]*)" rel="next"', first).group(1)

    def draw():
        assert staff_client.get(f"/ops/registrations/?{following}").status_code == 200

    assert assert_flat(draw) == len(statements(lambda: staff_client.get("/ops/registrations/")))


# --- the API hot paths ------------------------------------------------------------------


def test_stable_token_costs_the_same_queries_on_a_grown_platform(platform, client, provision):
    """Issue 14 item 2: /cgi-bin/stable_token."""
    app = provision("personal")
    wire = Wire(client)
    body = {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}

    def call():
        assert "access_token" in wire.post("/cgi-bin/stable_token", body)

    assert_flat(call)


def test_jscode2session_costs_the_same_queries_on_a_grown_platform(
    platform, client, provision, make_identity
):
    """Issue 14 item 2: /sns/jscode2session, each call with a code issued for it."""
    app = provision("personal")
    user = make_identity()
    wire = Wire(client)
    code = {}

    def issue():
        code["now"] = issue_code(app.miniprogram, user)

    def call():
        answer = wire.get(
            "/sns/jscode2session",
            appid=app.miniprogram.appid,
            secret=app.secret,
            js_code=code["now"],
            grant_type="authorization_code",
        )
        assert "openid" in answer, answer

    assert_flat(call, prepare=issue)


def test_launch_costs_the_same_queries_on_a_grown_platform(
    platform, client, provision, make_identity, settings
):
    """Issue 14 item 2: /runtime/v1/launch of a released mini program."""
    settings.RUNTIME_HOST_APPS = {HOST_ID: HOST_SECRET}
    app = make_app(provision, make_identity)
    released(app, "1.0.0")
    session = session_of(app.outsider)

    def call():
        response = client.get(
            "/runtime/v1/launch",
            {"appid": app.appid, "env": "release"},
            HTTP_X_HOST_APP=HOST,
            HTTP_X_IDENTITY_SESSION=session,
        )
        assert json.loads(response.content)["errcode"] == 0

    assert_flat(call)
