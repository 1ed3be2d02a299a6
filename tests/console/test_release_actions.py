"""VER-6, VER-7, B-5 in the console: the release button after approval (refused with the
coded message while the operator's public-beta switch is on), the online version card
(version, publisher, time, note, details), gray release by percentage (only upward,
members first, cancel). Every action is a POST with the CSRF token through the
permission table (the administrator releases); a refusal shows the coded message and
changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture, browser  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approve,
    approved_version,
    released,
    snapshot,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def online_card(client) -> str:
    html = client.get("/versions/").content.decode()
    start = html.index('data-testid="online-card"')
    return html[start : html.index("</section>", start)]


def refused(client, path: str, code, data=None, **params) -> None:
    """POST the action, expect its coded message on the page and nothing changed."""
    before = snapshot()
    response = client.post(path, data or {}, follow=True)
    assert response.status_code == 200
    assert sentence(code.message("en", **params)) in response.content.decode()
    assert snapshot() == before


def refused_on_field(client, code, data, **params) -> None:
    """POST a gray release, expect its coded message on the percentage field of the gray
    release form shown again (400; tests/console/test_gray_percentage_on_field.py) and
    nothing changed."""
    before = snapshot()
    response = client.post("/versions/gray/", data)
    assert response.status_code == 400
    assert sentence(code.message("en", **params)) in response.content.decode()
    assert snapshot() == before


# --- release (VER-6) -------------------------------------------------------------------


def test_approval_never_releases_and_the_release_button_does(app, admin):
    """VER-6: release is a manual action after approval."""
    approved_version(app, "1.0.0")
    assert not Release.objects.exists()
    response = admin.post("/versions/release/")
    assert response.status_code == 302 and response.url == "/versions/"
    release = Release.objects.get()
    assert release.state == "current" and release.dev_version.user_version == "1.0.0"


def test_release_without_an_approved_version_shows_85019(app, admin):
    submit(app)
    refused(admin, "/versions/release/", ReleaseError.NOTHING_APPROVED)


def test_release_is_refused_while_the_platform_is_in_public_beta(app, admin):
    """VER-6: while the platform is in public beta, release is disabled: the card says so
    instead of offering the button, and a forced POST is refused."""
    approved_version(app)
    PolicyOverride.objects.create(key="release.public_beta", value=1)
    policy.forget_cached()
    html = admin.get("/versions/").content.decode()
    assert 'data-testid="public-beta"' in html and 'data-testid="release-disabled"' in html
    assert ReleaseError.PUBLIC_BETA.message("en") in html
    refused(admin, "/versions/release/", ReleaseError.PUBLIC_BETA)
    assert not Release.objects.exists()


def test_only_the_administrator_releases(app):
    """Seed 001: developers and operators see version management, not the release."""
    approved_version(app)
    developer = browser(app.developer)
    html = developer.get("/versions/").content.decode()
    assert 'data-testid="release"' not in html
    before = snapshot()
    for path in ("/versions/release/", "/versions/gray/", "/versions/gray/cancel/"):
        assert developer.post(path, {"percentage": "10"}).status_code == 403
    assert snapshot() == before


def test_the_release_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    """VER-6: the card's button opens a page naming the version that goes online and that
    nothing is online yet; only its own button releases."""
    approved_version(app, "1.0.0")
    html = admin.get("/versions/").content.decode()
    assert 'href="/versions/release/" data-testid="release"' in html
    before = snapshot()
    page = admin.get("/versions/release/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="release-candidate">1.0.0' in html
    assert "Nothing: this is the mini program's first release." in html
    assert 'data-testid="release-confirm"' in html
    assert snapshot() == before
    assert admin.post("/versions/release/").status_code == 302
    assert Release.objects.get().dev_version.user_version == "1.0.0"


def test_the_confirmation_names_the_version_it_replaces(app, admin):
    """VER-6: with a version online, the confirmation says which one the release replaces."""
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    html = admin.get("/versions/release/").content.decode()
    assert 'data-testid="release-candidate">1.1.0' in html
    assert "Version 1.0.0, online since" in html


def test_the_confirmation_says_why_there_is_nothing_to_release(app, admin):
    """VER-6: with nothing approved, the page shows the coded refusal and no button."""
    submit(app)
    response = admin.get("/versions/release/")
    assert response.status_code == 409
    html = response.content.decode()
    assert sentence(ReleaseError.NOTHING_APPROVED.message("en")) in html
    assert 'data-testid="release-confirm"' not in html


def test_the_confirmation_after_the_release_says_nothing_approved_waits(app, admin):
    """Once the approved version is online, the page says no approved version waits to
    be released, not that "this version" (which it does not name) is released."""
    released(app, "1.0.0")
    response = admin.get("/versions/release/")
    assert response.status_code == 409
    html = response.content.decode()
    assert sentence(ReleaseError.NOTHING_APPROVED.message("en")) in html
    assert ReleaseError.ALREADY_RELEASED.message("en") not in html
    assert 'data-testid="release-confirm"' not in html


def test_the_actions_are_post_only_and_need_the_csrf_token(app):
    approved_version(app)
    strict = browser(app.admin)
    strict.handler.enforce_csrf_checks = True
    before = snapshot()
    assert strict.get("/versions/gray/").status_code == 405
    assert strict.post("/versions/release/").status_code == 403
    assert strict.post("/versions/gray/", {"percentage": "10"}).status_code == 403
    assert strict.post("/versions/visit/", {"open": "0", "confirmed": "on"}).status_code == 403
    assert snapshot() == before


# --- the online version card (VER-7) ------------------------------------------------------


def test_the_online_card_shows_version_publisher_time_note_and_details(app, admin):
    """VER-7: online version: version, publisher, time, note, details."""
    assert 'data-testid="online-empty"' in online_card(admin)
    release = released(app, "1.2.3")
    html = online_card(admin)
    assert '<td data-testid="online-version">1.2.3</td>' in html
    assert release.released_by_label in html
    assert timezone.localtime(release.released_at).strftime("%Y-%m-%d %H:%M:%S") in html
    assert "note of 1.2.3" in html
    assert 'data-testid="online-details"' in html
    assert release.dev_version.developer_label in html


# --- gray release (B-5) -----------------------------------------------------------------


def gray_ready(app) -> None:
    released(app, "1.0.0")
    approved_version(app, "1.1.0")


def test_a_gray_release_starts_rises_and_goes_to_everyone(app, admin):
    """B-5: gray release by percentage, members first, only upward, then full release."""
    gray_ready(app)
    assert 'data-testid="gray-start"' in admin.get("/versions/").content.decode()
    admin.post("/versions/gray/", {"percentage": "10", "members_first": "on"})
    gray = Release.objects.get(state="gray")
    assert (gray.gray_percentage, gray.members_first) == (10, True)
    html = online_card(admin)
    assert 'data-testid="gray-plan"' in html and "10%" in html
    assert 'data-testid="gray-members-first"' in html
    admin.post("/versions/gray/", {"percentage": "50"})
    gray.refresh_from_db()
    assert (gray.gray_percentage, gray.members_first) == (50, False)
    admin.post("/versions/release/")
    gray.refresh_from_db()
    assert gray.state == "current" and gray.gray_percentage == 100


def test_a_gray_percentage_only_goes_up(app, admin):
    """B-5 (85082): lowering is refused with the current percentage named."""
    gray_ready(app)
    admin.post("/versions/gray/", {"percentage": "30"})
    refused_on_field(admin, ReleaseError.GRAY_PERCENTAGE_TOO_LOW, {"percentage": "20"}, current=30)


@pytest.mark.parametrize("percentage", ["", "abc", "101", "-1", "0"])
def test_an_invalid_percentage_is_refused_with_85081(app, admin, percentage):
    gray_ready(app)
    refused_on_field(admin, ReleaseError.GRAY_PERCENTAGE_INVALID, {"percentage": percentage})


def test_a_gray_release_needs_an_online_version(app, admin):
    """B-5 (85079)."""
    approved_version(app)
    refused(admin, "/versions/gray/", ReleaseError.GRAY_NO_ONLINE_RELEASE, {"percentage": "10"})


def test_cancelling_the_gray_release_gives_everyone_the_online_version(app, admin):
    """B-5: cancel."""
    gray_ready(app)
    admin.post("/versions/gray/", {"percentage": "10"})
    response = admin.post("/versions/gray/cancel/")
    assert response.status_code == 302
    assert not Release.objects.filter(state="gray").exists()
    assert Release.objects.get(state="current").dev_version.user_version == "1.0.0"
    assert 'data-testid="gray-plan"' not in online_card(admin)


def test_cancelling_without_a_gray_release_is_refused(app, admin):
    released(app)
    refused(admin, "/versions/gray/cancel/", ReleaseError.GRAY_NOT_RUNNING)


def test_a_gray_release_is_refused_in_public_beta(app, admin):
    gray_ready(app)
    PolicyOverride.objects.create(key="release.public_beta", value=1)
    policy.forget_cached()
    refused(admin, "/versions/gray/", ReleaseError.PUBLIC_BETA, {"percentage": "10"})


def test_the_release_messages_are_chinese_by_default(app):
    client = browser(app.admin, lang="zh-hans")
    submit(app)
    response = client.post("/versions/release/", follow=True)
    assert ReleaseError.NOTHING_APPROVED.message("zh-hans") in response.content.decode()
