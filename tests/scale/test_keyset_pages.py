"""Issue 14 item 2: the ops desk's lists are keyset pages. Following the next links walks
every row once in the list's order (ties on the ordering key broken by the id), the
previous links walk back through the same pages, the filters stay on the links, a cursor
that does not parse answers the first page, and the review queue's total is counted only
up to the policy's cap."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.accounts.models import Registration, RegistrationStatus
from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.services import policy_set_override
from miniport.payments.models import CertificationApplication, CertificationState, Merchant
from miniport.review.models import Review, ReviewState
from tests.scale import growth

pytestmark = pytest.mark.django_db

PAGE_SIZE = 7
NEXT = re.compile(r'href="\?([^"]*)" rel="next"')
PREVIOUS = re.compile(r'href="\?([^"]*)" rel="prev"')


@pytest.fixture
def grown(staff_client):
    """Three batches, pages of seven rows: every list runs over several pages."""
    for _ in range(3):
        growth.grow(9)
    policy_set_override(actor=Actor.system("tests"), key="ops.page_size", value=PAGE_SIZE)
    return staff_client


def _rows(response, attribute: str) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(rf'<tr {attribute}="(\d+)"', response.content.decode())]


def _link(response, pattern) -> str | None:
    found = pattern.search(response.content.decode())
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str, attribute: str, params: dict | None = None):
    """The pages reached by the next links from the first, then by the previous links
    back from the last; and the query strings of the next links."""
    response = client.get(url, params or {})
    forwards, links = [_rows(response, attribute)], []
    while (link := _link(response, NEXT)) is not None:
        links.append(link)
        response = client.get(f"{url}?{link}")
        forwards.append(_rows(response, attribute))
    backwards = [forwards[-1]]
    while (link := _link(response, PREVIOUS)) is not None:
        response = client.get(f"{url}?{link}")
        backwards.append(_rows(response, attribute))
    return forwards, list(reversed(backwards)), links


def _assert_walks(forwards, backwards, expected):
    assert len(forwards) > 2
    assert all(len(page) == PAGE_SIZE for page in forwards[:-1])
    assert [pk for page in forwards for pk in page] == expected
    assert backwards == forwards


def test_the_registration_list_walks_every_registration_once_newest_first(grown):
    """Issue 14 item 2: keyset pages on the id."""
    forwards, backwards, _ = walk(grown, "/ops/registrations/", "data-registration")
    expected = list(Registration.objects.order_by("-id").values_list("pk", flat=True))
    _assert_walks(forwards, backwards, expected)


def test_the_registration_list_keeps_its_filter_on_every_page_link(grown):
    """Issue 14 item 2: the status filter and the cursor travel together."""
    params = {"status": RegistrationStatus.PENDING_REMITTANCE}
    forwards, backwards, links = walk(grown, "/ops/registrations/", "data-registration", params)
    expected = list(
        Registration.objects.filter(**params).order_by("-id").values_list("pk", flat=True)
    )
    _assert_walks(forwards, backwards, expected)
    assert all(link.startswith("status=pending_remittance&after=") for link in links)


def test_the_review_queue_walks_reviews_with_the_same_submission_time_by_their_id(grown):
    """Issue 14 item 2: keyset pages on (submitted_at, id); many reviews submitted at
    the same moment are neither skipped nor shown twice at a page boundary."""
    same_moment = clock.now() - timedelta(days=1)
    tied = list(Review.objects.order_by("id").values_list("pk", flat=True)[3:20])
    Review.objects.filter(pk__in=tied).update(submitted_at=same_moment)
    forwards, backwards, _ = walk(grown, "/ops/reviews/", "data-review")
    expected = list(
        Review.objects.filter(state=ReviewState.PENDING)
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)
    )
    _assert_walks(forwards, backwards, expected)


def test_the_merchant_list_walks_merchants_created_at_the_same_moment_by_their_id(grown):
    """Issue 14 item 2: keyset pages on (created_at, id), newest first; each batch of
    merchants shares one creation time."""
    forwards, backwards, _ = walk(grown, "/ops/merchants/", "data-merchant")
    expected = list(Merchant.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    _assert_walks(forwards, backwards, expected)


def test_the_certification_fee_list_walks_the_applications_waiting_for_their_fee(grown):
    """Issue 14 item 2: keyset pages on the id within the default filter."""
    forwards, backwards, _ = walk(grown, "/ops/certification/fees/", "data-application")
    expected = list(
        CertificationApplication.objects.filter(state=CertificationState.FEE_UNPAID)
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    _assert_walks(forwards, backwards, expected)


@pytest.mark.parametrize(
    "cursor",
    [
        {"after": "x"},
        {"after": "-3"},
        {"before": "1e9"},
        {"after": "9" * 30},
        {"before": "1_2_3"},
        {"after": "٣"},
        {"page": "2"},
        {"after": "1" * 500},
    ],
)
@pytest.mark.parametrize(
    ("url", "attribute"),
    [
        ("/ops/registrations/", "data-registration"),
        ("/ops/reviews/", "data-review"),
        ("/ops/merchants/", "data-merchant"),
        ("/ops/certification/fees/", "data-application"),
    ],
)
def test_a_cursor_that_names_no_position_answers_the_first_page(grown, url, attribute, cursor):
    """Issue 14 item 2: bad input is never a server error."""
    first = _rows(grown.get(url), attribute)
    assert _rows(grown.get(url, cursor), attribute) == first


def test_a_cursor_past_the_datetime_range_answers_the_first_page(grown):
    """Issue 14 item 2: a number of microseconds no datetime holds."""
    first = _rows(grown.get("/ops/reviews/"), "data-review")
    assert _rows(grown.get("/ops/reviews/", {"after": f"{2**62}_1"}), "data-review") == first


def test_the_queue_total_is_counted_up_to_the_policy_cap(grown):
    """Issue 14 item 2: a total counts at most `ops.count_cap` rows, then shows a plus."""
    pending = Review.objects.filter(state=ReviewState.PENDING).count()
    total = re.compile(r'data-testid="queue-total">([^<]*)<')
    assert total.search(grown.get("/ops/reviews/").content.decode()).group(1) == str(pending)
    policy_set_override(actor=Actor.system("tests"), key="ops.count_cap", value=pending - 1)
    with CaptureQueriesContext(connection) as captured:
        page = grown.get("/ops/reviews/").content.decode()
    assert total.search(page).group(1) == f"{pending - 1}+"
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and f"LIMIT {pending}" in counts[0]
