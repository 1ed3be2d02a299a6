"""B-5: a gray release's percentage that the service refuses (not a whole number from 0
to 100, 0 without members first, not above the running one) is said on the percentage
field of a gray release form, not only at the top of the page; the form keeps what was
typed and offers to send it again. Refusals about no field (no version online, public
beta) stay the version page's message. Nothing changes."""

from __future__ import annotations

import re

import pytest

from miniport.releases.errors import ReleaseError
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture, browser  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    released,
    snapshot,
)

pytestmark = pytest.mark.django_db

GRAY = "/versions/gray/"


def gray_ready(app) -> None:
    released(app, "1.0.0")
    approved_version(app, "1.1.0")


def field_errors(html: str) -> list[str]:
    found = re.search(r'<ul class="errorlist" id="id_percentage_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def top_errors(html: str) -> list[str]:
    found = re.search(r'<ul class="messages">(.*?)</ul>', html, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", found.group(1)) if found else []


@pytest.mark.parametrize("percentage", ["", "abc", "101", "-1", "0", "12.5"])
def test_an_invalid_percentage_is_said_on_the_percentage_field(app, admin, percentage):
    gray_ready(app)
    before = snapshot()
    response = admin.post(GRAY, {"percentage": percentage})
    assert response.status_code == 400
    html = response.content.decode()
    message = sentence(ReleaseError.GRAY_PERCENTAGE_INVALID.message("en"))
    assert field_errors(html) == [message]
    assert message not in top_errors(html)
    assert f'value="{percentage}"' in html or not percentage
    assert 'data-testid="gray-form"' in html and 'data-testid="gray-submit"' in html
    assert snapshot() == before


def test_a_lower_percentage_is_said_on_the_field_with_the_current_one(app, admin):
    gray_ready(app)
    admin.post(GRAY, {"percentage": "30"})
    before = snapshot()
    response = admin.post(GRAY, {"percentage": "20"})
    assert response.status_code == 400
    html = response.content.decode()
    message = sentence(ReleaseError.GRAY_PERCENTAGE_TOO_LOW.message("en", current=30))
    assert field_errors(html) == [message]
    assert "Version 1.1.0 reaches 30% of users." in html
    assert snapshot() == before


def test_the_field_says_it_in_chinese_on_a_chinese_page(app):
    gray_ready(app)
    response = browser(app.admin, "zh-hans").post(GRAY, {"percentage": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html) == [ReleaseError.GRAY_PERCENTAGE_INVALID.message("zh-hans")]


def test_the_corrected_percentage_sent_from_the_form_starts_the_gray_release(app, admin):
    gray_ready(app)
    html = admin.post(GRAY, {"percentage": "abc"}).content.decode()
    assert 'action="/versions/gray/"' in html
    response = admin.post(GRAY, {"percentage": "10", "members_first": "on"})
    assert response.status_code == 302 and response.url == "/versions/"
    gray = app.miniprogram.releases.get(state="gray")
    assert (gray.gray_percentage, gray.members_first) == (10, True)


def test_a_refusal_about_no_field_stays_the_version_pages_message(app, admin):
    approved_version(app)
    before = snapshot()
    response = admin.post(GRAY, {"percentage": "10"})
    assert response.status_code == 302 and response.url == "/versions/"
    html = admin.get("/versions/").content.decode()
    assert sentence(ReleaseError.GRAY_NO_ONLINE_RELEASE.message("en")) in top_errors(html)
    assert snapshot() == before
