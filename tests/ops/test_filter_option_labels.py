"""The desk's filters (registrations, review queue) offer their options as labels: words
with a capital first letter in English ("Pending ...", "Approved", "Any"), translated on
Chinese pages; never the models' lower-case words as they stand within sentences. (B-11)"""

from __future__ import annotations

import html as html_lib
import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/ops/registrations/", "/ops/reviews/"]


def option_labels(page: str) -> dict[str, list[str]]:
    """Each select's name with the texts of its options."""
    found = {}
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        found[name] = [
            html_lib.unescape(text).strip()
            for text in re.findall(r"<option[^>]*>(.*?)</option>", body, re.S)
        ]
    return found


@pytest.mark.parametrize("path", PAGES)
def test_the_filter_options_begin_with_a_capital_in_english(staff_client, path):
    page = staff_client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    selects = option_labels(page)
    assert selects, "the page has filter selects"
    for name, labels in selects.items():
        for label in labels:
            assert label[:1].isupper(), (name, label)


@pytest.mark.parametrize("path", PAGES)
def test_the_filter_options_are_translated_in_chinese(staff_client, path):
    page = staff_client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for name, labels in option_labels(page).items():
        for label in labels:
            assert not re.match(r"[A-Za-z]", label), (name, label)


def test_the_review_states_read_as_labels(staff_client):
    page = staff_client.get("/ops/reviews/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    states = option_labels(page)["state"]
    assert "Approved" in states and "Rejected" in states and "Any" in states
    assert "approved" not in states and "any" not in states


def test_the_registration_statuses_read_as_labels(staff_client):
    page = staff_client.get("/ops/registrations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    selects = option_labels(page)
    assert "Active" in selects["status"] and "Failed" in selects["status"]
    assert "Personal" in selects["subject_type"] and "Any" in selects["method"]


def test_a_filter_still_takes_its_value(staff_client):
    """Only the labels changed: the values the filters send are the models' own."""
    page = staff_client.get("/ops/reviews/", {"state": "approved"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert re.search(r'<option value="approved" selected>Approved</option>', page.content.decode())
