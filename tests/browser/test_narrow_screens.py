"""The console, the ops desk and the registration page on a phone-sized screen (375 px
wide): no page scrolls sideways as a whole. The menu stacks above the content, the top
bar wraps by words, wide tables scroll inside their own box and images shrink, all from
site.css's narrow-screen rules. The phone pages under /m/ keep fitting, and a desktop
keeps the menu beside the content.

The pages carry the demo data (`miniport demo`), so the tables and codes are as long as
the ones people see after `make run`, in both languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from miniport import demo
from miniport.accounts.models import Registration
from miniport.demo import payments as demo_payments
from miniport.miniprograms.models import MiniProgram
from miniport.releases.models import DevVersion
from miniport.review.models import Review, ReviewState
from tests.browser.conftest import DESKTOP, _context
from tests.miniprograms.profile_support import console_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 375, "height": 740}
# One pixel of slack for sub-pixel rounding.
FITS = NARROW["width"] + 1
LANGUAGES = ("zh-hans", "en")
CONSOLE_PAGES = (
    "/",
    "/versions/",
    "/versions/history/",
    "/members/",
    "/members/experience/",
    "/settings/basic/",
    "/settings/basic/categories/",
    "/settings/dev/",
    "/settings/dev/upload-keys/",
    "/settings/dev/webhooks/",
    "/inbox/",
    "/help/",
    # The help pages with a long command line and wide tables.
    "/help/getting-started/",
    "/help/cli/",
    "/help/api/",
)
# The shop's console: payments, orders and the plugin's tabbed pages.
SHOP_PAGES = (
    "/payments/",
    "/payments/orders/",
    "/plugin/",
    "/plugin/development/",
    "/plugin/docs/",
    "/plugin/users/",
    "/plugin/versions/",
)
OPS_PAGES = (
    "/ops/registrations/",
    "/ops/reviews/",
    "/ops/certification/fees/",
    "/ops/merchants/",
    "/ops/policy/",
    "/ops/audit/",
    "/ops/remittances/import/",
)
PUBLIC_PAGES = ("/register/", "/login/")
PHONE_PAGES = ("/m/login/", "/m/signup/")

# The page's width and, when it is too wide, the innermost elements sticking out on the
# right, so that a failure names what to fix.
MEASURE = """limit => {
    const width = document.documentElement.scrollWidth;
    if (width <= limit) return [width, []];
    const out = [...document.body.querySelectorAll('*')].filter(
        e => e.getBoundingClientRect().right > limit
            && ![...e.children].some(c => c.getBoundingClientRect().right > limit));
    return [width, out.slice(0, 8).map(e => {
        const box = e.getBoundingClientRect();
        return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
            + ` ${Math.round(box.left)}..${Math.round(box.right)}`;
    })];
}"""
# How many lines an element's text takes.
LINES = """e => {
    const range = document.createRange();
    range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


@pytest.fixture
def demo_app(db):
    """The demo data; the demo console user's mini program."""
    demo.ensure_demo_data(say=lambda _line: None)
    return MiniProgram.objects.get(account__email=demo.CONSOLE_EMAIL)


def _narrow(browser, site, language: str, session_cookie: str | None = None):
    context = _context(browser, viewport=NARROW, is_mobile=True, has_touch=True, locale="zh-CN")
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site.url}]
    if session_cookie:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": site.url}
        )
    context.add_cookies(cookies)
    return context, context.new_page()


def _console_session(miniprogram) -> str:
    """A console session of the mini program's account (its administrator's scan done),
    handed to the browser as its cookie."""
    client = console_login(Client(), miniprogram)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _ops_sign_in(page, site) -> None:
    page.goto(f"{site.url}/ops/login/")
    page.fill("input[name=email]", demo.OPS_EMAIL)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.inner_text("[data-testid=staff-email]") == demo.OPS_EMAIL


def _too_wide(page, site, paths, screenshot, name: str) -> dict[str, tuple[int, list[str]]]:
    """Visit each page; return those wider than the screen, with what sticks out (and a
    screenshot of each under var/screenshots/)."""
    found = {}
    for path in paths:
        response = page.goto(f"{site.url}{path}")
        assert response.status == 200, (path, response.status, page.url)
        width, sticking_out = page.evaluate(MEASURE, FITS)
        if width > FITS:
            found[path] = (width, sticking_out)
            slug = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            screenshot(page, f"narrow-{name}-{slug}")
    return found


def _report(found) -> str:
    return "\n".join(
        f"{path}: {width}px wide; sticking out: {', '.join(out)}"
        for path, (width, out) in found.items()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_sized_screen_no_console_page_scrolls_sideways(
    browser, site, demo_app, screenshot, language
):
    newest = DevVersion.objects.filter(miniprogram=demo_app).latest("uploaded_at")
    paths = (
        *CONSOLE_PAGES,
        f"/versions/submit/?version={newest.pk}",
        f"/versions/{newest.pk}/files/",
    )
    context, page = _narrow(browser, site, language, _console_session(demo_app))
    try:
        found = _too_wide(page, site, paths, screenshot, f"console-{language}")
    finally:
        context.close()
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_sized_screen_the_shops_payment_and_plugin_pages_do_not_scroll_sideways(
    browser, site, demo_app, screenshot, language
):
    shop = MiniProgram.objects.get(account__email=demo_payments.SHOP_EMAIL)
    context, page = _narrow(browser, site, language, _console_session(shop))
    try:
        found = _too_wide(page, site, SHOP_PAGES, screenshot, f"shop-{language}")
    finally:
        context.close()
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_sized_screen_no_ops_desk_page_scrolls_sideways(
    browser, site, demo_app, screenshot, language
):
    review = Review.objects.filter(kind="code", state=ReviewState.PENDING).latest("pk")
    registration = Registration.objects.latest("pk")
    paths = (
        *OPS_PAGES,
        f"/ops/reviews/{review.pk}/",
        f"/ops/registrations/{registration.pk}/",
    )
    context, page = _narrow(browser, site, language)
    try:
        _ops_sign_in(page, site)
        found = _too_wide(page, site, paths, screenshot, f"ops-{language}")
    finally:
        context.close()
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_sized_screen_registration_login_and_the_phone_pages_fit(
    browser, site, demo_app, screenshot, language
):
    context, page = _narrow(browser, site, language)
    try:
        found = _too_wide(page, site, PUBLIC_PAGES + PHONE_PAGES, screenshot, f"public-{language}")
    finally:
        context.close()
    assert not found, _report(found)


def test_on_a_phone_sized_screen_the_menu_sits_above_the_content_and_the_top_bar_wraps_by_words(
    browser, site, demo_app
):
    context, page = _narrow(browser, site, "zh-hans", _console_session(demo_app))
    try:
        page.goto(f"{site.url}/versions/")
        menu = page.locator("[data-testid=console-menu]").bounding_box()
        main = page.locator("main.shell-main").bounding_box()
        assert main["y"] >= menu["y"] + menu["height"] - 1, (menu, main)
        assert main["width"] >= NARROW["width"] - 1, main
        for part in ("[data-testid=topbar-app]", "[data-testid=logout]", "[data-testid=lang-en]"):
            assert page.eval_on_selector(part, LINES) == 1, part
    finally:
        context.close()
    context, page = _narrow(browser, site, "en")
    try:
        _ops_sign_in(page, site)
        for part in (
            "[data-testid=staff-email]",
            ".topbar form.inline-form button",
            "[data-testid=lang-zh]",
        ):
            assert page.eval_on_selector(part, LINES) == 1, part
    finally:
        context.close()


def test_on_a_desktop_the_console_menu_stays_beside_the_content(browser, site, demo_app):
    context = _context(browser, viewport=DESKTOP, locale="zh-CN")
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": _console_session(demo_app)}
    context.add_cookies([{**cookie, "url": site.url}])
    page = context.new_page()
    try:
        page.goto(f"{site.url}/versions/")
        menu = page.locator("[data-testid=console-menu]").bounding_box()
        main = page.locator("main.shell-main").bounding_box()
        assert main["x"] >= menu["x"] + menu["width"] - 1, (menu, main)
        assert abs(main["y"] - menu["y"]) < 1, (menu, main)
        assert page.locator("header.topbar").bounding_box()["height"] == 56
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    finally:
        context.close()
