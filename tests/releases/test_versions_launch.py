"""VER-2: the experience version, one development version chosen as trial, opened only by
members and experience members. Launch resolution (issue 8 §6, B-3): which package an
identity runs in release, trial or develop, honouring the gray percentage
deterministically per identity, members first, and the visit status."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from miniport.core.errors import CoreError, PlatformError
from miniport.identities.selectors import openid_for
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Experience
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    events_of,
    refused,
    released,
    upload,
)

pytestmark = pytest.mark.django_db


def launch(app, identity, env="release"):
    return selectors.launch_manifest(miniprogram=app.miniprogram, identity=identity, env=env)


def set_experience(app, version):
    return services.experience_set(
        actor=app.developer_actor, miniprogram=app.miniprogram, dev_version=version
    )


def test_one_development_version_is_the_experience_version(app):
    """VER-2: one development version chosen as trial; choosing again replaces it."""
    first, second = upload(app, "1.0.0"), upload(app, "1.0.1")
    set_experience(app, first)
    experience = set_experience(app, second)
    assert Experience.objects.filter(miniprogram=app.miniprogram).count() == 1
    assert selectors.experience_of(app.miniprogram).dev_version == second == experience.dev_version
    assert [e["user_version"] for e in events_of("code.experience_set")] == ["1.0.0", "1.0.1"]


def test_the_database_holds_one_experience_per_mini_program(app):
    """VER-2: at most one experience version (database constraint)."""
    version = upload(app)
    experience = set_experience(app, version)
    with pytest.raises(IntegrityError):
        Experience.objects.create(
            miniprogram=app.miniprogram, dev_version=version, set_at=experience.set_at
        )


def test_a_version_of_another_mini_program_cannot_be_the_experience(app, provision, make_identity):
    from tests.releases.version_support import make_app

    other = make_app(provision, make_identity)
    foreign = upload(other)
    error = refused(lambda: set_experience(app, foreign), ReleaseError.VERSION_NOT_FOUND)
    assert error.errcode == 86001


@pytest.mark.parametrize("who", ["admin", "developer", "tester"])
def test_members_and_experience_members_open_the_trial_version(app, who):
    """VER-2: only members and experience members can open it."""
    version = upload(app)
    set_experience(app, version)
    manifest = launch(app, getattr(app, who), "trial")
    assert manifest.dev_version == version and manifest.sha256 == version.package.sha256
    assert manifest.size == version.package.size and manifest.env == "trial"


@pytest.mark.parametrize("env", ["trial", "develop"])
def test_an_outsider_may_not_open_the_trial_or_develop_version(app, env):
    """VER-2: outsiders are refused."""
    set_experience(app, upload(app))
    with pytest.raises(PlatformError) as caught:
        launch(app, app.outsider, env)
    assert caught.value.code == ReleaseError.LAUNCH_NOT_MEMBER
    with pytest.raises(PlatformError) as caught:
        launch(app, None, env)
    assert caught.value.code == ReleaseError.LAUNCH_NOT_MEMBER


def test_an_operator_without_the_experience_permission_is_refused(app, make_identity):
    """MEM-5: operators hold no experience version (permission table `experience.use`)."""
    from tests.releases.version_support import add_member

    operator = make_identity()
    add_member(app.miniprogram, operator, kind="project", roles=("operator",))
    set_experience(app, upload(app))
    with pytest.raises(PlatformError) as caught:
        launch(app, operator, "trial")
    assert caught.value.code == ReleaseError.LAUNCH_NOT_MEMBER


def test_develop_opens_the_identitys_own_latest_upload(app):
    mine = upload(app, "1.0.0")
    admins = upload(app, "2.0.0", actor=app.admin_actor)
    assert launch(app, app.developer, "develop").dev_version == mine
    assert launch(app, app.admin, "develop").dev_version == admins
    assert launch(app, app.tester, "develop").dev_version == admins  # the latest upload


def test_nothing_to_open_is_refused(app):
    for env in ("release", "trial", "develop"):
        with pytest.raises(PlatformError) as caught:
            launch(app, app.admin, env)
        assert caught.value.code == ReleaseError.LAUNCH_NO_VERSION


def test_an_unknown_env_is_refused(app):
    with pytest.raises(PlatformError) as caught:
        launch(app, app.admin, "beta")
    assert caught.value.code == CoreError.FIELD_INVALID


def test_everyone_gets_the_online_version(app):
    online = released(app, "1.0.0")
    for identity in (app.outsider, app.admin, None):
        manifest = launch(app, identity)
        assert manifest.dev_version == online.dev_version and manifest.release == online
        assert manifest.gray is False


def test_a_closed_mini_program_cannot_be_launched(app):
    released(app)
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=False)
    with pytest.raises(PlatformError) as caught:
        launch(app, app.outsider)
    assert caught.value.code == ReleaseError.VISIT_CLOSED


def test_gray_is_deterministic_per_identity_and_follows_the_percentage(app, make_identity):
    """B-5: gray honoured deterministically per identity."""
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    running = services.gray_release(
        actor=app.admin_actor, miniprogram=app.miniprogram, percentage=30
    )
    people = [make_identity() for _ in range(60)]
    chosen = {
        person.pk
        for person in people
        if selectors.gray_bucket(app.appid, openid_for(person, app.appid)) < 30
    }
    for person in people:
        manifest = launch(app, person)
        assert manifest.gray is (person.pk in chosen)
        assert launch(app, person).dev_version == manifest.dev_version  # stable
        if manifest.gray:
            assert manifest.dev_version == running.dev_version
    assert 0 < len(chosen) < len(people)
    # Raising the percentage keeps everyone who already had the gray version.
    services.gray_release(actor=app.admin_actor, miniprogram=app.miniprogram, percentage=80)
    assert all(launch(app, person).gray for person in people if person.pk in chosen)


def test_members_first_gives_the_gray_version_to_members_at_zero_percent(app):
    """B-5: the members-first option."""
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    services.gray_release(
        actor=app.admin_actor,
        miniprogram=app.miniprogram,
        percentage=0,
        members_first=True,
        experiencers_first=True,
    )
    for member in (app.admin, app.developer, app.tester):
        assert launch(app, member).gray is True
    assert launch(app, app.outsider).gray is False


def test_the_gray_bucket_spreads_over_0_to_99():
    buckets = {selectors.gray_bucket("wx1", f"o{n}") for n in range(2000)}
    assert min(buckets) == 0 and max(buckets) == 99
    assert selectors.gray_bucket("wx1", "o1") == selectors.gray_bucket("wx1", "o1")
