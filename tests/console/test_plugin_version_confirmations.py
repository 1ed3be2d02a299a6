"""PLG-7, PLG-8, PLG-9 in the plugin's console: the upload form refuses a version number
that is not x.y.z or not higher than the latest release, on its field; the versions page
never offers Release for a submission that cannot be released (it says why while it is
the latest submission, and is gone once another follows); withdrawing a submission and
unbinding a user ask first on a confirmation page (GET), and act on its button (POST)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from miniport.core.models import AuditEntry
from miniport.plugins.models import PluginApplicationStatus, PluginSubmission, PluginVersion
from miniport.plugins.usage import services as usage_services
from miniport.plugins.versions import services
from tests.console.plugin_support import browser, console_of
from tests.plugins import makers
from tests.plugins.makers import approved_application, plugin_zip, release_plugin_version
from tests.plugins.versions.support import approve, snapshot, submit, upload

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
complete_plugin = makers.complete_plugin
PAGE = "console:plugin_versions"


def error_of(html: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("number", "words"),
    [("abc", "x.y.z"), ("1.0.0", "须高于已发布的版本 1.0.0")],
)
def test_plg7_the_upload_form_refuses_the_number_on_its_field(complete_plugin, number, words):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    client = console_of(owner, "developer", "zh-hans")
    before = snapshot()
    response = client.post(
        reverse("console:plugin_versions_upload"),
        {
            "archive": SimpleUploadedFile("p.zip", plugin_zip(), "application/zip"),
            "user_version": number,
        },
    )
    assert response.status_code == 400
    assert words in error_of(response.content.decode(), "user_version")
    assert snapshot() == before


def test_plg8_an_approved_version_that_cannot_be_released_is_not_offered(complete_plugin):
    """A version approved while another of the same number was released (a row from
    before the rule): the page says why instead of offering Release, and the block is
    gone once another submission follows, even when that one is withdrawn."""
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    stuck = approve(submit(owner, upload(owner, "1.0.1")))
    PluginVersion.objects.filter(pk=stuck.version_id).update(user_version="1.0.0")
    client = console_of(owner, language="zh-hans")
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="release"' not in html
    assert 'data-testid="plugin-approved-unreleasable"' in html and "版本 1.0.0 已经发布过" in html
    later = submit(owner, upload(owner, "1.0.2"))
    services.plugin_submission_withdraw(
        actor=owner.admin_actor, plugin=owner.plugin, submission=later
    )
    html = client.get(reverse(PAGE)).content.decode()
    assert "plugin-approved" not in html and 'data-testid="release"' not in html


def test_plg8_a_releasable_version_keeps_its_release_button(complete_plugin):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    approve(submit(owner, upload(owner, "1.0.1")))
    html = console_of(owner).get(reverse(PAGE)).content.decode()
    assert 'data-testid="plugin-approved"' in html and 'data-testid="release"' in html


def test_plg8_withdrawing_asks_first(complete_plugin):
    owner = complete_plugin()
    open_one = submit(owner)
    client = console_of(owner)
    url = reverse("console:plugin_versions_withdraw", kwargs={"pk": open_one.pk})
    assert f'href="{url}"' in client.get(reverse(PAGE)).content.decode()
    audits = AuditEntry.objects.count()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'data-testid="withdraw-confirm"' in confirm.content.decode()
    open_one.refresh_from_db()
    assert open_one.state == "pending" and AuditEntry.objects.count() == audits
    assert client.post(url).status_code == 302
    open_one.refresh_from_db()
    assert open_one.state == "withdrawn"


def test_plg8_the_withdraw_page_of_a_closed_submission_says_why(complete_plugin):
    owner = complete_plugin()
    decided = approve(submit(owner))
    response = console_of(owner, language="zh-hans").get(
        reverse("console:plugin_versions_withdraw", kwargs={"pk": decided.pk})
    )
    assert response.status_code == 409
    assert "没有审核中的插件版本可以撤回" in response.content.decode()
    assert 'data-testid="withdraw-confirm"' not in response.content.decode()
    assert PluginSubmission.objects.get().state == "approved"


def test_plg9_unbinding_a_user_asks_first(complete_plugin, make_owner):
    owner = complete_plugin()
    user = make_owner("personal")
    application = approved_application(owner.plugin, user.miniprogram)
    client = console_of(owner)
    url = reverse("console:plugin_users_unbind", kwargs={"pk": application.pk})
    assert f'href="{url}"' in client.get(reverse("console:plugin_users")).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and user.miniprogram.name in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.APPROVED
    assert client.post(url).status_code == 302
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.UNBOUND


def test_plg9_the_unbind_page_of_an_application_not_approved_says_why(complete_plugin, make_owner):
    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    user = make_owner("personal")
    application = usage_services.plugin_apply(
        actor=user.admin_actor, miniprogram=user.miniprogram, plugin=owner.plugin, reason="r"
    )
    response = browser(owner.admin, owner.appid).get(
        reverse("console:plugin_users_unbind", kwargs={"pk": application.pk})
    )
    assert response.status_code == 409 and "not in the apply list" in response.content.decode()
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.APPLYING


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg8_categories_on_the_versions_page_use_one_separator(complete_plugin, language):
    owner = complete_plugin()
    upload(owner, "1.0.0")
    html = console_of(owner, language=language).get(reverse(PAGE)).content.decode()
    label = "工具 › 信息查询" if language == "zh-hans" else "Tools › Information lookup"
    assert label in html and "&gt; " not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg8_the_confirmation_pages_speak_one_language(complete_plugin, make_owner, language):
    from tests.i18n.test_one_language_per_page import offending

    owner = complete_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    stuck = approve(submit(owner, upload(owner, "1.0.1")))
    PluginVersion.objects.filter(pk=stuck.version_id).update(user_version="1.0.0")
    open_one = submit(owner, upload(owner, "1.0.2"))
    user = make_owner("personal")
    application = approved_application(owner.plugin, user.miniprogram)
    values = {
        owner.miniprogram.name,
        owner.plugin.name,
        owner.plugin.appid,
        owner.plugin.introduction,
        user.miniprogram.name,
        user.appid,
        owner.admin.wechat_id,
        "note of 1.0.0",
        "note 1.0.1",
        "note 1.0.2",
        "test",
        *open_one.tags,
    }
    client = console_of(owner, language=language)
    user_client = browser(user.admin, user.appid, language)
    pages = [
        (client, reverse("console:plugin_versions_withdraw", kwargs={"pk": open_one.pk})),
        (client, reverse("console:plugin_users_unbind", kwargs={"pk": application.pk})),
        (user_client, reverse("console:plugins_unbind") + f"?plugin_appid={owner.plugin.appid}"),
        (user_client, reverse("console:plugins") + f"?q={owner.plugin.name[:2]}"),
    ]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        assert offending(response.content.decode(), language, values) == [], url
    # The versions page with an approved version that cannot be released.
    submission = PluginSubmission.objects.get(pk=open_one.pk)
    services.plugin_submission_withdraw(
        actor=owner.admin_actor, plugin=owner.plugin, submission=submission
    )
    PluginSubmission.objects.filter(pk=open_one.pk).delete()
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="plugin-approved-unreleasable"' in html
    assert offending(html, language, values) == []
