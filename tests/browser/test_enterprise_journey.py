"""Issue 13's enterprise journey in a real browser (WW-1..WW-5): the enterprise's
administrator signs in to the enterprise console by scan, associates a released mini
program by its AppID; the mini program's administrator finds the request waiting on the
phone and confirms it (WW-3); the enterprise sets the visibility range to one department
(WW-4); a member of that department sees the mini program on the phone's workbench and
opens it; a member of another department does not see it, and opening it anyway is
refused; the mini program's association settings list the association (WW-5).

Only the starting world (identities, the released mini program, the enterprise with its
departments and members) is made in Python; every step goes through the pages."""

from __future__ import annotations

from datetime import date

import pytest

from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.links.enterprise.models import Association, AssociationStatus, RangeEntry
from miniport.links.enterprise.services import directory
from miniport.miniprograms.services import categories
from tests.browser.conftest import PHONE_SCREEN, PhoneUser, _context, phone_sign_in, scan_link
from tests.releases.version_support import TOOLS, App, add_member, released

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORP_ADMIN = PhoneUser(wechat_id="corp_admin_wx", password="phone-pass-21")
MP_ADMIN = PhoneUser(wechat_id="work_mp_admin", password="phone-pass-22")
IN_RANGE = PhoneUser(wechat_id="corp_engineer", password="phone-pass-23")
OUT_OF_RANGE = PhoneUser(wechat_id="corp_marketer", password="phone-pass-24")


def _identity(user: PhoneUser, real_name: str, sequence: int):
    return identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=user.wechat_id,
        real_name=real_name,
        id_number=make_id_number(date(1987, 6, 3), sequence=sequence),
        phone="",
        password=user.password,
    )


@pytest.fixture
def world(db, provision):
    """A mini program with 1.0.0 online (WW-1) and an enterprise with 研发部 (the
    engineer) and 市场部 (the marketer)."""
    _identity(MP_ADMIN, "钱二", 621)
    mp = provision("personal", admin_wechat_id=MP_ADMIN.wechat_id, name="工作台小程序").miniprogram
    developer = _identity(PhoneUser("work_mp_dev", "phone-pass-25"), "孙三", 622)
    add_member(mp, developer, kind="project", roles=("developer",))
    categories.category_add(
        actor=Actor.for_identity(mp.admin_identity), miniprogram=mp, first=TOOLS[0], second=TOOLS[1]
    )
    released(App(mp, mp.admin_identity, developer, None, None), "1.0.0")

    admin = _identity(CORP_ADMIN, "李一", 620)
    engineer = _identity(IN_RANGE, "周四", 623)
    marketer = _identity(OUT_OF_RANGE, "吴五", 624)
    corp = directory.enterprise_create(
        actor=Actor.system("tests"), name="旅程企业", admin_wechat_id=admin.wechat_id
    )
    actor = Actor.for_identity(admin)
    root = corp.departments.get()
    research = directory.department_add(actor=actor, enterprise=corp, parent=root, name="研发部")
    market = directory.department_add(actor=actor, enterprise=corp, parent=root, name="市场部")
    directory.member_add(
        actor=actor, enterprise=corp, wechat_id=engineer.wechat_id, departments=[research]
    )
    directory.member_add(
        actor=actor, enterprise=corp, wechat_id=marketer.wechat_id, departments=[market]
    )
    return mp, corp, research


def _phone(browser):
    return _context(
        browser, viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, locale="zh-CN"
    ).new_page()


def test_an_enterprise_association_reaches_the_workbench_of_members_in_range_only(
    browser, site, computer, phone, world, screenshot
):
    mp, corp, research = world
    console_url = f"{site.url}/work/{corp.corp_id}/"

    # The enterprise console's scan sign-in, then back to the enterprise.
    computer.goto(console_url)
    assert "/linked/signin/" in computer.url
    phone_sign_in(phone, site, CORP_ADMIN)
    phone.goto(scan_link(computer, site))
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    computer.wait_for_url(console_url)
    assert (
        computer.get_attribute("[data-testid=enterprise-console]", "data-corp-id") == corp.corp_id
    )

    # WW-2: associate the mini program by its AppID; it waits for the administrator's scan.
    computer.fill("input[name=appid]", mp.appid)
    with computer.expect_navigation():
        computer.click("[data-testid=enterprise-associate]")
    association = Association.objects.get()
    assert computer.get_attribute("[data-testid=enterprise-app]", "data-status") == "waiting_mp"
    screenshot(computer, "enterprise-association-waiting")

    # WW-3: the mini program's administrator finds the request on the phone and confirms.
    mp_phone = _phone(browser)
    phone_sign_in(mp_phone, site, MP_ADMIN)
    mp_phone.goto(f"{site.url}/m/")
    with mp_phone.expect_navigation():
        mp_phone.click("[data-testid=open-scan]")
    with mp_phone.expect_navigation():
        mp_phone.click("[data-testid=scan-confirm]")
    # The enterprise's page follows the ticket and shows the range editor.
    computer.wait_for_selector("[data-testid=range-form]")
    association.refresh_from_db()
    assert association.status == AssociationStatus.ACTIVE

    # WW-4: the range is one department.
    computer.check(f"input[name=departments][value='{research.pk}']")
    with computer.expect_navigation():
        computer.click("[data-testid=range-save]")
    assert list(RangeEntry.objects.values_list("department", flat=True)) == [research.pk]
    screenshot(computer, "enterprise-range-saved")

    # A member in range sees it on the workbench and opens it.
    engineer = _phone(browser)
    phone_sign_in(engineer, site, IN_RANGE)
    engineer.goto(f"{site.url}/m/work/")
    app_link = engineer.locator(f"[data-testid=workbench-app][data-appid='{mp.appid}']")
    assert app_link.is_visible()
    screenshot(engineer, "enterprise-workbench-in-range")
    with engineer.expect_navigation():
        app_link.click()
    assert engineer.get_attribute("[data-testid=workbench-launch]", "data-version") == "1.0.0"

    # A member outside the range does not see it, and opening it anyway is refused.
    marketer = _phone(browser)
    phone_sign_in(marketer, site, OUT_OF_RANGE)
    marketer.goto(f"{site.url}/m/work/")
    assert marketer.locator("[data-testid=workbench-app]").count() == 0
    assert marketer.locator("[data-testid=workbench-empty]").is_visible()
    screenshot(marketer, "enterprise-workbench-out-of-range")
    response = marketer.goto(f"{site.url}/m/work/{corp.corp_id}/{mp.appid}/")
    assert response.status == 403
    assert marketer.locator("[data-testid=workbench-refused]").is_visible()
    for page in (mp_phone, engineer, marketer):
        page.context.close()
