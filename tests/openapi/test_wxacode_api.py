"""INF-7 through the server API (wechat-api: getwxacode, getwxacodeunlimit,
createwxaqrcode): real code images that a QR reader decodes to the phone launch page of
the mini program, with the page (or scene) and, off the released version, env_version;
getwxacode and createwxaqrcode count against one lifetime total (45029), getwxacodeunlimit
does not. Refusals are JSON with HTTP 200 and count nothing."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import pytest
import zxingcpp
from PIL import Image

from miniport.core import policy
from miniport.miniprograms.services import material
from miniport.releases.services import wxacode
from tests.openapi.code_api_support import (
    CodeApp,
    code_fixture,  # noqa: F401 - the "code" fixture
    released,
)

pytestmark = pytest.mark.django_db

LIMITED, UNLIMITED, QRCODE = (
    "/wxa/getwxacode",
    "/wxa/getwxacodeunlimit",
    "/cgi-bin/wxaapp/createwxaqrcode",
)


def _call(code: CodeApp, route: str, body: dict):
    raw = json.dumps(body, ensure_ascii=False).encode()
    response = code.wire.client.generic(
        "POST", f"{route}?{urlencode({'access_token': code.token})}", data=raw, content_type=""
    )
    assert response.status_code == 200
    return response


def _refusal(code: CodeApp, route: str, body: dict) -> dict:
    response = _call(code, route, body)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _image(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def _decoded(image: Image.Image) -> str:
    """What a reader sees with the code on a white page (a transparent code too)."""
    page = Image.new("RGBA", image.size, "white")
    page.alpha_composite(image.convert("RGBA"))
    [found] = zxingcpp.read_barcodes(page.convert("RGB"))
    return found.text


def _made(code: CodeApp) -> int:
    return wxacode.codes_made(code.miniprogram)


def _launch(code: CodeApp, query: dict) -> str:
    return f"{material.launch_url(code.miniprogram)}?{urlencode(query)}"


# --- the images -------------------------------------------------------------------------


def test_getwxacode_answers_a_jpeg_that_reads_as_the_launch_page_of_the_path(code):
    response = _call(code, LIMITED, {"path": "pages/index/index?id=7"})
    assert response["Content-Type"] == "image/jpeg"
    image = _image(response)
    assert image.format == "JPEG"
    assert _decoded(image) == _launch(code, {"path": "pages/index/index?id=7"})
    assert _made(code) == 1


def test_getwxacode_off_the_release_carries_the_env_version(code):
    response = _call(code, LIMITED, {"path": "pages/logs/logs", "env_version": "trial"})
    assert _decoded(_image(response)) == _launch(
        code, {"path": "pages/logs/logs", "env_version": "trial"}
    )


def test_a_hyaline_code_is_a_transparent_png_in_the_line_colour(code):
    body = {
        "path": "pages/index/index",
        "is_hyaline": True,
        "line_color": {"r": 200, "g": 30, "b": 30},
    }
    response = _call(code, LIMITED, body)
    assert response["Content-Type"] == "image/png"
    image = _image(response).convert("RGBA")
    assert image.getpixel((0, 0))[3] == 0  # the background is see-through
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 16) or []}
    assert (200, 30, 30, 255) in colours
    assert _decoded(image) == _launch(code, {"path": "pages/index/index"})


@pytest.mark.parametrize("width", [280, 430, 1280])
def test_the_width_sets_the_images_side_to_the_nearest_module(code, width):
    image = _image(_call(code, LIMITED, {"path": "pages/index/index", "width": width}))
    assert image.width == image.height
    assert abs(image.width - width) <= width * 0.1


def test_getwxacodeunlimit_reads_as_the_scene_on_a_released_page_and_is_not_counted(code):
    released(code)
    body = {"scene": "id=42&from=poster", "page": "pages/logs/logs"}
    response = _call(code, UNLIMITED, body)
    assert response["Content-Type"] == "image/jpeg"
    assert _decoded(_image(response)) == _launch(code, body)
    assert _made(code) == 0


def test_getwxacodeunlimit_without_a_page_opens_the_home_page(code):
    released(code)
    response = _call(code, UNLIMITED, {"scene": "a1", "env_version": "develop"})
    assert _decoded(_image(response)) == _launch(code, {"scene": "a1", "env_version": "develop"})


def test_createwxaqrcode_answers_a_plain_qr_code_of_the_path_and_is_counted(code):
    response = _call(code, QRCODE, {"path": "pages/index/index?from=qr", "width": 430})
    assert response["Content-Type"] == "image/jpeg"
    assert _decoded(_image(response)) == _launch(code, {"path": "pages/index/index?from=qr"})
    assert _made(code) == 1


def test_the_document_lists_the_three_code_apis(client):
    paths = json.loads(client.get("/openapi.json").content)["paths"]
    assert {LIMITED, UNLIMITED, QRCODE} <= set(paths)


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        (LIMITED, {}, "path"),
        (LIMITED, {"path": "p" * 1025}, "path"),
        (LIMITED, {"path": "pages/index/index", "width": 279}, "width"),
        (LIMITED, {"path": "pages/index/index", "width": "wide"}, "width"),
        # thousands of digits: Python itself refuses to read them as one number
        (LIMITED, {"path": "pages/index/index", "width": "9" * 5000}, "width"),
        (LIMITED, {"path": "pages/index/index", "line_color": {"r": "9" * 5000}}, "line_color"),
        (LIMITED, {"path": "pages/index/index", "line_color": {"r": 256}}, "line_color"),
        (LIMITED, {"path": "pages/index/index", "is_hyaline": "maybe"}, "is_hyaline"),
        (LIMITED, {"path": "pages/index/index", "env_version": "beta"}, "env_version"),
        (UNLIMITED, {}, "scene"),
        (UNLIMITED, {"scene": "a" * 33}, "scene"),
        (UNLIMITED, {"scene": "场景"}, "scene"),
        (UNLIMITED, {"scene": "a b"}, "scene"),
        (UNLIMITED, {"scene": "a%b"}, "scene"),
        (UNLIMITED, {"scene": "ok", "page": "/pages/index/index"}, "page"),
        (UNLIMITED, {"scene": "ok", "env_version": "gray"}, "env_version"),
        (QRCODE, {"path": "p" * 129}, "path"),
        (QRCODE, {"path": "pages/index/index", "width": 1281}, "width"),
    ],
)
def test_an_argument_out_of_its_rules_is_40097_naming_the_field(code, route, body, field):
    answer = _refusal(code, route, body)
    assert answer["errcode"] == 40097
    assert answer["errmsg"].startswith(f"invalid args: {field}:"), answer
    assert _made(code) == 0


def test_a_page_not_in_the_released_version_is_41030_unless_check_path_is_off(code):
    released(code)
    body = {"scene": "x=1", "page": "pages/missing/missing"}
    answer = _refusal(code, UNLIMITED, body)
    assert answer["errcode"] == 41030 and "pages/missing/missing" in answer["errmsg"]
    response = _call(code, UNLIMITED, {**body, "check_path": False})
    assert _decoded(_image(response)) == _launch(code, body)
    assert _made(code) == 0


def test_with_nothing_released_check_path_is_41030_and_without_it_a_code(code):
    answer = _refusal(code, UNLIMITED, {"scene": "x=1", "page": "pages/index/index"})
    assert answer["errcode"] == 41030
    assert _refusal(code, UNLIMITED, {"scene": "x=1"})["errcode"] == 41030
    response = _call(code, UNLIMITED, {"scene": "x=1", "check_path": False})
    assert _decoded(_image(response)) == _launch(code, {"scene": "x=1"})
    assert _made(code) == 0


def test_the_lifetime_total_is_shared_by_getwxacode_and_createwxaqrcode(code, override):
    override(wxacode.COUNT_RULE, 2)
    assert _call(code, LIMITED, {"path": "pages/index/index"})["Content-Type"] == "image/jpeg"
    assert _call(code, QRCODE, {"path": "pages/index/index"})["Content-Type"] == "image/jpeg"
    assert _made(code) == 2
    for route in (LIMITED, QRCODE):
        answer = _refusal(code, route, {"path": "pages/index/index"})
        assert answer["errcode"] == 45029
        assert answer["errmsg"].startswith("qrcode count out of limit")
    assert _made(code) == 2
    # The unlimited code is not counted: it is made still.
    unlimited = _call(code, UNLIMITED, {"scene": "s", "check_path": False})
    assert unlimited["Content-Type"] == "image/jpeg"
    assert _made(code) == 2


def test_the_lifetime_total_is_a_policy_row_of_100000():
    assert policy.value(wxacode.COUNT_RULE) == 100_000


# --- wechatpy, unchanged ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_wechatpy_makes_all_three_codes_unchanged(live_server, code):
    from wechatpy import WeChatClient
    from wechatpy.exceptions import WeChatClientException

    released(code)
    client = WeChatClient(code.appid, code.provisioned.secret, access_token=code.token)
    client.API_BASE_URL = live_server.url + "/cgi-bin/"
    client.wxa.API_BASE_URL = live_server.url + "/"

    limited = client.wxa.get_wxa_code("pages/index/index?id=1", width=280)
    assert limited.headers["Content-Type"] == "image/jpeg"
    assert _decoded(_image(limited)) == _launch(code, {"path": "pages/index/index?id=1"})

    plain = client.wxa.create_qrcode("pages/logs/logs")
    assert plain.headers["Content-Type"] == "image/jpeg"
    assert _decoded(_image(plain)) == _launch(code, {"path": "pages/logs/logs"})

    unlimited = client.wxa.get_wxa_code_unlimited("id=9", page="pages/logs/logs", is_hyaline=True)
    assert unlimited.headers["Content-Type"] == "image/png"
    assert _decoded(_image(unlimited)) == _launch(
        code, {"scene": "id=9", "page": "pages/logs/logs"}
    )

    # Refusals reach wechatpy as its own error, with the errcode.
    with pytest.raises(WeChatClientException) as bad_page:
        client.wxa.get_wxa_code_unlimited("id=9", page="pages/missing/missing")
    assert bad_page.value.errcode == 41030
    with pytest.raises(WeChatClientException) as bad_scene:
        client.wxa.get_wxa_code_unlimited("空格 不行")
    assert bad_scene.value.errcode == 40097
    assert _made(code) == 2


def test_a_path_within_its_length_that_no_code_can_hold_is_refused_naming_it(code):
    """1024 characters of Chinese percent-encode to 9 KB, beyond the largest QR code:
    refused as too long, not a system error, and nothing counted."""
    before = _made(code)
    answer = _refusal(code, "/wxa/getwxacode", {"path": "页" * 1024})
    assert answer["errcode"] == 40097 and "path" in answer["errmsg"]
    unlimited = _refusal(
        code, "/wxa/getwxacodeunlimit", {"scene": "x", "check_path": False, "page": "页" * 1024}
    )
    assert unlimited["errcode"] == 40097 and "page" in unlimited["errmsg"]
    assert _made(code) == before
