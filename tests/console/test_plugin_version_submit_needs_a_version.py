"""PLG-8 in the plugin's console: submitting for review with no version chosen says so on
the version field, in the page's language; when every upload has been released the
field says why there is nothing to choose, before and after a post. Nothing is stored."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.console.plugin_support import console_of
from tests.plugins import makers
from tests.plugins.makers import release_plugin_version
from tests.plugins.versions.support import png, snapshot, upload

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
complete_plugin = makers.complete_plugin

CHOOSE = {"en": "Choose the version to submit.", "zh-hans": "请选择要提交审核的版本。"}
NONE_LEFT = {
    "en": "Every uploaded version has been released: upload a new version to submit it for review.",
    "zh-hans": "已上传的版本都已发布：请上传新版本后再提交审核。",
}
LANGUAGES = pytest.mark.parametrize("lang", ["zh-hans", "en"], ids=["zh", "en"])


def filled(**more) -> dict:
    return {
        "category": "工具/信息查询",
        "tags": "天气 查询",
        "description": "查询天气",
        "preview_images": [SimpleUploadedFile("a.png", png(), content_type="image/png")],
        **more,
    }


def version_errors(html: str) -> str:
    found = re.search(r'data-testid="error-version">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


@LANGUAGES
def test_plg8_a_submission_without_a_version_names_the_version_field(complete_plugin, lang):
    owner = complete_plugin()
    upload(owner)
    client = console_of(owner, language=lang)
    before = snapshot()
    response = client.post(reverse("console:plugin_versions_submit"), filled())
    assert response.status_code == 400
    assert response.context["submit_form"].errors == {"version": [CHOOSE[lang]]}
    assert CHOOSE[lang] in version_errors(response.content.decode())
    assert snapshot() == before


@LANGUAGES
def test_plg8_with_every_upload_released_the_version_field_says_why(complete_plugin, lang):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    client = console_of(owner, language=lang)
    page = client.get(reverse("console:plugin_versions")).content.decode()
    assert 'data-testid="submit-form"' in page and NONE_LEFT[lang] in page
    before = snapshot()
    response = client.post(reverse("console:plugin_versions_submit"), filled())
    assert response.status_code == 400
    assert response.context["submit_form"].errors == {"version": [NONE_LEFT[lang]]}
    assert NONE_LEFT[lang] in version_errors(response.content.decode())
    assert snapshot() == before


def test_plg8_the_version_field_offers_the_uploads_not_released(complete_plugin):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    waiting = upload(owner, "1.1.0")
    page = console_of(owner).get(reverse("console:plugin_versions")).content.decode()
    select = re.search(r'<select name="version"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'value="{waiting.pk}"' in select and ">1.1.0<" in select and "1.0.0" not in select


def test_plg8_a_released_version_posted_anyway_is_refused_on_the_version_field(complete_plugin):
    owner = complete_plugin()
    released = release_plugin_version(owner.plugin, "1.0.0").version
    upload(owner, "1.1.0")
    client = console_of(owner)
    before = snapshot()
    response = client.post(reverse("console:plugin_versions_submit"), filled(version=released.pk))
    assert response.status_code == 400
    assert response.context["submit_form"].errors.get("version")
    assert not response.context["submit_form"].non_field_errors()
    assert snapshot() == before
