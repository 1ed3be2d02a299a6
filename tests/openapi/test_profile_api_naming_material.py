"""INF-2 over the wire (wechat-api 7.2): setnickname needs `id_card` from a personal
subject and `license` from an organisation (91009 without it); what it carries goes
to the reviewers with the request."""

from __future__ import annotations

from miniport.miniprograms.services import profile
from miniport.review.models import Review
from tests.miniprograms.profile_support import snapshot
from tests.openapi.profile_support import (  # noqa: F401
    company_api_fixture,
    personal_api_fixture,
)


def test_setnickname_of_a_personal_subject_without_id_card_is_91009(personal_api):
    """INF-2: 91009 (material needed), no review opens."""
    licence = personal_api.upload()
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post("/wxa/setnickname", {"nick_name": "缺少身份证", "license": licence})
    assert result["errcode"] == 91009, result
    assert snapshot(personal_api.miniprogram) == before


def test_setnickname_of_an_organisation_without_license_is_91009(company_api):
    """INF-2: 91009 (material needed), no review opens."""
    id_card = company_api.upload()
    before = snapshot(company_api.miniprogram)
    result = company_api.post("/wxa/setnickname", {"nick_name": "缺少执照", "id_card": id_card})
    assert result["errcode"] == 91009, result
    assert snapshot(company_api.miniprogram) == before


def test_setnickname_with_its_material_opens_a_review_carrying_it(company_api):
    """INF-2: the licence and other material are kept for the reviewers."""
    body = {
        "nick_name": "带执照的名字",
        "license": company_api.upload(),
        "naming_other_stuff_1": company_api.upload(),
    }
    result = company_api.post("/wxa/setnickname", body)
    assert result["errcode"] == 0, result
    review = Review.objects.get(pk=result["audit_id"], kind="name")
    assert profile.naming_material(review) == ["license", "naming_other_stuff_1"]
    assert profile.naming_material_image(review, "license")[1] == "JPEG"
