"""VER-2: the experience version's shareable phone page (seed 004 "前往体验版"): only
project members and experience members may open it (the permission table's
`experience.use`); a visitor signs in first and comes back; anyone else is refused
with a page that says why."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from miniport.miniprograms import permissions
from miniport.releases.errors import ReleaseError
from miniport.releases.services import experience_set
from tests.releases.version_support import (  # noqa: F401 - the `app` fixture
    add_member,
    app_fixture,
    snapshot,
    upload,
)


def trial_path(app) -> str:
    return reverse("mobile:trial", kwargs={"appid": app.appid})


@pytest.fixture
def trial(app):
    version = upload(app, "1.3.0", user_desc="体验一下新首页")
    experience_set(actor=app.admin_actor, miniprogram=app.miniprogram, dev_version=version)
    return version


def test_an_experience_member_opens_the_experience_version(app, trial, phone_of):
    """VER-2: the experience member sees the version, its developer and note, and the
    package the super-app launches (launch_manifest, env trial)."""
    response = phone_of(app.tester, language="en").get(trial_path(app))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="trial-version">1.3.0<' in html
    assert trial.developer_label in html and "体验一下新首页" in html
    assert f'data-sha256="{trial.package.sha256}"' in html
    assert f'data-launch="/runtime/v1/launch?appid={app.appid}&amp;env=trial"' in html
    # people read the package's size, not its bytes nor the host app's request
    assert f'data-testid="trial-size">{filesizeformat(trial.package.size)}<' in html
    assert "bytes" not in html and "<code>/runtime/" not in html


def test_the_launch_section_says_how_to_open_the_version_and_promises_no_button(
    app, trial, phone_of
):
    """Seed 004's "前往体验版" is done by the super-app, not by a link of this page: the
    heading says how to open the version instead of promising a way there."""
    html = phone_of(app.tester).get(trial_path(app)).content.decode()
    launch = html.split('data-testid="trial-launch"')[1].split("</section>")[0]
    assert "<h2>如何打开此版本</h2>" in launch
    assert "前往体验版" not in html and "<a " not in launch


def test_a_project_developer_opens_the_experience_version(app, trial, phone_of):
    """VER-2: project members with the experience permission (developer) open it too."""
    assert permissions.allowed({permissions.DEVELOPER}, "experience.use")
    response = phone_of(app.developer).get(trial_path(app))
    assert response.status_code == 200 and 'data-testid="trial"' in response.content.decode()


def test_an_outsider_is_refused_with_a_page_that_says_why(app, trial, phone_of):
    """VER-2: someone who is neither a member nor an experience member is refused (403)
    with LAUNCH_NOT_MEMBER; nothing changes."""
    phone = phone_of(app.outsider, language="en")
    before = snapshot()
    response = phone.get(trial_path(app))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-code="LAUNCH_NOT_MEMBER"' in html
    assert ReleaseError.LAUNCH_NOT_MEMBER.message().split(" ")[0] in html
    assert 'data-testid="trial-version"' not in html and trial.package.sha256 not in html
    assert snapshot() == before


def test_a_role_the_table_does_not_let_use_the_experience_version_is_refused(
    app, trial, phone_of, make_identity
):
    """VER-2 / MEM-5: the table decides: a project role without `experience.use` (seed
    004: the operator's permissions do not include the experience version) is refused."""
    operator = make_identity()
    add_member(app.miniprogram, operator, kind="project", roles=("operator",))
    allowed = permissions.allowed({permissions.OPERATOR}, "experience.use")
    response = phone_of(operator).get(trial_path(app))
    assert response.status_code == (200 if allowed else 403)


def test_a_visitor_signs_in_first_and_comes_back(app, trial):
    """VER-2: a visitor is sent to sign in on the phone pages, then back to this page."""
    response = Client().get(trial_path(app))
    assert response.status_code == 302
    assert response.url == f"{reverse('mobile:login')}?next=%2Fm%2Ftrial%2F{app.appid}%2F"


def test_a_member_is_told_when_no_experience_version_is_chosen_yet(app, phone_of):
    """VER-2: before a choice, a member learns there is none yet (LAUNCH_NO_VERSION)."""
    upload(app)
    response = phone_of(app.tester).get(trial_path(app))
    assert response.status_code == 200
    assert 'data-code="LAUNCH_NO_VERSION"' in response.content.decode()


def test_an_unknown_mini_program_has_no_trial_page(app, phone_of):
    """VER-2: an AppID that names no active mini program answers 404."""
    response = phone_of(app.tester).get(reverse("mobile:trial", kwargs={"appid": "wx0000"}))
    assert response.status_code == 404


def test_the_trial_page_is_in_chinese_by_default(app, trial, phone_of):
    """B-11: the phone page speaks Chinese unless another language is chosen."""
    html = phone_of(app.tester).get(trial_path(app)).content.decode()
    assert "体验版" in html
