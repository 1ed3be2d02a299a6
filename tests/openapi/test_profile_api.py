"""INF-2..INF-5 over the server API (wechat-api 7): basic info, names, avatar,
introduction, temporary media; documented errcodes; the console's quotas."""

from __future__ import annotations

import io
import re

import pytest

from miniport.miniprograms.services import profile
from miniport.review.models import Review
from tests.miniprograms.profile_support import (
    actor_of,
    console_login,
    fresh,
    image_bytes,
    jpeg_with_exif,
    snapshot,
)


@pytest.fixture
def api(wire, app):
    token = wire.token(app)

    class Api:
        miniprogram = app.miniprogram

        def get(self, path, **params):
            return wire.get(path, access_token=token, **params)

        def post(self, path, body):
            return wire.post(path, body, access_token=token)

        def post_raw(self, path, raw):
            return wire.post_raw(path, raw, access_token=token)

        def upload(self, data: bytes, name="image.png", media_type="image"):
            import json

            response = wire.client.post(
                f"/cgi-bin/media/upload?access_token={token}&type={media_type}",
                {"media": io.BytesIO(data)} if data is not None else {},
            )
            assert response.status_code == 200
            return json.loads(response.content)

    return Api()


def test_basic_info_reports_names_and_change_counts(api):
    """INF-8 over the wire: getaccountbasicinfo answers GET and POST."""
    mp = api.miniprogram
    profile.introduction_change(actor=actor_of(mp), miniprogram=mp, introduction="开发教学")
    for result in (
        api.get("/cgi-bin/account/getaccountbasicinfo"),
        api.post_raw("/cgi-bin/account/getaccountbasicinfo", b""),
    ):
        assert result["errcode"] == 0
        assert result["appid"] == mp.appid and result["account_type"] == 3
        assert result["principal_type"] == 0
        assert result["signature_info"] == {
            "signature": "开发教学",
            "modify_used_count": 1,
            "modify_quota": 5,
        }
        assert result["nickname_info"]["modify_quota"] == 2
        assert result["head_image_info"]["modify_quota"] == 5


def id_card(api) -> str:
    """The naming material a personal subject's setnickname needs (wechat-api 7.2)."""
    return api.upload(image_bytes("JPEG", (600, 400)))["media_id"]


def test_setnickname_opens_a_review_and_querynickname_follows_it(api):
    """INF-2: the name waits for review; audit_stat 1 while pending."""
    result = api.post("/wxa/setnickname", {"nick_name": "接口里的名字", "id_card": id_card(api)})
    assert result["errcode"] == 0 and result["audit_id"]
    state = api.post("/wxa/api_wxa_querynickname", {"audit_id": result["audit_id"]})
    assert (state["nickname"], state["audit_stat"]) == ("接口里的名字", 1)
    assert api.post("/wxa/api_wxa_querynickname", {"audit_id": 999999})["errcode"] == 91011


@pytest.mark.parametrize(
    "name,errcode",
    [("带小程序的名字", 91004), ("123456", 91004)],
)
def test_setnickname_refuses_illegal_names_with_91004(api, name, errcode):
    before = snapshot(api.miniprogram)
    assert api.post("/wxa/setnickname", {"nick_name": name})["errcode"] == errcode
    assert snapshot(api.miniprogram) == before


def test_setnickname_refuses_a_taken_name_with_91007(api, provision):
    other = provision("enterprise", name="已经有人用了").miniprogram
    before = snapshot(api.miniprogram)
    assert api.post("/wxa/setnickname", {"nick_name": other.name})["errcode"] == 91007
    assert snapshot(api.miniprogram) == before


def test_a_second_setnickname_while_one_is_pending_is_refused(api):
    media_id = id_card(api)
    assert (
        api.post("/wxa/setnickname", {"nick_name": "第一个请求", "id_card": media_id})["errcode"]
        == 0
    )
    second = {"nick_name": "第二个请求", "id_card": media_id}
    assert api.post("/wxa/setnickname", second)["errcode"] == 91019
    assert Review.objects.filter(kind="name", appid=api.miniprogram.appid).count() == 1


def test_setnickname_with_an_unknown_material_media_id_is_40007(api):
    before = snapshot(api.miniprogram)
    result = api.post("/wxa/setnickname", {"nick_name": "带材料的名字", "id_card": "nope"})
    assert result["errcode"] == 40007
    assert snapshot(api.miniprogram) == before


def test_checkwxverifynickname_uses_the_53xxx_codes(api, provision):
    other = provision("enterprise", name="别人的名字").miniprogram
    assert api.post("/cgi-bin/wxverify/checkwxverifynickname", {"nick_name": "空闲名字"}) == {
        "errcode": 0,
        "errmsg": "ok",
        "hit_condition": False,
        "wording": "",
    }
    assert (
        api.post("/cgi-bin/wxverify/checkwxverifynickname", {"nick_name": "小程序"})["errcode"]
        == 53010
    )
    assert (
        api.post("/cgi-bin/wxverify/checkwxverifynickname", {"nick_name": other.name})["errcode"]
        == 53013
    )
    assert not Review.objects.exists()


def test_modifysignature_changes_the_introduction_and_refuses_bad_lengths(api):
    """INF-5 over the wire."""
    assert (
        api.post("/cgi-bin/account/modifysignature", {"signature": "接口修改的介绍"})["errcode"]
        == 0
    )
    assert fresh(api.miniprogram).introduction == "接口修改的介绍"
    before = snapshot(api.miniprogram)
    assert api.post("/cgi-bin/account/modifysignature", {"signature": "短"})["errcode"] == 40097
    assert snapshot(api.miniprogram) == before


def test_the_sixth_signature_change_of_a_month_is_53200(api):
    for n in range(5):
        assert (
            api.post("/cgi-bin/account/modifysignature", {"signature": f"第{n}次的介绍"})["errcode"]
            == 0
        )
    before = snapshot(api.miniprogram)
    assert (
        api.post("/cgi-bin/account/modifysignature", {"signature": "第六次的介绍"})["errcode"]
        == 53200
    )
    assert snapshot(api.miniprogram) == before


def test_one_change_in_the_console_and_one_over_the_api_share_the_yearly_quota(api, wire):
    """INF-4: a change through the API uses the console's quota."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    mp = api.miniprogram
    console = console_login(wire.client, mp)
    avatar = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
    assert console.post("/settings/basic/edit/avatar/", {"avatar": avatar}).status_code == 302
    media_id = api.upload(image_bytes("JPEG", (500, 500)))["media_id"]
    assert (
        api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})["errcode"]
        == 0
    )
    assert profile.allowances(fresh(mp))["avatar"].used == 2
    info = api.get("/cgi-bin/account/getaccountbasicinfo")
    assert info["head_image_info"]["modify_used_count"] == 2
    assert info["head_image_info"]["head_image_url"].endswith(".jpg")


def test_media_upload_answers_type_media_id_and_created_at_without_errcode(api):
    result = api.upload(image_bytes("PNG"))
    assert set(result) == {"type", "media_id", "created_at"} and result["type"] == "image"


@pytest.mark.parametrize(
    "data,media_type,errcode",
    [(b"plain text, not an image", "image", 40097), (None, "image", 41005)],
)
def test_media_upload_refusals(api, data, media_type, errcode):
    assert api.upload(data, media_type=media_type)["errcode"] == errcode


def test_media_upload_of_an_unknown_type_is_40004(api):
    assert api.upload(image_bytes(), media_type="voice")["errcode"] == 40004


def test_modifyheadimage_strips_exif_and_refuses_unknown_media(api):
    media_id = api.upload(jpeg_with_exif((800, 600)))["media_id"]
    result = api.post(
        "/cgi-bin/account/modifyheadimage",
        {"head_img_media_id": media_id, "x1": "0", "y1": "0", "x2": "0.75", "y2": "1"},
    )
    assert result["errcode"] == 0
    from django.core.files.storage import default_storage
    from PIL import Image

    with default_storage.open(fresh(api.miniprogram).avatar.name, "rb") as handle:
        assert not Image.open(handle).getexif()
    before = snapshot(api.miniprogram)
    assert (
        api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": "x"})["errcode"] == 40007
    )
    assert snapshot(api.miniprogram) == before


def test_a_crop_coordinate_too_large_for_a_number_is_invalid_args_and_nothing_changes(api):
    """INF-4: an integer of 400 digits in the crop box is 40097, not a system error."""
    media_id = api.upload(image_bytes("PNG", (300, 300)))["media_id"]
    before = snapshot(api.miniprogram)
    body = {"head_img_media_id": media_id, "x1": 10**400, "y1": 0, "x2": 1, "y2": 1}
    result = api.post("/cgi-bin/account/modifyheadimage", body)
    assert result["errcode"] == 40097
    assert snapshot(api.miniprogram) == before


def test_a_gif_uploaded_as_media_is_refused_as_an_avatar(api):
    """INF-4: media accepts GIF, the avatar does not."""
    media_id = api.upload(image_bytes("GIF", (300, 300)))["media_id"]
    before = snapshot(api.miniprogram)
    assert (
        api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})["errcode"]
        == 40097
    )
    assert snapshot(api.miniprogram) == before


def test_another_mini_programs_media_id_is_invalid(api, provision):
    from miniport.miniprograms.services import media

    other = provision("enterprise", name="另一个应用").miniprogram
    theirs = media.media_upload(
        actor=actor_of(other), miniprogram=other, upload=image_bytes(), media_type="image"
    )
    assert (
        api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": theirs.media_id})[
            "errcode"
        ]
        == 40007
    )


def test_wire_rules_empty_body_bad_json_and_wrong_method(api, wire):
    assert api.post_raw("/cgi-bin/account/modifysignature", b"")["errcode"] == 44002
    assert api.post_raw("/cgi-bin/account/modifysignature", b"{oops")["errcode"] == 47001
    assert api.get("/wxa/setnickname")["errcode"] == 43002
    assert api.post("/cgi-bin/wxopen/getallcategories", {})["errcode"] == 43001
    assert wire.post("/wxa/setnickname", {"nick_name": "无令牌"})["errcode"] == 41001


def test_a_refused_avatar_gives_its_reason_in_english_on_the_wire(api):
    """The wire's errmsg is English throughout: the reason within it too (it was the
    platform language's before), while the console says both in Chinese."""
    media_id = api.upload(image_bytes("PNG", (300, 300)))["media_id"]
    body = {"head_img_media_id": media_id, "x1": 0, "y1": 0, "x2": 0.01, "y2": 0.01}
    result = api.post("/cgi-bin/account/modifyheadimage", body)
    assert result["errcode"] != 0
    assert "the crop box is too small" in result["errmsg"]
    assert not re.search(r"[\u4e00-\u9fff]", result["errmsg"])


def test_a_reason_said_in_chinese_for_the_console():
    from miniport.core.errors import PlatformError, Translatable
    from miniport.miniprograms.errors import MiniProgramError

    refused = PlatformError(
        MiniProgramError.IMAGE_INVALID, reason=Translatable("the crop box is too small")
    )
    assert refused.message("en") == "invalid image: the crop box is too small"
    chinese = refused.message("zh-hans")
    assert chinese.startswith("图片不合法：") and "crop" not in chinese
