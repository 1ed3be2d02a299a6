"""B-11: the pages anyone can open are in Chinese by default and in English once the
visitor switches (the language cookie)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

# path -> (Chinese texts, English texts) the page must show
PAGES = {
    "/register/": (
        ("小程序注册", "帐号信息", "确认密码"),
        ("Mini program registration", "Confirm password"),
    ),
    "/login/": (("登录小程序管理后台", "还没有小程序？"), ("Log in to the mini program console",)),
    "/m/login/": (
        ("使用超级应用号登录", "超级应用号", "手机端"),
        ("Sign in with your Super App ID", "Super App ID"),
    ),
    "/ops/login/": (
        ("工作人员登录", "运营后台", "仅供平台工作人员使用"),
        ("Staff sign-in", "Operations desk"),
    ),
}


def _html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_first_visit_shows_the_page_in_chinese(path):
    """B-11: no cookie, no Accept-Language: Chinese, and none of the English texts."""
    chinese, english = PAGES[path]
    html = _html(Client(), path)
    assert '<html lang="zh-hans">' in html
    for text in chinese:
        assert text in html, text
    for text in english:
        assert text not in html, text
    assert 'data-testid="lang-en"' in html, "the switch to English is offered"


@pytest.mark.parametrize("path", PAGES)
def test_the_language_cookie_shows_the_page_in_english(path):
    """B-11: with the language cookie set to English the same page is English."""
    chinese, english = PAGES[path]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _html(client, path)
    assert '<html lang="en">' in html
    for text in english:
        assert text in html, text
    assert chinese[0] not in html
    assert 'data-testid="lang-zh"' in html, "the switch back to Chinese is offered"


def test_the_switch_button_turns_the_following_pages_english_and_back():
    """B-11: the language button posts to set_language, which sets the cookie."""
    client = Client()
    assert "工作人员登录" in _html(client, "/ops/login/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ops/login/"})
    assert response.status_code == 302 and response["Location"] == "/ops/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Staff sign-in" in _html(client, "/ops/login/")
    assert "Sign in with your Super App ID" in _html(client, "/m/login/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/m/login/"})
    assert "使用超级应用号登录" in _html(client, "/m/login/")


def test_an_unknown_language_keeps_chinese():
    """B-11: only the two offered languages exist; anything else falls back to Chinese."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = _html(client, "/login/")
    assert '<html lang="zh-hans">' in html
    assert "登录小程序管理后台" in html
