"""Issue 10 item 4: the 400, 403, 404, 500 and refused-CSRF pages are styled (they extend
base.html), speak the page's language, lead back to the surface's home and name no
internals; the JSON API keeps answering errcodes; a favicon exists.

The module is its own URL conf (pytest.mark.urls) so that views can fail on purpose.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from miniport.urls import handler400, handler403, handler404, handler500  # noqa: F401
from miniport.urls import urlpatterns as site_urlpatterns

SECRET = "internal-detail-7f3a"


def _boom(request):
    raise RuntimeError(f"database password is {SECRET}")


def _forbidden(request):
    raise PermissionDenied(f"rule {SECRET} refused")


def _bad(request):
    raise SuspiciousOperation(f"header {SECRET}")


urlpatterns = [
    path("boom/", _boom),
    path("ops/boom/", _boom),
    path("m/boom/", _boom),
    path("forbidden/", _forbidden),
    path("ops/forbidden/", _forbidden),
    path("bad/", _bad),
    path("cgi-bin/boom", _boom),
    path("runtime/v1/boom", _boom),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TEXTS = {
    # status: (zh title, en title)
    404: ("页面不存在", "Page not found"),
    403: ("没有访问权限", "Access denied"),
    500: ("系统出错了", "Something went wrong"),
    400: ("请求无效", "Bad request"),
    "csrf": ("表单已失效", "The form has expired"),
}
HOME = {"zh": "返回首页", "en": "Back to the home page"}


def _client(lang: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if lang == "en" else "zh-hans"
    return client


def _assert_page(response, status: int, key, lang: str, home: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    zh, en = TEXTS[key]
    # In the page's language, and only that one.
    assert (en if lang == "en" else zh) in html
    assert (zh if lang == "en" else en) not in html
    assert HOME[lang] in html
    assert f'<html lang="{"en" if lang == "en" else "zh-hans"}">' in html
    # The project's base template: its stylesheet, its top bar, the favicon.
    assert "miniport/site.css" in html and 'class="topbar"' in html
    assert 'rel="icon"' in html
    assert f'href="{home}" data-testid="error-home"' in html
    for leak in (SECRET, "Traceback", "RuntimeError", "PermissionDenied", "CSRF cookie"):
        assert leak not in html
    return html


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "url, home",
    [("/no-such-page/", "/"), ("/ops/no-such-page/", "/ops/"), ("/m/no-such-page/", "/m/")],
)
def test_404_is_styled_in_the_page_language_with_the_surface_home(lang, url, home):
    """Issue 10 item 4: Django's bare English "Not Found" is gone."""
    response = _client(lang).get(url)
    html = _assert_page(response, 404, 404, lang, home)
    assert "The requested resource was not found on this server" not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "url, home", [("/boom/", "/"), ("/ops/boom/", "/ops/"), ("/m/boom/", "/m/")]
)
def test_500_from_a_failing_view_names_no_internals(lang, url, home):
    """Issue 10 item 4: an exception inside a view is a styled 500 page, the exception's
    text nowhere on it."""
    _assert_page(_client(lang).get(url), 500, 500, lang, home)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("url, home", [("/forbidden/", "/"), ("/ops/forbidden/", "/ops/")])
def test_403_is_styled_and_hides_the_refusal_reason(lang, url, home):
    """Issue 10 item 4."""
    _assert_page(_client(lang).get(url), 403, 403, lang, home)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_400_is_styled(lang):
    """Issue 10 item 4 (a suspicious request answers 400)."""
    _assert_page(_client(lang).get("/bad/"), 400, 400, lang, "/")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "url, home", [("/login/", "/"), ("/ops/login/", "/ops/"), ("/m/login/", "/m/")]
)
def test_a_refused_csrf_check_is_a_styled_page_without_the_reason(lang, url, home):
    """Issue 10 item 4: a form posted without its CSRF cookie (an expired page) gets the
    styled 403 "form has expired" page, not Django's CSRF debug page, and nothing is
    signed in."""
    client = _client(lang)
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"email": "a@example.com", "password": "x" * 12})
    html = _assert_page(response, 403, "csrf", lang, home)
    assert "CSRF verification failed" not in html and "Forbidden" not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url",
    ["/cgi-bin/no-such-api", "/wxa/no-such-api", "/sns/no-such-api", "/runtime/v1/no-such-api"],
)
def test_the_api_answers_an_errcode_for_an_unknown_path(url):
    """Issue 10 item 4: API paths never answer a page; an unknown one is an errcode,
    with HTTP 200 like every refusal of the API (wechat-api 1.1), so SDKs read it."""
    response = _client("zh").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["errcode"] == 40097 and body["errmsg"].startswith("no such API rid: ")


@pytest.mark.parametrize("url", ["/cgi-bin/boom", "/runtime/v1/boom"])
def test_the_api_answers_system_error_for_a_failure_outside_a_route(url):
    """Issue 10 item 4: a failure on an API path is errcode -1, no page, no internals."""
    response = _client("en").get(url)
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["errcode"] == -1 and body["errmsg"].startswith("system error rid: ")
    assert SECRET not in response.content.decode()


def test_a_known_api_route_still_answers_its_own_errcode():
    """Issue 10 item 4: the routes' own refusals are unchanged (HTTP 200 and an errcode)."""
    response = _client("zh").get("/cgi-bin/token")
    assert response.status_code == 200
    assert json.loads(response.content)["errcode"] != 0


def test_the_favicon_is_served():
    """Issue 10 item 4: /favicon.ico leads to the committed icon, which is an ICO file."""
    client = _client("zh")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in b"".join(svg.streaming_content)


@pytest.mark.parametrize("url", ["/login/", "/ops/login/", "/m/login/"])
def test_the_pages_link_the_favicon(url):
    """Issue 10 item 4."""
    html = _client("zh").get(url).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_404_page_never_copies_the_query_into_its_language_switch(lang):
    """The language switch's hidden `next` field of an error page is the path alone: a
    refused request's query (a secret, an access_token) is not written back into the
    page."""
    response = _client(lang).get(
        "/no-such-page/", {"secret": SECRET, "access_token": SECRET, "password": SECRET}
    )
    html = _assert_page(response, 404, 404, lang, "/")
    assert '<input type="hidden" name="next" value="/no-such-page/">' in html


@pytest.mark.parametrize(
    "path", ["//cgi-bin/token", "//sns/jscode2session", "/wxa//no-such-api", "///runtime/v1/x"]
)
def test_an_api_path_with_doubled_slashes_is_refused_with_an_errcode_not_a_page(path):
    """nginx merges slashes before it picks a location but passes the path on as written:
    `//cgi-bin/token` is the API path the front took it for, refused as an unknown API
    path is (HTTP 200 and an errcode), never a page carrying the query's secret."""
    response = _client("zh").get(
        "/", PATH_INFO=path, QUERY_STRING=f"grant_type=client_credential&secret={SECRET}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["errmsg"].startswith("no such API rid: ")
    assert SECRET not in response.content.decode()


def test_a_pay_path_with_a_doubled_slash_is_refused_with_the_pay_envelope():
    """As for the JSON API: `//pay/orderquery` is the pay XML API's path to the front."""
    response = _client("zh").post(
        "/", b"<xml></xml>", content_type="text/xml", PATH_INFO="//pay/orderquery"
    )
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<xml><return_code><![CDATA[FAIL]]></return_code>")
