"""B-5 and the visit status in the console: rollback to one of the last 5 released
versions chosen from a list, and pausing or resuming the service after a confirmation.
Each action is a POST through the permission table (the administrator); a refusal
shows the coded message and changes nothing."""

from __future__ import annotations

import pytest

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from miniport.releases.selectors import visit_open
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture, browser  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    released,
    snapshot,
)

pytestmark = pytest.mark.django_db


def release_all(app, versions) -> list[Release]:
    return [released(app, version) for version in versions]


# --- rollback ----------------------------------------------------------------------------


def test_the_rollback_list_holds_the_last_five_released_versions(app, admin):
    """B-5: rollback to any of the last 5 released versions: a list, the latest first,
    without the online one."""
    release_all(app, [f"1.0.{n}" for n in range(7)])
    response = admin.get("/versions/rollback/")
    assert response.status_code == 200
    listed = [target.dev_version.user_version for target in response.context["targets"]]
    assert listed == ["1.0.5", "1.0.4", "1.0.3", "1.0.2", "1.0.1"]
    html = response.content.decode()
    assert "1.0.0" not in html.split('data-testid="rollback-targets"')[1]
    assert 'data-testid="rollback-link"' in admin.get("/versions/").content.decode()


def test_rolling_back_puts_the_chosen_version_online(app, admin):
    """B-5: the chosen earlier version is online again."""
    first, _second, _third = release_all(app, ["1.0.0", "1.0.1", "1.0.2"])
    response = admin.post("/versions/rollback/", {"release": first.pk})
    assert response.status_code == 302 and response.url == "/versions/"
    current = Release.objects.get(state="current")
    assert current.dev_version.user_version == "1.0.0" and current.rollback_of_id == first.pk


def test_a_version_beyond_the_last_five_is_refused_with_87012(app, admin):
    """B-5: only the kept versions (87012 otherwise)."""
    releases = release_all(app, [f"1.0.{n}" for n in range(7)])
    before = snapshot()
    response = admin.post("/versions/rollback/", {"release": releases[0].pk})
    assert response.status_code == 409
    assert ReleaseError.ROLLBACK_FORBIDDEN.message("en", limit=5) in response.content.decode()
    assert snapshot() == before


def test_the_online_version_or_a_forged_one_is_no_rollback_target(app, admin, provision):
    _first, second = release_all(app, ["1.0.0", "1.0.1"])
    before = snapshot()
    for value in (second.pk, "", "x", 999999):
        response = admin.post("/versions/rollback/", {"release": value})
        assert response.status_code == 409
        assert ReleaseError.ROLLBACK_FORBIDDEN.message("en", limit=5) in response.content.decode()
    assert snapshot() == before


def test_the_rollback_depth_is_the_policy_rows(app, admin):
    PolicyOverride.objects.create(key="release.rollback_depth", value=2)
    policy.forget_cached()
    release_all(app, ["1.0.0", "1.0.1", "1.0.2", "1.0.3"])
    targets = admin.get("/versions/rollback/").context["targets"]
    assert [t.dev_version.user_version for t in targets] == ["1.0.2", "1.0.1"]


def test_a_rollback_while_a_gray_release_runs_is_refused_with_87011(app, admin):
    first, _second = release_all(app, ["1.0.0", "1.0.1"])
    approved_version(app, "1.1.0")
    admin.post("/versions/gray/", {"percentage": "10"})
    page = admin.get("/versions/rollback/").content.decode()
    assert 'data-testid="gray-running"' in page
    before = snapshot()
    response = admin.post("/versions/rollback/", {"release": first.pk})
    assert ReleaseError.ROLLBACK_GRAY_RUNNING.message("en") in response.content.decode()
    assert snapshot() == before


def test_only_the_administrator_rolls_back(app):
    first, _second = release_all(app, ["1.0.0", "1.0.1"])
    developer = browser(app.developer)
    before = snapshot()
    assert developer.get("/versions/rollback/").status_code == 403
    assert developer.post("/versions/rollback/", {"release": first.pk}).status_code == 403
    assert snapshot() == before


# --- visit status ------------------------------------------------------------------------


def test_pausing_the_service_asks_for_a_confirmation_first(app, admin):
    """Visit status off, with a confirmation: the link opens the confirmation page; a POST
    without the confirmation changes nothing."""
    released(app)
    card = admin.get("/versions/").content.decode()
    assert 'data-testid="visit-pause"' in card
    page = admin.get("/versions/visit/", {"open": "0"})
    assert page.status_code == 200 and 'data-testid="visit-confirmed"' in page.content.decode()
    before = snapshot()
    unconfirmed = admin.post("/versions/visit/", {"open": "0"})
    assert (
        unconfirmed.status_code == 400
        and 'data-testid="unconfirmed"' in unconfirmed.content.decode()
    )
    assert snapshot() == before
    done = admin.post("/versions/visit/", {"open": "0", "confirmed": "on"})
    assert done.status_code == 302 and visit_open(app.miniprogram) is False
    assert 'data-open="0"' in admin.get("/versions/").content.decode()


def test_resuming_the_service_opens_it_again(app, admin):
    released(app)
    admin.post("/versions/visit/", {"open": "0", "confirmed": "on"})
    assert 'data-testid="visit-resume"' in admin.get("/versions/").content.decode()
    admin.post("/versions/visit/", {"open": "1", "confirmed": "on"})
    assert visit_open(app.miniprogram) is True


def test_pausing_with_nothing_online_is_refused_with_85021(app, admin):
    before = snapshot()
    response = admin.post("/versions/visit/", {"open": "0", "confirmed": "on"}, follow=True)
    assert (
        sentence(ReleaseError.VISIT_STATUS_NOT_ALLOWED.message("en")) in response.content.decode()
    )
    assert snapshot() == before


def test_only_the_administrator_changes_the_visit_status(app):
    released(app)
    developer = browser(app.developer)
    assert 'data-testid="visit-pause"' not in developer.get("/versions/").content.decode()
    before = snapshot()
    assert developer.post("/versions/visit/", {"open": "0", "confirmed": "on"}).status_code == 403
    assert snapshot() == before
