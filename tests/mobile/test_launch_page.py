"""INF-7: the mini program code opens a phone-sized launch page: the mini program's
name, avatar and introduction, and that it opens in the super-app. An unknown or
inactive mini program has no page."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from miniport.miniprograms.services import avatar, material, profile
from tests.miniprograms.profile_support import actor_of, image_bytes
from tests.ops.journeys import confirmed_registration
from tests.releases.version_support import app_fixture, released  # noqa: F401 - `app`


def decoded_path(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found"
    return urlsplit(results[0].text).path


@pytest.fixture
def described_app(provision):
    mp = provision("personal", name="扫码打开的应用").miniprogram
    actor = actor_of(mp)
    profile.introduction_change(actor=actor, miniprogram=mp, introduction="一个扫码就能打开的应用")
    avatar.avatar_change(actor=actor, miniprogram=mp, upload=image_bytes("PNG"))
    return mp


def test_the_url_in_the_code_answers_200_with_the_mini_program(described_app):
    """INF-7: scanning the code with a phone's camera shows what it opens."""
    path = decoded_path(material.code_png(described_app))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "扫码打开的应用" in html and "一个扫码就能打开的应用" in html
    assert "Super App" in html
    avatar_link = response.context["avatar_url"]
    assert avatar_link and f'src="{avatar_link}"' in html
    assert Client().get(avatar_link).status_code == 200


def test_the_poster_code_leads_to_the_same_page(described_app):
    """INF-7: the offline poster carries the same code."""
    path = decoded_path(material.poster_png(described_app))
    assert Client().get(path).status_code == 200


def test_the_launch_page_is_in_chinese_by_default(described_app):
    path = urlsplit(material.launch_url(described_app)).path
    response = Client().get(path)
    assert "超级应用" in response.content.decode()


def test_an_unknown_appid_has_no_launch_page(db):
    assert Client().get("/m/launch/wx0000000000000000/").status_code == 404


def test_an_appid_with_a_nul_byte_has_no_launch_page(db):
    # PostgreSQL refuses NUL in text: asked as such it would be a server error.
    assert Client().get("/m/launch/wx%00abc/").status_code == 404
    assert material.launch_target("wx\x00abc") is None


def test_an_inactive_mini_program_has_no_launch_page(db):
    """INF-7: a registration still waiting for its remittance launches nothing."""
    registration = confirmed_registration(subject_type="enterprise", method="remittance")
    mp = registration.account.miniprogram
    assert Client().get(urlsplit(material.launch_url(mp)).path).status_code == 404


def test_the_launch_page_names_the_released_version(app):
    """VER-6: once released, the page says which version the super-app launches, the
    same answer as launch_manifest(env="release")."""
    released(app, "1.0.0")
    path = urlsplit(material.launch_url(app.miniprogram)).path
    html = Client().get(path).content.decode()
    assert 'data-testid="launch-release" data-version="1.0.0"' in html
    assert "超级应用将打开版本 1.0.0。" in html
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(path).content.decode()
    assert "Super App launches version 1.0.0." in english


def test_before_the_first_release_the_launch_page_says_there_is_nothing_to_open(app):
    path = urlsplit(material.launch_url(app.miniprogram)).path
    html = Client().get(path).content.decode()
    assert 'data-testid="launch-release"' not in html
    assert "没有可打开的版本" in html
