"""The console is Chinese by default and switches to English with the button in the top bar."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_register_page_switches_from_chinese_to_english_and_stays_english(
    site, computer, screenshot
):
    """B-11: the same page in Chinese, then in English after one click."""
    page = computer
    page.goto(f"{site.url}/register/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.inner_text("main h1") == "帐号信息"
    screenshot(page, "language-01-register-chinese")

    with page.expect_navigation():
        page.click("[data-testid=lang-en]")
    assert page.url == f"{site.url}/register/"
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("main h1") == "Account information"
    assert page.inner_text("label[for=id_email]").startswith("Email")
    assert page.locator("[data-testid=lang-zh]").is_visible()
    screenshot(page, "language-02-register-english")

    # the choice is remembered for the next pages of this browser
    page.goto(f"{site.url}/login/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("main h1") == "Log in to the mini program console"

    with page.expect_navigation():
        page.click("[data-testid=lang-zh]")
    assert page.get_attribute("html", "lang") == "zh-hans"
