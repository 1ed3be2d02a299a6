# ruff: noqa: F811 - the plugin makers are fixtures imported by name
"""FP-11 on the phone page met by a stranger: query arguments of every odd shape get a page
(never a 500), and markup in them or in the plugin's name is shown as text."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.plugins.functional.support import body, make_scene, release_owner
from tests.plugins.makers import make_owner, make_plugin  # noqa: F401

pytestmark = pytest.mark.django_db

XSS = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
ODD = ["", "%00", "a%00b", "%ED%A0%80", "%FF", "x" * 20_000, quote(XSS), quote("[1,2]"), quote("{")]


@pytest.fixture
def scene(make_plugin, provision, make_identity):
    scene = make_scene(make_plugin, provision, make_identity)
    release_owner(scene.owner)
    return scene


def _no_markup_of_ours(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert not re.search(r"<img[^>]*onerror", html)


@pytest.mark.parametrize("field", ["appid", "plugin_appid", "name", "version", "args"])
@pytest.mark.parametrize("raw", ODD, ids=range(len(ODD)))
def test_fp11_odd_query_arguments_get_a_page(scene, phone_of, field, raw):
    phone = phone_of(scene.person)
    data = {k: quote(str(v)) for k, v in body(scene).items()}
    data[field] = raw
    query = "&".join(f"{k}={v}" for k, v in data.items())
    page = phone.get(f"{reverse('mobile:functional')}?{query}")
    assert page.status_code in (200, 400, 414), page.status_code
    _no_markup_of_ours(page.content.decode())


def test_fp11_a_repeated_query_argument_gets_a_page(scene, phone_of):
    phone = phone_of(scene.person)
    page = phone.get(f"{reverse('mobile:functional')}?appid=a&appid=b&args=1&args=2")
    assert page.status_code in (200, 400)


def test_fp3_markup_in_the_plugin_name_is_shown_as_text(scene, phone_of):
    scene.owner.plugin.name = XSS
    scene.owner.plugin.save(update_fields=["name"])
    phone = phone_of(scene.person)
    data = {k: quote(str(v)) for k, v in body(scene).items()}
    page = phone.get(
        f"{reverse('mobile:functional')}?" + "&".join(f"{k}={v}" for k, v in data.items())
    )
    html = page.content.decode()
    assert page.status_code == 200
    _no_markup_of_ours(html)
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("raw", ["a%00b", "%00", "x" * 300])
def test_fp7_an_odd_owner_appid_in_the_preview_path_is_not_found(scene, phone_of, raw):
    phone = phone_of(scene.person)
    for method in (phone.get, phone.post):
        assert method(f"/m/functional/preview/{raw}/").status_code in (404, 414)
