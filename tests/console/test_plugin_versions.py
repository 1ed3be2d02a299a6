"""PLG-7, PLG-8 in the plugin's console, Versions tab: the uploads and the upload form
(a refused package names the rule on the archive field and stores nothing), the submit
form, the open submission with its state and the withdraw button, the approved version
to release, the released versions; who may do what; the page in one language."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from miniport.plugins.models import PluginRelease, PluginSubmission, PluginVersion
from tests.console.plugin_support import console_of
from tests.i18n.test_one_language_per_page import offending
from tests.plugins import makers
from tests.plugins.makers import plugin_files, plugin_zip, release_plugin_version
from tests.plugins.versions.support import approve, png, snapshot, submit, upload
from tests.releases.zips import make_zip

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
complete_plugin = makers.complete_plugin
PAGE = "console:plugin_versions"


def zip_upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plugin.zip", data, content_type="application/zip")


def test_plg7_a_developer_uploads_from_the_console(complete_plugin):
    owner = complete_plugin()
    client = console_of(owner, "developer")
    assert client.get(reverse("console:plugin_versions_upload")).status_code == 200
    response = client.post(
        reverse("console:plugin_versions_upload"),
        {"archive": zip_upload(plugin_zip()), "user_version": "1.0.0", "user_desc": "第一版"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = PluginVersion.objects.get()
    assert version.user_version == "1.0.0" and version.source == "console"
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-version="1.0.0"' in html and "第一版" in html


def test_plg7_a_refused_package_names_the_rule_on_the_archive_field(complete_plugin):
    owner = complete_plugin()
    client = console_of(owner, "developer")
    files = plugin_files()
    del files["components/hello/hello.js"]
    before = snapshot()
    response = client.post(
        reverse("console:plugin_versions_upload"),
        {"archive": zip_upload(make_zip(files)), "user_version": "1.0.0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(r'data-testid="error-archive">(.*?)</div>', html, re.S)
    assert errors and "components/hello/hello.js" in errors.group(1)
    assert snapshot() == before


def test_plg7_an_operator_sees_the_page_but_may_not_upload(complete_plugin):
    owner = complete_plugin()
    client = console_of(owner, "operator")
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="upload-link"' not in html
    response = client.post(
        reverse("console:plugin_versions_upload"),
        {"archive": zip_upload(plugin_zip()), "user_version": "1.0.0"},
    )
    assert response.status_code == 403
    assert not PluginVersion.objects.exists()


def test_plg8_the_administrator_submits_with_category_tags_images_and_description(complete_plugin):
    owner = complete_plugin()
    version = upload(owner)
    client = console_of(owner)
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="submit-form"' in html
    response = client.post(
        reverse("console:plugin_versions_submit"),
        {
            "version": version.pk,
            "category": "工具/信息查询",
            "tags": "天气 查询",
            "description": "查询天气",
            "preview_images": [SimpleUploadedFile("a.png", png(), content_type="image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = PluginSubmission.objects.get()
    assert submission.tags == ["天气", "查询"] and len(submission.preview_images) == 1
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="plugin-open-submission"' in html and 'data-state="pending"' in html


def test_plg8_a_submission_without_tags_names_the_field(complete_plugin):
    owner = complete_plugin()
    version = upload(owner)
    client = console_of(owner)
    before = snapshot()
    response = client.post(
        reverse("console:plugin_versions_submit"),
        {
            "version": version.pk,
            "category": "工具/信息查询",
            "tags": "",
            "description": "查询天气",
            "preview_images": [SimpleUploadedFile("a.png", png(), content_type="image/png")],
        },
    )
    assert response.status_code == 400
    assert 'data-testid="error-tags"' in response.content.decode()
    assert snapshot() == before


def test_plg8_a_developer_may_not_submit(complete_plugin):
    owner = complete_plugin()
    version = upload(owner)
    response = console_of(owner, "developer").post(
        reverse("console:plugin_versions_submit"), {"version": version.pk}
    )
    assert response.status_code == 403
    assert not PluginSubmission.objects.exists()


def test_plg8_withdraw_and_release_from_the_page(complete_plugin):
    owner = complete_plugin()
    client = console_of(owner)
    open_one = submit(owner)
    assert (
        client.post(
            reverse("console:plugin_versions_withdraw", kwargs={"pk": open_one.pk})
        ).status_code
        == 302
    )
    open_one.refresh_from_db()
    assert open_one.state == "withdrawn"
    approved = approve(submit(owner, upload(owner, "1.0.1")))
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="plugin-approved"' in html
    assert (
        client.post(
            reverse("console:plugin_versions_release", kwargs={"pk": approved.pk})
        ).status_code
        == 302
    )
    assert PluginRelease.objects.get().user_version == "1.0.1"
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-release="1.0.1"' in html


def test_plg8_another_plugins_submission_is_404(complete_plugin):
    owner, other = complete_plugin(), complete_plugin()
    foreign = submit(other)
    response = console_of(owner).post(
        reverse("console:plugin_versions_withdraw", kwargs={"pk": foreign.pk})
    )
    assert response.status_code == 404


def test_plg7_a_mini_program_without_a_plugin_has_no_versions_page(make_owner):
    owner = make_owner()
    assert console_of(owner).get(reverse(PAGE)).status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg8_the_versions_pages_speak_one_language(complete_plugin, language):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "0.9.0")
    upload(owner, "1.0.0")
    submission = submit(owner, upload(owner, "1.0.1"))
    client = console_of(owner, language=language)
    values = {
        owner.miniprogram.name,
        owner.plugin.name,
        owner.plugin.appid,
        owner.admin.wechat_id,
        owner.developer.wechat_id,
        "note of 0.9.0",
        "note 1.0.0",
        "note 1.0.1",
        "test",
        *submission.tags,
        submission.category_first_name,
        submission.category_second_name,
    }
    for name in ("console:plugin_versions", "console:plugin_versions_upload"):
        html = client.get(reverse(name)).content.decode()
        assert offending(html, language, {v for v in values if v}) == [], name
