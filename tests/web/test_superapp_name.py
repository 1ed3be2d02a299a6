"""Issue 10 item 3: the pages name the super-app by its configured name
(MINIPORT_SUPERAPP_NAME, default 超级应用 / "Super App"), never "WeChat", in both
languages; and no template, catalog or error message says WeChat except where it truly
means WeChat.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from miniport.core.branding import superapp_name, superapp_name_in
from miniport.core.errors import ErrorCode
from tests.console.versions_support import browser
from tests.identities.support import new_ticket
from tests.ops.journeys import confirmed_registration

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "miniport"
WECHAT = re.compile(r"WeChat|微信")
ACME = "Acme"
LANGS = {"zh": "zh-hans", "en": "en"}


def _in(lang: str, client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGS[lang]
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _assert_no_wechat(html: str, path: str) -> None:
    found = WECHAT.findall(html)
    assert not found, (
        f"{path} says {[html[max(0, m.start() - 60) : m.end() + 20] for m in WECHAT.finditer(html)]}"
    )


@pytest.fixture
def phone(db, make_identity):
    """A browser signed in on the phone pages, and its identity."""
    identity = make_identity("acme_user_1")

    def signed_in(lang: str) -> Client:
        client = _in(lang)
        response = client.post(
            reverse("mobile:login"), {"wechat_id": identity.wechat_id, "password": "secret-pass-1"}
        )
        assert response.status_code == 302
        return client

    signed_in.identity = identity
    return signed_in


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh", "en"])
@override_settings(SUPERAPP_NAME=ACME)
def test_public_pages_name_the_configured_super_app(lang):
    """Issue 10 item 3: the login pages name Acme where they name the app, never WeChat."""
    client = _in(lang)
    named = {
        "/login/": ACME,  # confirm the login with the administrator's Acme
        "/login/member/": ACME,  # scan with their Acme
        "/m/login/": f"{ACME} ID" if lang == "en" else f"{ACME}号",
    }
    for path, text in named.items():
        html = _page(client, path)
        assert text in html, (path, text)
        _assert_no_wechat(html, path)
    for path in ("/register/", "/ops/login/"):
        _assert_no_wechat(_page(client, path), path)


@pytest.mark.django_db
@pytest.mark.parametrize("lang, text", [("zh", "请用Acme扫码"), ("en", "Scan with Acme")])
@override_settings(SUPERAPP_NAME=ACME, SUPERAPP_LOGO="/static/acme-logo.png")
def test_every_qr_code_says_which_app_scans_it_with_its_logo(lang, text):
    """Issue 10 item 3: the QR box of every confirmation names the app and shows its logo
    (MINIPORT_SUPERAPP_LOGO)."""
    html = _page(_in(lang), "/login/member/")
    box = html.split('data-testid="scan-with"', 1)[1].split("</p>", 1)[0]
    assert text in box
    assert 'src="/static/acme-logo.png"' in box


@pytest.mark.django_db
def test_without_a_logo_the_qr_box_shows_the_name_alone():
    """Issue 10 item 3: no MINIPORT_SUPERAPP_LOGO, no broken image."""
    html = _page(_in("zh"), "/login/member/")
    box = html.split('data-testid="scan-with"', 1)[1].split("</p>", 1)[0]
    assert "请用超级应用扫码" in box and "<img" not in box


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh", "en"])
@override_settings(SUPERAPP_NAME=ACME)
def test_console_pages_name_the_configured_super_app(lang, provision):
    """Issue 10 item 3: home, members (the identity's "Acme ID" column) and development
    settings of a signed-in administrator."""
    app = provision("personal")
    client = browser(app.miniprogram.admin_identity, lang=LANGS[lang])
    _in(lang, client)
    members = _page(client, "/members/")
    assert (f"{ACME} ID" if lang == "en" else f"{ACME}号") in members
    for path in ("/", "/members/", "/members/experience/", "/settings/dev/", "/settings/basic/"):
        _assert_no_wechat(_page(client, path), path)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh", "en"])
@override_settings(SUPERAPP_NAME=ACME)
def test_ops_pages_name_the_configured_super_app(lang, django_user_model):
    """Issue 10 item 3: the queue says 待认证 (not 待微信认证) and the registration shows
    the administrator's Acme ID."""
    from miniport.accounts.models import AccountKind

    registration = confirmed_registration(subject_type="government", method="certification")
    staff = django_user_model.objects.create_user(
        "ops@miniport.example",
        "secret-pass-1",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client = _in(lang)
    client.force_login(staff)
    queue = _page(client, "/ops/registrations/")
    detail = _page(client, f"/ops/registrations/{registration.pk}/")
    assert (f"{ACME} ID" if lang == "en" else f"{ACME}号") in detail
    if lang == "zh":
        assert "待认证" in queue
    for path, html in (("queue", queue), ("detail", detail)):
        _assert_no_wechat(html, path)
    _assert_no_wechat(_page(client, "/ops/reviews/"), "/ops/reviews/")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh", "en"])
@override_settings(SUPERAPP_NAME=ACME)
def test_phone_pages_name_the_configured_super_app(lang, phone):
    """Issue 10 item 3: the phone's home and a confirmation page."""
    client = phone(lang)
    home = _page(client, "/m/")
    assert (f"{ACME} ID" if lang == "en" else f"{ACME}号") in home
    _assert_no_wechat(home, "/m/")
    computer = Client()
    computer.session  # noqa: B018 - starts the session so it has a key
    ticket = new_ticket(
        computer.session.session_key, purpose="login", expected_identity=phone.identity
    )
    confirm = _page(client, reverse("mobile:scan", args=[ticket.token]))
    assert 'value="confirm"' in confirm
    _assert_no_wechat(confirm, "confirm page")


@pytest.mark.django_db
@pytest.mark.parametrize("lang, name", [("zh", "超级应用"), ("en", "Super App")])
def test_without_a_setting_the_pages_say_the_translated_default(lang, name):
    """Issue 10 item 3: MINIPORT_SUPERAPP_NAME empty means 超级应用 / "Super App"."""
    html = _page(_in(lang), "/m/login/")
    assert name in html
    _assert_no_wechat(html, "/m/login/")


def test_the_helper_and_error_messages_follow_the_setting():
    """Issue 10 item 3: domain copy (error messages) names the configured app, in both
    languages; the default is translated."""
    from miniport.identities.errors import IdentityError

    assert superapp_name_in("zh-hans") == "超级应用"
    assert superapp_name_in("en") == "Super App"
    assert IdentityError.IDENTITY_LOGIN_FAILED.message("en") == "wrong Super App ID or password"
    with override_settings(SUPERAPP_NAME=ACME):
        assert str(superapp_name()) == ACME
        assert IdentityError.IDENTITY_LOGIN_FAILED.message("zh-hans") == "Acme号或密码错误"
        assert IdentityError.IDENTITY_LOGIN_FAILED.message("en") == "wrong Acme ID or password"


# --- the sweep: no copy says WeChat ----------------------------------------------------

# Files whose WeChat truly means WeChat: the compatible API's own documentation.
ALLOWED_FILES = {
    "openapi/templates/openapi/",  # the API page: wire compatibility with WeChat
    "openapi/locale/",  # its catalog
}


def _allowed(path: Path) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative.startswith(prefix) for prefix in ALLOWED_FILES)


def _copy_files() -> list[Path]:
    templates = sorted(PACKAGE.glob("**/templates/**/*.html")) + sorted(
        PACKAGE.glob("**/templates/**/*.txt")
    )
    catalogs = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))
    return [path for path in templates + catalogs if not _allowed(path)]


def _strip_template_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)


def _po_messages(text: str) -> str:
    """The msgid/msgstr lines of a catalog; the # comment lines (references) are not copy."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


@pytest.mark.parametrize(
    "path", _copy_files(), ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_no_template_or_catalog_says_wechat(path):
    """Issue 10 item 3: the copy names the super-app through superapp_name."""
    text = path.read_text(encoding="utf-8")
    text = _po_messages(text) if path.suffix == ".po" else _strip_template_comments(text)
    lines = [line.strip() for line in text.splitlines() if WECHAT.search(line)]
    assert lines == []


def _error_messages() -> list[tuple[str, str]]:
    """(where, message) of every Chinese and English message in every errors.py."""
    found = []
    for path in sorted(PACKAGE.glob("**/errors.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
                texts = [
                    item.value
                    for item in node.value.elts[1:3]
                    if isinstance(item, ast.Constant) and isinstance(item.value, str)
                ]
                name = getattr(node.targets[0], "id", "?")
                found += [(f"{path.relative_to(PACKAGE)}:{name}", text) for text in texts]
    return found


def test_no_error_message_says_wechat():
    """Issue 10 item 3: error messages (zh and en) name the app as {app}."""
    assert [(where, text) for where, text in _error_messages() if WECHAT.search(text)] == []


def test_every_error_family_is_read_by_the_sweep():
    """The sweep above reads the messages of every registered family of codes."""
    read = {where.split(":")[1] for where, _ in _error_messages()}
    for family in ErrorCode.families():
        for member in family:
            assert member.name in read, f"{family.__name__}.{member.name}"
