"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: the test setup installs the distribution's
Chromium (scripts/ensure-chromium.sh) and the tests launch that binary. Each actor (the
developer at the computer, the identity on the phone) gets its own browser context, so
they share no cookies, exactly like two devices.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from captcha.models import CaptchaStore
from django.conf import settings as django_settings
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from miniport.core import sms

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE_SCREEN = {"width": 390, "height": 844}
# Long enough for ticket-poll.js (one poll every 1.5 s) on a loaded machine.
STEP_TIMEOUT_MS = 15_000
SCREENSHOT_ATTEMPTS = 3


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str):
    """In CI a missing browser is a broken setup, not a reason to skip."""
    if _in_ci():
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing; `make browser-deps` installs Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in the test thread, which Django's
        # async-safety check mistakes for async code around the test's own ORM calls.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # Without user_data_dir Playwright gives the browser a fresh temporary profile.
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def site(live_server, settings):
    """The live server, with mails and QR links pointing at it."""
    settings.SITE_URL = live_server.url
    return live_server


def _context(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    return context


@pytest.fixture
def computer(browser, site):
    """The developer's desktop browser, Chinese like the platform's default."""
    context = _context(browser, viewport=DESKTOP, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, site):
    """The identity's phone: a second, separate browser context."""
    context = _context(
        browser, viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under var/screenshots/ for people to look at."""
    folder = Path(django_settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = folder / f"{name}.png"
        # Chromium sometimes answers "Unable to capture screenshot" while its
        # compositor is busy with the page just loaded; the picture is for
        # people, so try again after a frame, then settle for the viewport.
        for attempt in range(SCREENSHOT_ATTEMPTS):
            try:
                page.screenshot(path=str(path), full_page=True)
                return path
            except PlaywrightError:
                page.wait_for_timeout(250 * (attempt + 1))
        page.screenshot(path=str(path))
        return path

    return save


@dataclass(frozen=True)
class PhoneUser:
    wechat_id: str
    password: str


def phone_sign_in(page, site, user: PhoneUser) -> None:
    page.goto(f"{site.url}/m/login/")
    page.fill("input[name=wechat_id]", user.wechat_id)
    page.fill("input[name=password]", user.password)
    with page.expect_navigation():
        page.click("[data-testid=mobile-login-submit]")
    assert page.locator("[data-testid=mobile-identity]").is_visible()


def scan_link(page, site) -> str:
    """What the phone's camera reads from the QR code on the page; it must be the same
    confirmation link the page shows under the code, pointing at the live server."""
    shot = page.locator("[data-testid=ticket] img").screenshot()
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    href = page.get_attribute("[data-testid=scan-link]", "href")
    assert code.text == href, (code.text, href)
    assert href.startswith(f"{site.url}/m/scan/"), href
    return href


def captcha_answer(page) -> str:
    """Read the captcha as a person reads the image: its answer, from the store."""
    key = page.get_attribute("input[name=captcha_0]", "value")
    return CaptchaStore.objects.get(hashkey=key).response


def sms_code(phone_number: str) -> str:
    return re.search(r"\b(\d{6})\b", sms.messages_to(phone_number)[-1]["text"]).group(1)


@pytest.fixture
def desk(browser, site):
    """An operator's desktop at the ops desk."""
    context = _context(browser, viewport=DESKTOP, locale="zh-CN")
    yield context.new_page()
    context.close()


def console_sign_in(page, site, app) -> None:
    """The administrator's email and password, the scan confirmed for it on the server
    (for tests about what comes after signing in)."""
    from miniport.identities import services as identity_services
    from miniport.identities.models import QrTicket

    page.goto(f"{site.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    ticket = QrTicket.objects.filter(purpose="login", status="pending").latest("pk")
    identity_services.ticket_confirm(identity=app.miniprogram.admin_identity, token=ticket.token)
    page.wait_for_url(f"{site.url}/")


def console_login(page, phone, site, app, admin: PhoneUser) -> None:
    """REG-10: the administrator's email and password, then the scan of `admin` (signed
    in on `phone`)."""
    page.goto(f"{site.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    assert page.url == f"{site.url}/login/scan/"
    phone_sign_in(phone, site, admin)
    phone.goto(scan_link(page, site))
    with phone.expect_navigation():
        phone.click("[data-testid=scan-confirm]")
    page.wait_for_url(f"{site.url}/")
    assert page.inner_text("[data-testid=appid]") == app.miniprogram.appid
