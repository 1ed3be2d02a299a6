"""B-10: creating an upload key leaves no dead end. After a refused name the browser sits
at the create URL; reloading it (or the page's own fetch after the download) shows the
list of keys, never a 405."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.miniprograms.models import UploadKey
from tests.miniprograms.conftest import console_login

pytestmark = pytest.mark.django_db

LIST = "/settings/dev/upload-keys/"
CREATE = "/settings/dev/upload-keys/create/"


@pytest.fixture
def app(provision):
    return provision("personal")


@pytest.fixture
def admin(app):
    client = Client()
    console_login(client, app.miniprogram.admin_identity, app.miniprogram.appid)
    return client


def test_opening_the_create_url_leads_to_the_list_and_makes_no_key(admin):
    response = admin.get(CREATE)
    assert response.status_code == 302 and response.url == LIST
    assert admin.get(response.url).status_code == 200
    assert not UploadKey.objects.exists()


def test_after_a_refused_name_the_form_still_makes_the_key_and_the_list_shows_it(admin):
    refused = admin.post(CREATE, {"name": ""})
    assert refused.status_code == 400
    assert "密钥名称须为 1 到 64 个字符" in refused.content.decode()
    assert not UploadKey.objects.exists()
    download = admin.post(CREATE, {"name": "ci-main"})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    # What the browser then fetches from the create URL it is still at.
    after = admin.get(CREATE, follow=True)
    assert after.redirect_chain == [(LIST, 302)]
    assert "ci-main" in after.content.decode()
    assert UploadKey.objects.count() == 1


def test_the_form_fetches_the_list_after_the_download_not_the_url_it_was_posted_to(admin):
    """refresh-after-download.js goes to the URL the form names, so a page answered from
    the create URL (a refused name) reloads the list."""
    for page in (admin.get(LIST), admin.post(CREATE, {"name": ""})):
        html = page.content.decode()
        assert f'data-refresh-after-download="{LIST}"' in html


def test_the_script_navigates_to_the_url_the_form_names():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    script = Path(finders.find("miniport/refresh-after-download.js")).read_text(encoding="utf-8")
    assert 'getAttribute("data-refresh-after-download")' in script
    assert "location.reload()" not in script


def test_the_help_names_the_command_inside_a_chinese_sentence(admin, app):
    """The command sits in the sentence, which ends with a Chinese full stop; the English
    page keeps its own."""
    html = admin.get(LIST).content.decode()
    assert "所用命令为 <code>miniport upload</code>。" in html
    assert "</code>." not in html
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    console_login(english, app.miniprogram.admin_identity, app.miniprogram.appid)
    page = english.get(LIST).content.decode()
    assert "with the command <code>miniport upload</code>." in page
