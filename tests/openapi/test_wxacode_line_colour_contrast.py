"""A mini program code's `line_color` must stand out from the white (or transparent)
background: a colour whose contrast with white is below 3:1 makes a code nobody can
scan, so getwxacode and getwxacodeunlimit refuse it (40097 naming line_color) and count
nothing; with auto_color the colour is not used and not refused. (INF-7)"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from miniport.releases.services import wxacode
from tests.openapi.code_api_support import (
    CodeApp,
    code_fixture,  # noqa: F401 - the "code" fixture
    released,
)

pytestmark = pytest.mark.django_db

LIMITED, UNLIMITED = "/wxa/getwxacode", "/wxa/getwxacodeunlimit"
WHITE = {"r": 255, "g": 255, "b": 255}


def _call(code: CodeApp, route: str, body: dict):
    raw = json.dumps(body).encode()
    response = code.wire.client.generic(
        "POST", f"{route}?{urlencode({'access_token': code.token})}", data=raw, content_type=""
    )
    assert response.status_code == 200
    return response


def _refusal(code: CodeApp, route: str, body: dict) -> dict:
    response = _call(code, route, body)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


@pytest.mark.parametrize(
    "colour",
    [
        WHITE,
        {"r": 250, "g": 250, "b": 250},
        {"r": 200, "g": 200, "b": 200},
        {"r": "255", "g": "255", "b": "0"},  # yellow
        {"r": 0, "g": 255, "b": 0},  # bright green
    ],
)
@pytest.mark.parametrize("hyaline", [False, True])
def test_a_line_colour_too_light_to_scan_is_40097_naming_line_color(code, colour, hyaline):
    released(code)
    for route, body in (
        (LIMITED, {"path": "pages/index/index"}),
        (UNLIMITED, {"scene": "a1"}),
    ):
        answer = _refusal(code, route, {**body, "line_color": colour, "is_hyaline": hyaline})
        assert answer["errcode"] == 40097
        assert answer["errmsg"].startswith(
            "invalid args: line_color: too light to scan: its contrast with the white "
            "background is below 3:1"
        ), answer
    assert wxacode.codes_made(code.miniprogram) == 0


@pytest.mark.parametrize(
    "colour",
    [
        {"r": 0, "g": 0, "b": 0},
        {"r": 200, "g": 30, "b": 30},
        {"r": 0, "g": 0, "b": 255},
        {"r": 140, "g": 140, "b": 140},  # grey at 3.4:1
    ],
)
def test_a_line_colour_dark_enough_makes_a_code(code, colour):
    response = _call(code, LIMITED, {"path": "pages/index/index", "line_color": colour})
    assert response["Content-Type"] == "image/jpeg"
    assert wxacode.codes_made(code.miniprogram) == 1


def test_with_auto_color_a_light_line_color_is_not_used_nor_refused(code):
    body = {"path": "pages/index/index", "auto_color": True, "line_color": WHITE}
    assert _call(code, LIMITED, body)["Content-Type"] == "image/jpeg"


def test_the_contrast_is_measured_against_white_as_wcag_does():
    assert wxacode.contrast_with_white((0, 0, 0)) == pytest.approx(21)
    assert wxacode.contrast_with_white((255, 255, 255)) == pytest.approx(1)
    assert wxacode.contrast_with_white((150, 150, 150)) < wxacode.MIN_CONTRAST
    assert wxacode.contrast_with_white((140, 140, 140)) >= wxacode.MIN_CONTRAST


@pytest.mark.django_db(transaction=True)
def test_wechatpy_gets_the_refusal_as_its_own_error(live_server, code):
    from wechatpy import WeChatClient
    from wechatpy.exceptions import WeChatClientException

    released(code)
    client = WeChatClient(code.appid, code.provisioned.secret, access_token=code.token)
    client.API_BASE_URL = live_server.url + "/cgi-bin/"
    client.wxa.API_BASE_URL = live_server.url + "/"
    with pytest.raises(WeChatClientException) as limited:
        client.wxa.get_wxa_code("pages/index/index", line_color=WHITE)
    assert limited.value.errcode == 40097
    assert "line_color" in limited.value.errmsg
    with pytest.raises(WeChatClientException) as unlimited:
        client.wxa.get_wxa_code_unlimited("id=9", line_color=WHITE, is_hyaline=True)
    assert unlimited.value.errcode == 40097
    assert wxacode.codes_made(code.miniprogram) == 0
