"""INF-7, VER-2: a code made for the experience or the development version
(`env_version` trial or develop) opens a launch page that says which version it opens,
and every launch page shows the page and scene the code was made with, as text."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from miniport.releases.errors import ReleaseError
from miniport.releases.services import experience_set, wxacode
from tests.releases.version_support import (  # noqa: F401 - the `app` fixture
    app_fixture,
    released,
    snapshot,
    upload,
)


def scanned(code: wxacode.CodeImage) -> str:
    """The path and query a phone's camera opens from the code."""
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.content)))
    parts = urlsplit(found.text)
    return f"{parts.path}?{parts.query}"


def launch_path(app, **query) -> str:
    return f"{reverse('mobile:launch', kwargs={'appid': app.appid})}?{urlencode(query)}"


@pytest.fixture
def trial(app):
    released(app, "1.0.0")
    version = upload(app, "1.3.0")
    experience_set(actor=app.admin_actor, miniprogram=app.miniprogram, dev_version=version)
    return version


def test_a_trial_code_opens_the_experience_version_for_an_experience_member(app, trial, phone_of):
    path = scanned(
        wxacode.wxacode_limited(
            miniprogram=app.miniprogram, path="pages/logs/logs?id=7", env_version="trial"
        )
    )
    response = phone_of(app.tester, language="en").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="launch" data-appid="{app.appid}" data-env="trial"' in html
    release = f'data-version="1.3.0" data-sha256="{trial.package.sha256}" data-gray="0"'
    assert f'{release} data-env="trial"' in html
    assert "Super App launches the experience version 1.3.0." in html
    assert "launches version 1.0.0" not in html
    assert '<dd data-testid="launch-path"><code>pages/logs/logs?id=7</code></dd>' in html
    assert f'href="{reverse("mobile:trial", kwargs={"appid": app.appid})}"' in html
    chinese = phone_of(app.tester).get(path).content.decode()
    assert "超级应用将打开体验版 1.3.0。" in chinese


def test_a_develop_code_opens_the_development_version_for_its_developer(app, trial, phone_of):
    newest = upload(app, "1.4.0-dev")
    path = scanned(
        wxacode.wxacode_unlimited(
            miniprogram=app.miniprogram,
            scene="id=9",
            page="pages/logs/logs",
            env_version="develop",
            check_path=False,
        )
    )
    response = phone_of(app.developer, language="en").get(path)
    html = response.content.decode()
    manifest = response.context["manifest"]
    assert (manifest.env, manifest.user_version) == ("develop", newest.user_version)
    assert f'data-version="{newest.user_version}"' in html and 'data-env="develop">' in html
    assert f"Super App launches the development version {newest.user_version}." in html
    assert '<dd data-testid="launch-page"><code>pages/logs/logs</code></dd>' in html
    assert '<dd data-testid="launch-scene"><code>id=9</code></dd>' in html


@pytest.mark.parametrize("env", ["trial", "develop"])
def test_a_visitor_is_asked_to_sign_in_and_comes_back(app, trial, env):
    path = launch_path(app, path="pages/index/index", env_version=env)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="launch-release"' not in html and trial.package.sha256 not in html
    sign_in = response.context["sign_in_url"]
    assert sign_in == f"{reverse('mobile:login')}?{urlencode({'next': path})}"
    assert 'data-testid="launch-sign-in"' in html


@pytest.mark.parametrize("env", ["trial", "develop"])
def test_an_outsider_is_told_the_version_is_for_members_only(app, trial, phone_of, env):
    phone = phone_of(app.outsider, language="en")
    before = snapshot()
    response = phone.get(launch_path(app, env_version=env))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="launch-release"' not in html and trial.package.sha256 not in html
    assert response.context["release_error"] == ReleaseError.LAUNCH_NOT_MEMBER.message()
    assert snapshot() == before


def test_a_release_code_still_opens_the_released_version(app, trial, phone_of):
    path = scanned(wxacode.wxacode_limited(miniprogram=app.miniprogram, path="pages/index/index"))
    assert "env_version" not in path
    html = phone_of(app.tester, language="en").get(path).content.decode()
    assert 'data-version="1.0.0"' in html and 'data-env="release">' in html
    assert "Super App launches version 1.0.0." in html


def test_an_unknown_env_version_is_the_released_version(app, trial):
    html = Client().get(launch_path(app, env_version="gray")).content.decode()
    assert 'data-version="1.0.0"' in html and 'data-env="release">' in html


def test_the_path_and_scene_are_shown_as_text(app, trial):
    hostile = '<script>alert("x")</script>'
    html = Client().get(launch_path(app, path=hostile, scene="a&b")).content.decode()
    assert "<script>alert" not in html
    assert (
        '<dd data-testid="launch-path"><code>&lt;script&gt;alert(&quot;x&quot;)'
        "&lt;/script&gt;</code></dd>"
    ) in html
    assert '<dd data-testid="launch-scene"><code>a&amp;b</code></dd>' in html


def test_a_launch_page_without_path_or_scene_has_no_such_rows(app, trial):
    html = Client().get(launch_path(app)).content.decode()
    assert 'data-testid="launch-opened-with"' not in html
