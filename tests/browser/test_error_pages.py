"""Issue 10 item 4: every error page in both languages, in a real browser, with
screenshots: styled like the rest of the site, in the page's language, with a link back
to the surface's home that works; the favicon is served.

The URL conf of tests/web/test_error_pages.py adds views that fail on purpose.
"""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.web.test_error_pages"),
]

# (what, path, status, Chinese title, English title, the home it leads to)
PAGES = [
    ("404", "/no-such-page/", 404, "页面不存在", "Page not found", "/"),
    ("404-ops", "/ops/no-such-page/", 404, "页面不存在", "Page not found", "/ops/"),
    ("404-mobile", "/m/no-such-page/", 404, "页面不存在", "Page not found", "/m/"),
    ("403", "/forbidden/", 403, "没有访问权限", "Access denied", "/"),
    ("500", "/boom/", 500, "系统出错了", "Something went wrong", "/"),
    ("500-ops", "/ops/boom/", 500, "系统出错了", "Something went wrong", "/ops/"),
]
LANGS = {"zh": "zh-hans", "en": "en"}


def _set_language(page, site, lang: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": LANGS[lang], "url": site.url}]
    )


def _check(page, status_text: str, title: str, other_title: str, lang: str) -> None:
    assert page.get_attribute("html", "lang") == LANGS[lang]
    assert page.inner_text("[data-testid=error-title]") == title
    assert page.inner_text(".error-status") == status_text
    body = page.inner_text("body")
    assert other_title not in body
    assert "Traceback" not in body and "internal-detail" not in body
    # The project's base template: its top bar and stylesheet are there.
    assert page.locator("header.topbar").is_visible()
    # The button wears the site's own green (the --green variable of site.css), not a
    # browser default: the stylesheet loaded.
    green = page.evaluate(
        "(() => { const probe = document.createElement('span');"
        " probe.style.color = getComputedStyle(document.documentElement)"
        ".getPropertyValue('--green'); document.body.appendChild(probe);"
        " return getComputedStyle(probe).color; })()"
    )
    assert green.startswith("rgb(")
    button = page.evaluate("getComputedStyle(document.querySelector('.btn')).backgroundColor")
    assert button == green


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("what, path, status, zh, en, home", PAGES, ids=[p[0] for p in PAGES])
def test_every_error_page_in_both_languages(
    site, computer, screenshot, lang, what, path, status, zh, en, home
):
    """Issue 10 item 4: the page, its language, and the way home."""
    page = computer
    _set_language(page, site, lang)
    response = page.goto(f"{site.url}{path}")
    assert response.status == status
    title, other = (zh, en) if lang == "zh" else (en, zh)
    _check(page, str(status), title, other, lang)
    screenshot(page, f"error-{what}-{lang}")
    link = page.locator("[data-testid=error-home]")
    assert link.get_attribute("href") == home
    with page.expect_navigation():
        link.click()
    assert page.url.startswith(f"{site.url}{home}")
    assert page.locator("[data-testid=error-page]").count() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_expired_form_page_in_both_languages(site, computer, screenshot, lang):
    """Issue 10 item 4: a login form sent after its CSRF cookie is gone (an expired
    page) shows the styled "form has expired" page, not Django's debug text."""
    page = computer
    _set_language(page, site, lang)
    page.goto(f"{site.url}/login/")
    page.context.clear_cookies()
    _set_language(page, site, lang)
    page.fill("input[name=email]", "someone@example.com")
    page.fill("input[name=password]", "not-the-password-1")
    with page.expect_navigation() as navigation:
        page.click("[data-testid=login-form] button[type=submit]")
    assert navigation.value.status == 403
    title, other = (
        ("表单已失效", "The form has expired")
        if lang == "zh"
        else ("The form has expired", "表单已失效")
    )
    _check(page, "403", title, other, lang)
    assert "CSRF" not in page.inner_text("body")
    screenshot(page, f"error-csrf-{lang}")
    with page.expect_navigation():
        page.click("[data-testid=error-home]")
    assert page.url.startswith(f"{site.url}/")


def test_the_error_page_switches_language_in_place(site, computer, screenshot):
    """Issue 10 item 4: the language button of the 404 page shows the same page in
    English."""
    page = computer
    page.goto(f"{site.url}/no-such-page/")
    assert page.inner_text("[data-testid=error-title]") == "页面不存在"
    with page.expect_navigation():
        page.click("[data-testid=lang-en]")
    assert page.inner_text("[data-testid=error-title]") == "Page not found"


def test_the_favicon_is_served_and_linked(site, computer):
    """Issue 10 item 4: /favicon.ico answers the icon; the pages link the SVG icon."""
    page = computer
    response = page.goto(f"{site.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    page.goto(f"{site.url}/login/")
    href = page.get_attribute("link[rel=icon][type='image/svg+xml']", "href")
    icon = page.request.get(f"{site.url}{href}")
    assert icon.status == 200 and b"<svg" in icon.body()
