"""Issue 8's main journey in a real browser (VER-1, VER-2, VER-3, VER-6): the
administrator uploads a package on the console, makes it the experience version and
shows its QR code; an experience member opens that page on a phone; the administrator
submits the version for review; a staff reviewer claims and approves it on the ops desk;
the administrator releases it; the phone's launch page names the released version.

Four browsers, as four devices: the administrator's computer, the administrator's phone
(for the console login scan), the experience member's phone and the reviewer's desk."""

from __future__ import annotations

import io
from datetime import date

import pytest
import zxingcpp
from PIL import Image

from miniport.accounts.models import Account, AccountKind
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.miniprograms.services import categories
from miniport.releases.models import Release, Submission, SubmissionState
from tests.browser.conftest import (
    PHONE_SCREEN,
    PhoneUser,
    _context,
    console_login,
)
from tests.releases.version_support import TOOLS, add_member, package_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = PhoneUser(wechat_id="wangwu_admin", password="phone-pass-3")
TESTER = PhoneUser(wechat_id="zhaoliu_tester", password="phone-pass-4")
REVIEWER_EMAIL = "reviewer@miniport.example"
REVIEWER_PASSWORD = "Desk-pass-1"
VERSION = "1.0.0"
NOTE = "首个版本：首页和日志页"
PAGES = ("pages/index/index", "pages/logs/logs")


def _identity(user: PhoneUser, real_name: str, sequence: int):
    return identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=user.wechat_id,
        real_name=real_name,
        id_number=make_id_number(date(1987, 6, 2), sequence=sequence),
        phone="",
        password=user.password,
    )


@pytest.fixture
def app(db, provision):
    """A personal mini program: an administrator who signs in on the phone, an experience
    member, and an approved service category (the submission needs one)."""
    _identity(ADMIN, "王五", 311)
    provisioned = provision("personal", admin_wechat_id=ADMIN.wechat_id, name="版本旅程小程序")
    mp = provisioned.miniprogram
    add_member(mp, _identity(TESTER, "赵六", 312), kind="experience")
    categories.category_add(
        actor=Actor.for_identity(mp.admin_identity), miniprogram=mp, first=TOOLS[0], second=TOOLS[1]
    )
    return provisioned


@pytest.fixture
def reviewer(db):
    return Account.objects.create_user(
        REVIEWER_EMAIL, REVIEWER_PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


@pytest.fixture
def tester_phone(browser, site):
    """The experience member's own phone."""
    context = _context(
        browser, viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def messages_of(page) -> str:
    return page.inner_text("ul.messages")


def version_row(page):
    return page.locator(f"[data-testid=dev-versions] tr[data-user-version='{VERSION}']")


def read_qr(locator) -> str:
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))
    return code.text


def test_upload_experience_review_approval_release_and_the_phone_launches_the_version(
    site, computer, phone, tester_phone, desk, app, reviewer, screenshot, tmp_path
):
    """VER-1 → VER-2 → VER-3 → the desk → VER-6 → the launch page, in Chinese."""
    page = computer
    appid = app.miniprogram.appid
    console_login(page, phone, site, app, ADMIN)

    # VER-1: upload a package from the console
    page.goto(f"{site.url}/versions/")
    assert page.inner_text("main h1") == "版本管理"
    assert page.locator("[data-testid=no-versions]").is_visible()
    dev_card = page.inner_text("[data-testid=dev-card]")
    assert "每位开发者最近一次上传的版本。" in dev_card and "Each developer" not in dev_card
    with page.expect_navigation():
        page.click("[data-testid=upload-link]")
    archive = tmp_path / "miniprogram.zip"
    archive.write_bytes(package_bytes("journey", pages=PAGES))
    page.set_input_files("input[name=archive]", str(archive))
    page.fill("input[name=user_version]", VERSION)
    page.fill("textarea[name=user_desc]", NOTE)
    screenshot(page, "versions-01-upload-form")
    with page.expect_navigation():
        page.click("[data-testid=upload]")
    assert page.url == f"{site.url}/versions/"
    assert f"版本 {VERSION} 已上传。" in messages_of(page)
    row = version_row(page)
    assert NOTE in row.inner_text() and ADMIN.wechat_id in row.inner_text()
    assert "提交审核" in row.locator("[data-testid=submit-link]").inner_text()

    # VER-2: the experience version and its QR code
    with page.expect_navigation():
        row.locator("[data-testid=set-experience]").click()
    assert f"版本 {VERSION} 已设为体验版。" in messages_of(page)
    assert version_row(page).locator("[data-testid=experience-badge]").inner_text() == "体验版"
    assert page.inner_text("[data-testid=experience-version]") == VERSION
    qr = page.locator("[data-testid=experience-qr]")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    trial_url = read_qr(qr)
    assert trial_url == f"{site.url}/m/trial/{appid}/"
    assert page.get_attribute("[data-testid=trial-link]", "href") == trial_url
    screenshot(page, "versions-02-experience-qr")

    # the experience member scans the code: signs in on the phone, lands on the page
    tester_phone.goto(trial_url)
    assert tester_phone.url.startswith(f"{site.url}/m/login/")
    tester_phone.fill("input[name=wechat_id]", TESTER.wechat_id)
    tester_phone.fill("input[name=password]", TESTER.password)
    with tester_phone.expect_navigation():
        tester_phone.click("[data-testid=mobile-login-submit]")
    assert tester_phone.url == trial_url
    assert tester_phone.inner_text("[data-testid=trial-version]") == VERSION
    assert tester_phone.inner_text("[data-testid=trial-desc]") == NOTE
    assert "如何打开此版本" in tester_phone.inner_text("[data-testid=trial-launch]")
    screenshot(tester_phone, "versions-03-phone-experience")

    # VER-3: submit for review with one item group, after the pre-checks
    with page.expect_navigation():
        version_row(page).locator("[data-testid=submit-link]").click()
    assert page.inner_text("main h1") == "提交审核"
    page.select_option("select[name=item1_address]", PAGES[0])
    page.select_option("select[name=item1_category]", f"{TOOLS[0]}:{TOOLS[1]}")
    page.fill("input[name=item1_tag]", "工具 效率")
    page.fill("input[name=item1_title]", "首页")
    page.fill("textarea[name=description]", "首页展示工具信息")
    with page.expect_navigation():
        page.click("[data-testid=check]")
    assert page.locator("[data-testid=prechecks]").is_visible()
    assert page.locator("[data-testid=prechecks-blocked]").count() == 0
    assert "这将是首次发布" in page.inner_text("[data-testid=first-release]")
    screenshot(page, "versions-04-submit-prechecks")
    with page.expect_navigation():
        page.click("[data-testid=confirm]")
    assert page.url == f"{site.url}/versions/"
    assert f"版本 {VERSION} 已提交审核。" in messages_of(page)
    assert page.inner_text("[data-testid=review-version]") == VERSION
    assert page.inner_text("[data-testid=review-state]") == "审核中"
    screenshot(page, "versions-05-in-review")

    # the reviewer claims and approves it on the ops desk
    desk.goto(f"{site.url}/ops/reviews/")
    assert desk.url.startswith(f"{site.url}/ops/login/")
    desk.fill("input[name=email]", REVIEWER_EMAIL)
    desk.fill("input[name=password]", REVIEWER_PASSWORD)
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert desk.url == f"{site.url}/ops/reviews/"
    queued = desk.locator(f"[data-testid=review-queue] tr[data-kind=code]:has-text('{appid}')")
    assert queued.count() == 1
    screenshot(desk, "versions-06-desk-queue")
    with desk.expect_navigation():
        queued.locator("a").click()
    assert "pages/index/index" in desk.inner_text("main")
    with desk.expect_navigation():
        desk.click("[data-testid=claim]")
    assert "已认领" in messages_of(desk)
    screenshot(desk, "versions-07-desk-claimed")
    with desk.expect_navigation():
        desk.click("[data-testid=approve]")
    assert desk.url == f"{site.url}/ops/reviews/"
    assert "已通过审核" in messages_of(desk)
    screenshot(desk, "versions-08-desk-approved")
    assert Submission.objects.get(miniprogram=app.miniprogram).state == SubmissionState.APPROVED

    # VER-6: approval never releases by itself; the administrator releases
    page.reload()
    assert page.inner_text("[data-testid=review-state]") == "已通过"
    assert page.locator("[data-testid=online-empty]").is_visible()
    assert not Release.objects.filter(miniprogram=app.miniprogram).exists()
    with page.expect_navigation():
        page.click("[data-testid=release]")
    # the confirmation names what goes online and that nothing is replaced
    assert page.inner_text("[data-testid=release-candidate]").startswith(VERSION)
    assert page.inner_text("[data-testid=release-replaces]") == "无：这是小程序的首次发布。"
    assert not Release.objects.filter(miniprogram=app.miniprogram).exists()
    with page.expect_navigation():
        page.click("[data-testid=release-confirm]")
    assert "版本已发布上线。" in messages_of(page)
    assert page.inner_text("[data-testid=online-version]") == VERSION
    assert page.inner_text("[data-testid=online-note]") == NOTE
    screenshot(page, "versions-09-released")

    # the phone's launch page names the version the super-app launches
    tester_phone.goto(f"{site.url}/m/launch/{appid}/")
    assert tester_phone.inner_text("[data-testid=launch-name]") == "版本旅程小程序"
    launched = tester_phone.locator("[data-testid=launch-release]")
    assert launched.get_attribute("data-version") == VERSION
    assert f"超级应用将打开版本 {VERSION}。" in launched.inner_text()
    screenshot(tester_phone, "versions-10-phone-launch")
