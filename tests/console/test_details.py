"""Issue 10 item 8: the details a new user stumbles on, one test (or a few) per detail.

- the captcha box has a label of its own and its image's alt text is in the page's language;
- the confirmation row of the administrator's scan shows the identity's ID, not its nickname;
- ID numbers are masked one way (core.masking: first 3 and last 4 visible) on every page;
- log out is 退出登录 on every surface;
- Chinese labels end in the full-width colon, never an ASCII one;
- a sub-page highlights its menu entry;
- "Cancel" is a button-styled link everywhere;
- the members page's ID box carries the console's text-box class.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from miniport.core.masking import mask
from tests.console.conftest import PERSON_NAME, en_client, id_number, zh_client
from tests.miniprograms.profile_support import console_login, personal_app_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "miniport"
CJK = "\u4e00-\u9fff"


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _visible_text(html: str) -> str:
    """The page's text as a person reads it: no scripts, styles or tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def _active_entries(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" data-menu="(\w+)" class="active"', html)


# --- captcha -------------------------------------------------------------------------


def test_the_captcha_box_has_a_label_of_its_own_in_chinese():
    """Issue 10 item 8: <label for> the answer box (not a fieldset legend), and a Chinese
    alternative text for the image."""
    html = _html(zh_client().get("/register/"))
    assert re.search(r'<label for="id_captcha_1"[^>]*>验证码：</label>', html), html
    assert '<input type="text" name="captcha_1"' in html
    assert "<legend" not in html.split("captcha-field", 1)[1].split("</div>", 1)[0]
    alt = re.search(r'<img src="/captcha/image/[0-9a-f]+/" alt="([^"]*)"', html).group(1)
    assert alt == "验证码图片：请输入图中的字符"


def test_the_captcha_image_speaks_english_on_english_pages():
    """Issue 10 item 8: the alt text follows the page's language."""
    html = _html(en_client().get("/register/"))
    assert re.search(r'<label for="id_captcha_1"[^>]*>Captcha:</label>', html)
    alt = re.search(r'<img src="/captcha/image/[0-9a-f]+/" alt="([^"]*)"', html).group(1)
    assert alt == "Captcha image: type the characters it shows"


# --- the scan row shows the identity's ID --------------------------------------------


def test_the_confirmation_row_shows_the_id_that_scanned_not_the_nickname(
    ready_to_confirm, personal_admin
):
    """Issue 10 item 8: the row "verified by the scan of" names the identity's ID."""
    assert personal_admin.nickname == PERSON_NAME != personal_admin.wechat_id
    html = _html(ready_to_confirm.client.get("/register/confirm/"))
    cell = re.search(r'<td data-testid="admin-identity">([^<]*)</td>', html).group(1)
    assert cell == personal_admin.wechat_id


def test_the_administrator_step_names_the_id_that_scanned(ready_to_confirm, personal_admin):
    """Issue 10 item 8: the administrator page after the scan names the same ID."""
    html = _html(ready_to_confirm.client.get("/register/admin/"))
    checked = re.search(r'data-testid="admin-checked">([^<]*)<', html).group(1)
    assert personal_admin.wechat_id in checked
    assert PERSON_NAME not in checked


# --- one masking -----------------------------------------------------------------------


def test_id_numbers_are_masked_one_way_across_pages(ready_to_confirm, personal_app):
    """Issue 10 item 8: the wizard's summary and the basic settings page mask an ID
    number the same way, core.masking's (first 3 and last 4 visible)."""
    number = id_number()
    assert mask(number) == number[:3] + "*" * (len(number) - 7) + number[-4:]
    summary = _html(ready_to_confirm.client.get("/register/confirm/"))
    assert mask(number) in summary and number not in summary

    settings_number = personal_app.subject.id_number
    client = console_login(zh_client(), personal_app)
    page = _html(client.get("/settings/basic/"))
    shown = re.search(r'data-testid="subject-id-number">[^<]*?([0-9Xx*]{15,18})<', page).group(1)
    assert shown == mask(settings_number)
    assert settings_number not in page


# --- one word for log out --------------------------------------------------------------


def test_log_out_is_one_word_on_every_surface(personal_app, make_identity):
    """Issue 10 item 8: the console, the ops desk and the phone pages all say 退出登录;
    no catalog serves 退出 alone for it."""
    with translation.override("zh-hans"):
        assert translation.gettext("Log out") == "退出登录"
        assert translation.gettext("Sign out") == "退出登录"

    console = console_login(zh_client(), personal_app)
    html = _html(console.get("/"))
    assert re.search(r'data-testid="logout">退出登录</button>', html)

    identity = make_identity("logout_check")
    phone = Client()
    signed_in = phone.post(
        "/m/login/", {"wechat_id": identity.wechat_id, "password": "secret-pass-1"}
    )
    assert signed_in.status_code == 302
    html = _html(phone.get("/m/"))
    assert re.search(r'data-testid="mobile-logout">退出登录</button>', html)

    for text in re.findall(rf"[{CJK}]+", html):
        assert text != "退出"


# --- colons ----------------------------------------------------------------------------


def test_chinese_labels_never_end_in_an_ascii_colon(ready_to_confirm, personal_app):
    """Issue 10 item 8: on the main Chinese pages (registration, login, the wizard's
    summary, basic settings, members, the phone's home) no Chinese word is followed by an
    ASCII colon: form labels and "label: value" texts use the full-width colon."""
    phone = Client()
    admin = personal_app.admin_identity
    admin.set_password("secret-pass-1")
    admin.save(update_fields=["password"])
    signed_in = phone.post("/m/login/", {"wechat_id": admin.wechat_id, "password": "secret-pass-1"})
    assert signed_in.status_code == 302
    pages = {
        "register": zh_client().get("/register/"),
        "login": zh_client().get("/login/"),
        "confirm": ready_to_confirm.client.get("/register/confirm/"),
        "phone home": phone.get("/m/"),
    }
    console = console_login(zh_client(), personal_app)
    for path in ("/", "/settings/basic/", "/members/", "/members/add/", "/settings/dev/"):
        pages[path] = console.get(path)
    problems = []
    for name, response in pages.items():
        text = _visible_text(_html(response))
        problems += [(name, m.group(0)) for m in re.finditer(rf"[{CJK}]\s*:", text)]
        assert "：" in text or name in ("/", "/members/", "/settings/dev/", "login"), name
    assert "：" in _visible_text(_html(pages["phone home"]))
    assert problems == []


# --- the menu --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, entry",
    [
        ("/members/experience/", "members"),
        ("/members/add/", "members"),
        ("/versions/history/", "versions"),
        ("/settings/basic/categories/", "basic_settings"),
        ("/settings/basic/", "basic_settings"),
        ("/", "home"),
    ],
)
def test_a_sub_page_highlights_its_menu_entry(personal_app, path, entry):
    """Issue 10 item 8: the entry whose address the page lies under is the one lit, and
    only it (the home page's "/" covers only itself)."""
    html = _html(console_login(zh_client(), personal_app).get(path))
    assert _active_entries(html) == [entry]


# --- Cancel ----------------------------------------------------------------------------


def test_cancel_is_a_button_styled_link_on_every_page():
    """Issue 10 item 8: every "Cancel" of the templates is styled as a (secondary) button."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<(a|button)\b([^>]*)>\s*\{% translate "Cancel" %\}', text):
            found.append(path.name)
            assert re.search(r'class="[^"]*\bbtn secondary\b', match.group(2)), (path, match[0])
    assert len(found) >= 5, found


# --- the members page's ID box ---------------------------------------------------------


def test_the_members_page_id_box_is_styled_like_the_other_text_boxes(personal_app):
    """Issue 10 item 8: the search box of the members page has the console's text-box
    class (styled in site.css), in both languages."""
    for client in (zh_client(), en_client()):
        html = _html(console_login(client, personal_app).get("/members/"))
        box = re.search(r'<input type="text" name="wechat_id"[^>]*>', html).group(0)
        assert 'class="input"' in box, box
    css = (TEMPLATES / "static" / "miniport" / "site.css").read_text(encoding="utf-8")
    assert ".console input.input {" in css
