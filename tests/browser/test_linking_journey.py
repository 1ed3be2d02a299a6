"""Issue 13's official-account and open-platform journeys in a real browser.

OA-3: the official account's administrator signs in to /linked/ by scan, opens the
official account's console and asks to associate a mini program by its AppID; the mini
program's administrator finds the request waiting on the phone and confirms it; both
sides list the association; the menu editor places the mini program in the menu; the
mini program's side unlinks it.

OPN-1: in a mini program's console, Settings › Association settings › Open platform:
create an open platform account, upload a qualification document, an operator approves
it on the ops desk, then the account binds the mini program itself and a second one by
AppID, each confirmed by its administrator's scan; the bound list shows both.

Only the starting world (identities, mini programs, the official account, the operator)
is made in Python; every step goes through the pages. Screenshots: var/screenshots/linking-*.png.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from miniport.accounts.models import Account, AccountKind
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.links.official_accounts import services as oa_services
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink
from miniport.links.open_platform.models import Certification, OpenAccount, OpenBinding
from tests.browser.conftest import (
    DESKTOP,
    PHONE_SCREEN,
    PhoneUser,
    _context,
    console_login,
    phone_sign_in,
    scan_link,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OA_ADMIN = PhoneUser(wechat_id="oa_journey_admin", password="phone-pass-31")
MP_ADMIN = PhoneUser(wechat_id="link_mp_admin", password="phone-pass-32")
SECOND_ADMIN = PhoneUser(wechat_id="link_second_admin", password="phone-pass-33")
OPERATOR_EMAIL = "open-reviewer@miniport.example"
OPERATOR_PASSWORD = "Desk-pass-31"
OA_NAME = "旅程公众号"
MENU_NAME = "打开小程序"
FALLBACK = "https://example.com/fallback"


def _identity(user: PhoneUser, real_name: str, sequence: int):
    return identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=user.wechat_id,
        real_name=real_name,
        id_number=make_id_number(date(1988, 3, 9), sequence=sequence),
        phone="",
        password=user.password,
    )


def _page(browser, *, phone: bool = False):
    if phone:
        return _context(
            browser, viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, locale="zh-CN"
        ).new_page()
    return _context(browser, viewport=DESKTOP, locale="zh-CN").new_page()


def _png(folder, name: str):
    path = folder / name
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def _messages(page) -> str:
    return page.inner_text("ul.messages")


def _confirm_pending_on_phone(phone, site) -> None:
    """The administrator opens the confirmation waiting in the phone's list and confirms."""
    phone.goto(f"{site.url}/m/")
    with phone.expect_navigation():
        phone.click("[data-testid=open-scan]")
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")


def _open_link_settings(page, site, part: str) -> None:
    """Settings › Association settings (the console's menu) › the part's page (the hub)."""
    with page.expect_navigation():
        page.click("[data-testid=console-menu] a[data-menu=link_settings]")
    assert page.url == f"{site.url}/settings/links/"
    with page.expect_navigation():
        page.click(f"[data-testid=links-page] a[href='/settings/links/{part}/']")
    assert page.url == f"{site.url}/settings/links/{part}/"


# --- OA-3 ------------------------------------------------------------------------------------


@pytest.fixture
def oa_world(db, provision):
    _identity(MP_ADMIN, "郑一", 731)
    mp = provision("enterprise", admin_wechat_id=MP_ADMIN.wechat_id, name="关联旅程小程序")
    admin = _identity(OA_ADMIN, "冯二", 732)
    oa, _secret = oa_services.official_account_create(
        actor=Actor.system("tests"), name=OA_NAME, admin=admin
    )
    return mp, oa


def test_oa3_an_official_account_associates_a_mini_program_puts_it_in_its_menu_and_is_unlinked(
    browser, site, computer, phone, oa_world, screenshot
):
    provisioned, oa = oa_world
    mp = provisioned.miniprogram

    # The official account's administrator signs in to /linked/ by one scan.
    computer.goto(f"{site.url}/linked/")
    assert "/linked/signin/" in computer.url
    screenshot(computer, "linking-oa-01-signin")
    phone_sign_in(phone, site, OA_ADMIN)
    phone.goto(scan_link(computer, site))
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    computer.wait_for_url(f"{site.url}/linked/")
    entry = computer.locator("[data-testid=linked-home-entry]")
    assert entry.count() == 1 and OA_NAME in entry.inner_text()
    screenshot(computer, "linking-oa-02-home")
    with computer.expect_navigation():
        entry.click()
    assert computer.url == f"{site.url}/oa/{oa.appid}/"
    assert computer.get_attribute("[data-testid=oa-console]", "data-appid") == oa.appid

    # OA-3: associate the mini program by its AppID: it waits for its administrator.
    computer.fill("[data-testid=oa-link-form] input[name=appid]", mp.appid)
    with computer.expect_navigation():
        computer.click("[data-testid=oa-link-submit]")
    row = computer.locator(f"[data-testid=oa-link-rows] tr[data-appid='{mp.appid}']")
    assert row.get_attribute("data-status") == str(int(LinkStatus.WAITING))
    link = OfficialAccountLink.objects.get()
    assert link.status == LinkStatus.WAITING
    screenshot(computer, "linking-oa-03-waiting")

    # The mini program's administrator: its console lists the request as waiting ...
    mp_computer, mp_phone = _page(browser), _page(browser, phone=True)
    console_login(mp_computer, mp_phone, site, provisioned, MP_ADMIN)
    _open_link_settings(mp_computer, site, "official")
    mp_row = mp_computer.locator(f"[data-testid=oa-rows] tr[data-appid='{oa.appid}']")
    assert mp_row.get_attribute("data-status") == str(int(LinkStatus.WAITING))
    screenshot(mp_computer, "linking-oa-04-mp-waiting")

    # ... and the administrator confirms it from the phone's pending list.
    _confirm_pending_on_phone(mp_phone, site)
    screenshot(mp_phone, "linking-oa-05-phone-confirmed")
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED

    # Both sides list it as linked.
    computer.reload()
    assert row.get_attribute("data-status") == str(int(LinkStatus.LINKED))
    mp_computer.reload()
    assert mp_row.get_attribute("data-status") == str(int(LinkStatus.LINKED))
    screenshot(mp_computer, "linking-oa-06-mp-linked")

    # The menu editor places the mini program in the official account's menu.
    with computer.expect_navigation():
        computer.click("[data-testid=oa-tab-menu]")
    assert computer.url == f"{site.url}/oa/{oa.appid}/menu/"
    computer.select_option("select[name=button_0_type]", "miniprogram")
    computer.fill("input[name=button_0_name]", MENU_NAME)
    computer.fill("input[name=button_0_url]", FALLBACK)
    computer.select_option("select[name=button_0_appid]", mp.appid)
    computer.fill("input[name=button_0_pagepath]", "pages/index/index")
    with computer.expect_navigation():
        computer.click("[data-testid=oa-menu-save]")
    assert computer.url == f"{site.url}/oa/{oa.appid}/menu/", computer.inner_text("main")
    oa.refresh_from_db()
    assert oa.menu == [
        {
            "type": "miniprogram",
            "name": MENU_NAME,
            "url": FALLBACK,
            "appid": mp.appid,
            "pagepath": "pages/index/index",
        }
    ]
    assert computer.input_value("select[name=button_0_appid]") == mp.appid
    screenshot(computer, "linking-oa-07-menu")

    # The mini program's side unlinks it; both sides see the association ended.
    with mp_computer.expect_navigation():
        mp_row.locator("[data-testid=oa-unlink]").click()
    # first a confirmation naming the official account; only its button unlinks
    confirm = mp_computer.locator("[data-testid=oa-unlink-confirm]")
    assert oa.name in confirm.inner_text()
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    with mp_computer.expect_navigation():
        confirm.locator("[data-testid=confirm-submit]").click()
    assert mp_computer.url == f"{site.url}/settings/links/official/"
    link.refresh_from_db()
    assert link.status != LinkStatus.LINKED
    assert (
        mp_computer.locator(
            f"[data-testid=oa-rows] tr[data-appid='{oa.appid}'][data-status='1']"
        ).count()
        == 0
    )
    screenshot(mp_computer, "linking-oa-08-mp-unlinked")
    with computer.expect_navigation():
        computer.click("[data-testid=oa-tab-links]")
    assert (
        computer.locator(
            f"[data-testid=oa-link-rows] tr[data-appid='{mp.appid}'][data-status='1']"
        ).count()
        == 0
    )
    screenshot(computer, "linking-oa-09-oa-unlinked")
    # The menu editor still opens once the mini program it names is no longer linked.
    with computer.expect_navigation() as shown:
        computer.click("[data-testid=oa-tab-menu]")
    assert shown.value.status == 200
    screenshot(computer, "linking-oa-10-menu-after-unlink")
    for page in (mp_computer, mp_phone):
        page.context.close()


# --- OPN-1 -----------------------------------------------------------------------------------


@pytest.fixture
def open_world(db, provision):
    _identity(MP_ADMIN, "陈三", 733)
    owner = provision("enterprise", admin_wechat_id=MP_ADMIN.wechat_id, name="开放旅程小程序")
    _identity(SECOND_ADMIN, "褚四", 734)
    second = provision("personal", admin_wechat_id=SECOND_ADMIN.wechat_id, name="第二小程序")
    Account.objects.create_user(
        OPERATOR_EMAIL, OPERATOR_PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )
    return owner, second.miniprogram


def _bind(computer, site, appid: str, admin_phone, *, expected: int) -> None:
    """Bind `appid` from the account's page; its administrator confirms on the phone."""
    computer.fill("[data-testid=bind-form] input[name=appid]", appid)
    with computer.expect_navigation():
        computer.click("[data-testid=bind]")
    assert computer.locator("[data-testid=ticket]").is_visible(), computer.inner_text("main")
    assert appid in computer.inner_text("[data-testid=binding-appid]")
    _confirm_pending_on_phone(admin_phone, site)
    # The page follows its ticket and goes on by itself once the scan is confirmed.
    computer.wait_for_selector(f"[data-testid=bound-row]:has-text('{appid}')")
    assert f"{appid} is bound" in computer.inner_text("ul.messages") or (
        f"{appid} 已绑定" in computer.inner_text("ul.messages")
    )
    assert computer.locator("[data-testid=bound-row]").count() == expected


def test_opn1_an_open_account_is_created_certified_on_the_desk_and_binds_two_mini_programs(
    browser, site, computer, phone, desk, open_world, screenshot, tmp_path
):
    owner, second = open_world
    mp = owner.miniprogram

    console_login(computer, phone, site, owner, MP_ADMIN)
    _open_link_settings(computer, site, "open")
    screenshot(computer, "linking-open-01-index")
    with computer.expect_navigation():
        computer.click("[data-testid=create-open]")
    account = OpenAccount.objects.get()
    assert computer.url == f"{site.url}/settings/links/open/{account.open_appid}/"
    assert account.certification == Certification.NONE
    # The mini program it was created from is bound to it at once.
    assert computer.locator("[data-testid=bound-row]").count() == 1
    assert computer.locator("[data-testid=bind-form]").count() == 0  # not certified yet

    # The developer qualification certification: one document, to the ops desk.
    computer.set_input_files("input[name=document_1]", str(_png(tmp_path, "licence.png")))
    with computer.expect_navigation():
        computer.click("[data-testid=certify]")
    account.refresh_from_db()
    assert account.certification != Certification.NONE, computer.inner_text("main")
    screenshot(computer, "linking-open-02-submitted")

    # An operator approves it on the desk.
    desk.goto(f"{site.url}/ops/reviews/")
    assert desk.url.startswith(f"{site.url}/ops/login/")
    desk.fill("input[name=email]", OPERATOR_EMAIL)
    desk.fill("input[name=password]", OPERATOR_PASSWORD)
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert desk.url == f"{site.url}/ops/reviews/"
    queued = desk.locator("[data-testid=review-queue] tr[data-kind=open_certification]")
    assert queued.count() == 1
    with desk.expect_navigation():
        queued.locator("a").first.click()
    screenshot(desk, "linking-open-03-desk")
    with desk.expect_navigation():
        desk.click("[data-testid=claim]")
    with desk.expect_navigation():
        desk.click("[data-testid=approve]")
    assert desk.url == f"{site.url}/ops/reviews/", desk.inner_text("main")
    account.refresh_from_db()
    assert account.certification == Certification.CERTIFIED

    # Certified: the account binds a second mini program by AppID, confirmed by its own
    # administrator's scan.
    computer.reload()
    assert computer.locator("[data-testid=bind-form]").is_visible()
    screenshot(computer, "linking-open-04-certified")
    second_phone = _page(browser, phone=True)
    phone_sign_in(second_phone, site, SECOND_ADMIN)
    _bind(computer, site, second.appid, second_phone, expected=2)
    screenshot(computer, "linking-open-05-bound")
    listed = computer.inner_text("[data-testid=bound-apps]")
    assert mp.appid in listed and second.appid in listed
    assert set(
        OpenBinding.objects.filter(open_account=account).values_list(
            "miniprogram__appid", flat=True
        )
    ) == {mp.appid, second.appid}

    # The mini program's own page says it is bound.
    with computer.expect_navigation():
        computer.click("[data-testid=breadcrumb] a[href='/settings/links/open/']")
    assert account.open_appid in computer.inner_text("[data-testid=open-binding]")
    screenshot(computer, "linking-open-06-index-bound")
    second_phone.context.close()
