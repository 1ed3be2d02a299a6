"""A media_id remembers which upload made it. wechat-api 7.5: modifyheadimage takes
/cgi-bin/media/upload's temporary images and refuses /wxa/uploadmedia's ids with
40007; 7.2: setnickname's material comes from the temporary-material upload too;
8.2 names no upload for addcategory's certificates, so review images are taken there
but a video is no document. Each refusal changes nothing. (INF-4, VER-3)"""

from __future__ import annotations

from miniport.miniprograms.models import MiniProgramCategory
from tests.miniprograms.profile_support import snapshot
from tests.openapi.profile_support import (  # noqa: F401
    company_api_fixture,
    personal_api_fixture,
)
from tests.openapi.review_media_support import image, mp4_bytes, stored_files, uploadmedia


def _review_media(api, data: bytes, name: str = "shot.png", content_type="image/png") -> str:
    answer = uploadmedia(api.wire.client, api.token, data, name, content_type)
    assert answer["errcode"] == 0, answer
    return answer["mediaid"]


def test_modifyheadimage_refuses_an_uploadmedia_image_with_40007(personal_api):
    media_id = _review_media(personal_api, image("PNG", (300, 300)))
    before, files = snapshot(personal_api.miniprogram), stored_files()
    answer = personal_api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})
    assert answer["errcode"] == 40007 and answer["errmsg"].startswith("invalid media_id")
    assert snapshot(personal_api.miniprogram) == before and stored_files() == files


def test_modifyheadimage_refuses_an_uploadmedia_video_with_40007(personal_api):
    media_id = _review_media(personal_api, mp4_bytes(), "clip.mp4", "video/mp4")
    before, files = snapshot(personal_api.miniprogram), stored_files()
    answer = personal_api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})
    assert answer["errcode"] == 40007
    assert snapshot(personal_api.miniprogram) == before and stored_files() == files


def test_modifyheadimage_still_takes_a_temporary_image(personal_api):
    media_id = personal_api.upload(image("PNG", (300, 300)))
    answer = personal_api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})
    assert answer["errcode"] == 0, answer


def test_setnickname_refuses_uploadmedia_material_with_40007(company_api):
    license_id = _review_media(company_api, image("JPEG", (600, 400)))
    before, files = snapshot(company_api.miniprogram), stored_files()
    answer = company_api.post("/wxa/setnickname", {"nick_name": "素材来源", "license": license_id})
    assert answer["errcode"] == 40007, answer
    assert snapshot(company_api.miniprogram) == before and stored_files() == files


def test_setnickname_refuses_an_uploadmedia_id_among_the_other_material_with_40007(company_api):
    other = _review_media(company_api, image("JPEG", (600, 400)))
    body = {"nick_name": "素材来源", "license": company_api.upload(), "naming_other_stuff_1": other}
    before, files = snapshot(company_api.miniprogram), stored_files()
    assert company_api.post("/wxa/setnickname", body)["errcode"] == 40007
    assert snapshot(company_api.miniprogram) == before and stored_files() == files


def _medical(value: str) -> dict:
    return {
        "categories": [
            {
                "first": 8,
                "second": 801,
                "certicates": [{"key": "医疗机构执业许可证", "value": value}],
            }
        ]
    }


def test_addcategory_refuses_a_video_certificate_with_40007(company_api):
    video = _review_media(company_api, mp4_bytes(), "clip.mp4", "video/mp4")
    before, files = snapshot(company_api.miniprogram), stored_files()
    assert company_api.post("/cgi-bin/wxopen/addcategory", _medical(video))["errcode"] == 40007
    assert snapshot(company_api.miniprogram) == before and stored_files() == files


def test_addcategory_takes_an_uploadmedia_image_as_a_certificate(company_api):
    picture = _review_media(company_api, image("JPEG", (600, 400)))
    answer = company_api.post("/cgi-bin/wxopen/addcategory", _medical(picture))
    assert answer["errcode"] == 0, answer
    row = MiniProgramCategory.objects.get(miniprogram=company_api.miniprogram, second_id=801)
    assert row.certificates[0]["value"] == picture
