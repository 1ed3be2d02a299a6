"""Issue 10 item 6: in a real browser, the registration form keeps the email and the tick
and shows every error at once, the "mail sent" page opens the well-known mailbox, and
choosing a subject type shows its fields at once (submit-on-choice.js, CSP-safe), while a
browser without scripts keeps the "select" button."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser.conftest import captcha_answer

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "chooser@qq.com"
PASSWORD = "Secret-pass-1"


def register_and_activate(page, site, screenshot) -> None:
    page.goto(f"{site.url}/register/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", "short")
    page.fill("input[name=password_confirm]", "other")
    page.fill("input[name=captcha_1]", "WRONG")
    page.check("input[name=agree]")
    with page.expect_navigation():
        page.click("form[data-testid=register-form] button.btn")
    # every refusal at once; the email and the tick stay, passwords and captcha are new
    errors = page.locator("form[data-testid=register-form] .errorlist li")
    assert errors.count() == 3, errors.all_inner_texts()
    assert page.input_value("input[name=email]") == EMAIL
    assert page.is_checked("input[name=agree]")
    assert page.input_value("input[name=password]") == ""
    assert page.input_value("input[name=captcha_1]") == ""
    screenshot(page, "registration-errors-at-once")

    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.fill("input[name=captcha_1]", captcha_answer(page))
    with page.expect_navigation():
        page.click("form[data-testid=register-form] button.btn")
    assert page.url == f"{site.url}/register/sent/"
    assert page.get_attribute("[data-testid=open-mailbox]", "href") == "https://mail.qq.com/"
    screenshot(page, "registration-mail-sent-mailbox")

    [message] = [m for m in mail.outbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/register/activate/[\w-]+/", message.body).group(0)
    page.goto(link)
    assert page.url == f"{site.url}/register/info/"


def test_choosing_a_subject_type_shows_its_fields_at_once(computer, site, screenshot):
    page = computer
    register_and_activate(page, site, screenshot)

    assert page.locator("form[data-testid=subject-form]").count() == 0
    assert not page.locator("[data-choice-fallback] button").is_visible()
    with page.expect_navigation():
        page.check("form[data-testid=subject-select] input[value=enterprise]")
    assert "subject_type=enterprise" in page.url
    assert page.locator("form[data-testid=subject-form] input[name=credit_code]").is_visible()
    screenshot(page, "registration-subject-enterprise-on-choice")

    with page.expect_navigation():
        page.check("form[data-testid=subject-select] input[value=personal]")
    assert page.locator("form[data-testid=subject-form] input[name=id_number]").is_visible()
    assert page.locator("form[data-testid=subject-form] input[name=credit_code]").count() == 0


def test_without_scripts_the_select_button_stays(browser, computer, site, screenshot):
    register_and_activate(computer, site, screenshot)
    cookies = computer.context.cookies()
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(f"{site.url}/register/info/")
        page.check("form[data-testid=subject-select] input[value=personal]")
        page.wait_for_timeout(300)
        assert page.locator("form[data-testid=subject-form]").count() == 0  # no submit by itself
        button = page.locator("[data-choice-fallback] button")
        assert button.is_visible()
        with page.expect_navigation():
            button.click()
        assert page.locator("form[data-testid=subject-form] input[name=id_number]").is_visible()
    finally:
        context.close()
