"""Issue 12's plugin journey in a real browser (PLG-3, PLG-5, PLG-7, PLG-8, PLG-9,
PLG-11): an enterprise mini program's administrator enables its plugin from "Mini program
plugin", completes the basic information with an avatar, uploads a plugin version and
submits it for review; an operator approves it on the ops desk; the administrator
releases it; a second mini program's administrator finds the plugin under Settings ›
Third-party settings and applies with a reason; the owner approves the application on
the plugin's Users tab; the second mini program's plugin management shows it approved,
and removing it there passes through a confirmation page.

Five browsers, as five devices: the owner administrator's computer and phone (for the
console login scan), the second administrator's computer and phone, and the operator's
desk. Only the starting world is made in Python; every step goes through the pages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from miniport.accounts.models import Account, AccountKind
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.miniprograms.models import MiniProgramCategory
from miniport.miniprograms.services import categories
from miniport.plugins.development.services import plugin_is_complete
from miniport.plugins.models import (
    Plugin,
    PluginApplication,
    PluginApplicationStatus,
    PluginRelease,
    PluginSubmission,
    PluginSubmissionState,
    PluginVersion,
)
from tests.browser.conftest import DESKTOP, PHONE_SCREEN, PhoneUser, _context, console_login
from tests.plugins.makers import plugin_zip
from tests.releases.version_support import TOOLS, add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER_ADMIN = PhoneUser(wechat_id="plugin_owner_admin", password="phone-pass-12")
USER_ADMIN = PhoneUser(wechat_id="plugin_user_admin", password="phone-pass-13")
DEVELOPER = PhoneUser(wechat_id="plugin_developer", password="phone-pass-14")
OPERATOR_EMAIL = "plugin-reviewer@miniport.example"
OPERATOR_PASSWORD = "Desk-pass-12"

PLUGIN_NAME = "天气查询插件"
INTRODUCTION = "按城市查询未来七天的天气预报"
CONTACT = "plugin-service@example.com"
VERSION = "1.0.0"
NOTE = "首个插件版本：天气组件"
TAGS = "天气 查询"
DESCRIPTION = "提供一个按城市展示天气预报的组件"
REASON = "我们的出行小程序需要展示目的地天气"


def _identity(user: PhoneUser, real_name: str, sequence: int):
    return identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=user.wechat_id,
        real_name=real_name,
        id_number=make_id_number(date(1986, 4, 12), sequence=sequence),
        phone="",
        password=user.password,
    )


@pytest.fixture
def owner(db, provision):
    """An enterprise mini program whose administrator signs in on the phone, with a
    developer and its category Tools > Information query approved (open to plugins)."""
    _identity(OWNER_ADMIN, "孙八", 512)
    provisioned = provision(
        "enterprise", admin_wechat_id=OWNER_ADMIN.wechat_id, name="插件旅程小程序"
    )
    mp = provisioned.miniprogram
    add_member(mp, _identity(DEVELOPER, "周九", 513), kind="project", roles=("developer",))
    categories.category_add(
        actor=Actor.for_identity(mp.admin_identity), miniprogram=mp, first=TOOLS[0], second=TOOLS[1]
    )
    return provisioned


@pytest.fixture
def user_app(db, provision):
    """A second mini program, which will use the plugin."""
    _identity(USER_ADMIN, "吴十", 514)
    return provision("enterprise", admin_wechat_id=USER_ADMIN.wechat_id, name="出行助手小程序")


@pytest.fixture
def operator(db):
    return Account.objects.create_user(
        OPERATOR_EMAIL, OPERATOR_PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


@pytest.fixture
def user_computer(browser, site):
    """The second administrator's own computer."""
    context = _context(browser, viewport=DESKTOP, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def user_phone(browser, site):
    """The second administrator's own phone."""
    context = _context(
        browser, viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def png_file(folder, name: str, size=(256, 256), color=(40, 140, 220)):
    path = folder / name
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def messages_of(page) -> str:
    return page.inner_text("ul.messages")


def open_menu(page, key: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=console-menu] a[data-menu={key}]")


def open_tab(page, key: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=plugin-tabs] a[data-tab={key}]")


def desk_login(desk, site) -> None:
    desk.goto(f"{site.url}/ops/reviews/")
    assert desk.url.startswith(f"{site.url}/ops/login/")
    desk.fill("input[name=email]", OPERATOR_EMAIL)
    desk.fill("input[name=password]", OPERATOR_PASSWORD)
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert desk.url == f"{site.url}/ops/reviews/"


def test_plg_a_plugin_is_enabled_reviewed_released_and_another_mini_program_is_approved_to_use_it(
    site,
    computer,
    phone,
    user_computer,
    user_phone,
    desk,
    owner,
    user_app,
    operator,
    screenshot,
    tmp_path,
):
    """PLG-3 → PLG-5 → PLG-7 → PLG-8 (desk, release) → PLG-11 → PLG-9, in Chinese."""
    page = computer
    owner_mp = owner.miniprogram
    user_mp = user_app.miniprogram

    # PLG-3: the administrator enables the plugin from the menu
    console_login(page, phone, site, owner, OWNER_ADMIN)
    open_menu(page, "plugin")
    assert page.url == f"{site.url}/plugin/"
    assert page.locator("[data-testid=plugin-enable]").is_visible()
    assert page.locator("[data-testid=plugin-appid]").count() == 0
    category = MiniProgramCategory.objects.get(miniprogram=owner_mp)
    page.fill("input[name=name]", PLUGIN_NAME)
    page.fill("textarea[name=introduction]", INTRODUCTION)
    page.fill("input[name=service_contact]", CONTACT)
    page.select_option("select[name=category]", f"{category.first_id}:{category.second_id}")
    screenshot(page, "plugin-01-enable-form")
    with page.expect_navigation():
        page.click("[data-testid=enable]")
    assert page.url == f"{site.url}/plugin/"
    plugin = Plugin.objects.get(owner=owner_mp)
    assert (plugin.name, plugin.introduction, plugin.service_contact) == (
        PLUGIN_NAME,
        INTRODUCTION,
        CONTACT,
    )
    assert (plugin.category_first_id, plugin.category_second_id) == (
        category.first_id,
        category.second_id,
    )
    assert plugin.appid != owner_mp.appid
    assert page.inner_text("[data-testid=plugin-appid]") == plugin.appid
    assert plugin.appid in messages_of(page)
    assert page.inner_text("[data-testid=plugin-name]") == PLUGIN_NAME
    screenshot(page, "plugin-02-enabled")

    # PLG-5: the avatar still misses; uploading one completes the checklist
    assert plugin_is_complete(plugin) == ["avatar"]
    assert page.locator("[data-testid=plugin-incomplete]").is_visible()
    checklist = page.locator("[data-testid=plugin-checklist]")
    assert checklist.locator("li[data-field=avatar]").get_attribute("data-done") == "0"
    page.set_input_files("input[name=avatar]", str(png_file(tmp_path, "avatar.png")))
    with page.expect_navigation():
        page.click("[data-testid=save-basic]")
    assert page.url == f"{site.url}/plugin/"
    assert "插件基本信息已保存。" in messages_of(page)
    assert page.locator("[data-testid=plugin-complete]").is_visible()
    assert page.locator("[data-testid=plugin-incomplete]").count() == 0
    done = checklist.locator("li").evaluate_all("items => items.map(i => i.dataset.done)")
    assert done and set(done) == {"1"}, done
    avatar = page.locator("[data-testid=plugin-avatar]")
    assert avatar.evaluate("img => img.complete && img.naturalWidth") > 0
    plugin.refresh_from_db()
    assert plugin.avatar and plugin_is_complete(plugin) == []
    screenshot(page, "plugin-03-basic-complete")

    # PLG-7: upload a plugin version on the Versions tab
    open_tab(page, "versions")
    assert page.url == f"{site.url}/plugin/versions/"
    assert page.locator("[data-testid=no-uploads]").is_visible()
    with page.expect_navigation():
        page.click("[data-testid=upload-link]")
    archive = tmp_path / "plugin.zip"
    archive.write_bytes(plugin_zip("journey"))
    page.set_input_files("input[name=archive]", str(archive))
    page.fill("input[name=user_version]", VERSION)
    page.fill("textarea[name=user_desc]", NOTE)
    with page.expect_navigation():
        page.click("[data-testid=upload]")
    assert page.url == f"{site.url}/plugin/versions/"
    assert f"插件版本 {VERSION} 已上传。" in messages_of(page)
    uploaded = page.locator(f"[data-testid=plugin-uploads] tr[data-version='{VERSION}']")
    assert NOTE in uploaded.inner_text()
    version = PluginVersion.objects.get(plugin=plugin)
    assert (version.user_version, version.user_desc) == (VERSION, NOTE)

    # PLG-8: submit it for review with category, tags, a preview image and a description
    form = page.locator("[data-testid=submit-form]")
    assert form.locator("select[name=version]").input_value() == str(version.pk)
    form.locator("select[name=category]").select_option(index=0)
    form.locator("input[name=tags]").fill(TAGS)
    form.locator("input[name=preview_images]").set_input_files(
        str(png_file(tmp_path, "preview.png", size=(750, 1334), color=(250, 200, 60)))
    )
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    screenshot(page, "plugin-04-submit-form")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert page.url == f"{site.url}/plugin/versions/"
    assert "插件版本已提交审核。" in messages_of(page)
    assert page.get_attribute("[data-testid=plugin-open-submission]", "data-state") == "pending"
    submission = PluginSubmission.objects.get(plugin=plugin)
    assert submission.state == PluginSubmissionState.PENDING
    assert submission.version == version
    assert submission.tags == ["天气", "查询"]
    assert submission.description == DESCRIPTION
    assert len(submission.preview_images) == 1
    assert submission.review is not None
    screenshot(page, "plugin-05-in-review")

    # the operator approves it on the ops desk
    desk_login(desk, site)
    queued = desk.locator(
        f"[data-testid=review-queue] tr[data-kind=plugin]:has-text('{owner_mp.appid}')"
    )
    assert queued.count() == 1
    assert PLUGIN_NAME in queued.inner_text()
    with desk.expect_navigation():
        queued.locator("a").click()
    details = desk.inner_text("main")
    assert plugin.appid in details and DESCRIPTION in details and NOTE in details
    assert desk.locator("[data-testid=documents] a[data-document=preview1]").count() == 1
    with desk.expect_navigation():
        desk.click("[data-testid=claim]")
    assert "已认领" in messages_of(desk)
    screenshot(desk, "plugin-06-desk-review")
    with desk.expect_navigation():
        desk.click("[data-testid=approve]")
    assert desk.url == f"{site.url}/ops/reviews/"
    assert "已通过审核" in messages_of(desk)
    submission.refresh_from_db()
    assert submission.state == PluginSubmissionState.APPROVED
    assert not PluginRelease.objects.filter(plugin=plugin).exists()

    # PLG-8: approval never releases by itself; the administrator releases
    page.reload()
    assert page.locator("[data-testid=no-releases]").is_visible()
    approved = page.locator(f"[data-testid=plugin-approved][data-version='{VERSION}']")
    with page.expect_navigation():
        approved.locator("[data-testid=release]").click()
    assert f"插件版本 {VERSION} 已发布。" in messages_of(page)
    released = page.locator(f"[data-testid=plugin-releases] tr[data-release='{VERSION}']")
    assert NOTE in released.inner_text()
    assert "已发布" in uploaded.inner_text()
    assert page.locator("[data-testid=plugin-approved]").count() == 0
    release = PluginRelease.objects.get(plugin=plugin)
    assert (release.version, release.submission, release.user_version) == (
        version,
        submission,
        VERSION,
    )
    screenshot(page, "plugin-07-released")

    # PLG-11: the second mini program finds the plugin by name and applies
    other = user_computer
    console_login(other, user_phone, site, user_app, USER_ADMIN)
    open_menu(other, "third_party_settings")
    assert other.url == f"{site.url}/settings/plugins/"
    used = other.locator("[data-testid=plugins-used]")
    assert used.locator(f"tr[data-appid='{plugin.appid}']").count() == 0
    search = other.locator("[data-testid=plugin-search]")
    search.locator("input[name=q]").fill("天气")
    with other.expect_navigation():
        search.locator("button[type=submit]").click()
    result = other.locator(f"[data-testid=plugin-results] tr[data-appid='{plugin.appid}']")
    assert PLUGIN_NAME in result.inner_text() and INTRODUCTION in result.inner_text()
    result.locator("textarea[name=reason]").fill(REASON)
    with other.expect_navigation():
        result.locator("[data-testid=plugin-apply]").click()
    assert other.url == f"{site.url}/settings/plugins/"
    assert "申请已发送给插件开发者。" in messages_of(other)
    status = used.locator(f"tr[data-appid='{plugin.appid}'] [data-status]")
    assert status.get_attribute("data-status") == "applying"
    assert status.inner_text() == "申请中"
    application = PluginApplication.objects.get(plugin=plugin, miniprogram=user_mp)
    assert application.status == PluginApplicationStatus.APPLYING
    assert application.reason == REASON
    screenshot(other, "plugin-08-applying")

    # PLG-9: the owner approves the application on the Users tab
    open_tab(page, "users")
    assert page.url == f"{site.url}/plugin/users/"
    row = page.locator(f"[data-testid=plugin-applications] tr[data-appid='{user_mp.appid}']")
    assert row.get_attribute("data-status") == "applying"
    assert REASON in row.inner_text() and "出行助手小程序" in row.inner_text()
    with page.expect_navigation():
        row.locator("[data-testid=application-agree]").click()
    assert page.url == f"{site.url}/plugin/users/"
    assert "申请已通过。" in messages_of(page)
    assert row.get_attribute("data-status") == "approved"
    assert row.locator("[data-testid=user-unbind]").is_visible()
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.APPROVED
    assert application.decided_at is not None and not application.decided_by_policy
    screenshot(page, "plugin-09-users-approved")

    # PLG-11: the second mini program's plugin management shows it approved
    other.reload()
    assert status.get_attribute("data-status") == "approved"
    assert status.inner_text() == "已通过"
    assert used.locator(f"tr[data-appid='{plugin.appid}'] [data-testid=plugin-unbind]").is_visible()
    screenshot(other, "plugin-10-approved")

    # PLG-11: removing the plugin asks first; once removed its row is gone
    with other.expect_navigation():
        used.locator(f"tr[data-appid='{plugin.appid}'] [data-testid=plugin-unbind]").click()
    assert other.url.startswith(f"{site.url}/settings/plugins/unbind/")
    assert PLUGIN_NAME in other.inner_text("[data-testid=plugins-unbind-confirm]")
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.APPROVED  # nothing done yet
    screenshot(other, "plugin-11-remove-confirm")
    with other.expect_navigation():
        other.click("[data-testid=plugin-unbind-confirm]")
    assert other.url == f"{site.url}/settings/plugins/"
    assert "插件已移除。" in messages_of(other)
    assert used.locator(f"tr[data-appid='{plugin.appid}']").count() == 0
    application.refresh_from_db()
    assert application.status == PluginApplicationStatus.UNBOUND
