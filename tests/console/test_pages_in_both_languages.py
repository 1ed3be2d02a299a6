"""B-11: every registration and login page renders in Chinese (default) and English."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.console.conftest import (
    PERSON_NAME,
    Journey,
    en_client,
    id_number,
    two_step_login,
    zh_client,
)

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "zh-hans": (zh_client, "帐号信息", "小程序注册"),
    "en": (en_client, "Account information", "Mini program registration"),
}


def assert_page(client: Client, path: str, lang: str, *texts: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html, path
    for text in texts:
        assert text in html, (path, text)
    return html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_before_login(lang):
    make_client, account_info, registration = LANGUAGES[lang]
    client = make_client()
    assert_page(client, "/", lang, {"zh-hans": "立即注册", "en": "Register now"}[lang])
    assert_page(client, "/register/", lang, account_info, registration, "①")
    assert_page(client, "/login/", lang, {"zh-hans": "登录", "en": "Log in"}[lang])
    assert_page(
        client,
        "/register/activate/nothing/",
        lang,
        {"zh-hans": "激活链接无效", "en": "invalid activation link"}[lang],
        status=400,
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_registration_wizard_pages(lang, make_identity):
    make_client, _account_info, _registration = LANGUAGES[lang]
    zh = lang == "zh-hans"
    trip = Journey(make_client(), f"{lang}@example.com")
    trip.register()
    assert_page(trip.client, "/register/sent/", lang, "检查你的邮件垃圾箱" if zh else "spam folder")
    assert_page(trip.client, "/register/status/", lang, "注册状态" if zh else "Registration status")
    trip.activate()
    assert_page(
        trip.client,
        "/register/info/",
        lang,
        "用户信息登记" if zh else "User information registration",
    )
    assert_page(
        trip.client,
        "/register/info/?subject_type=enterprise",
        lang,
        "统一社会信用代码" if zh else "Unified social credit code",
    )
    trip.save_personal_subject()
    trip.send_sms()
    trip.save_admin()
    assert_page(
        trip.client,
        "/register/admin/",
        lang,
        "管理员身份验证" if zh else "Administrator identity verification",
    )
    admin = make_identity(
        f"admin_{lang.replace('-', '_')}", real_name=PERSON_NAME, id_number=id_number()
    )
    trip.confirm_admin(admin)
    assert_page(
        trip.client,
        "/register/confirm/",
        lang,
        "主体信息提交后不可修改" if zh else "cannot be changed",
    )
    trip.confirm()
    assert_page(trip.client, "/", lang, "小程序发布流程" if zh else "Mini program release process")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_scan_and_console_pages(lang, provision):
    make_client, _a, _r = LANGUAGES[lang]
    zh = lang == "zh-hans"
    app = provision("personal")
    client = make_client()
    two_step_login(client, app)
    assert_page(client, "/login/scan/", lang, "扫码验证登录" if zh else "Verify the login by scan")
    client.post("/login/scan/complete/")
    html = assert_page(client, "/", lang, "版本管理" if zh else "Version management")
    assert ("即将上线" if zh else "coming soon") in html
