"""INF-6 over the server API (wechat-api 8): getallcategories, addcategory,
getcategory, deletecategory, modifycategory and their errcodes."""

from __future__ import annotations

import io
import json

import pytest

from miniport.miniprograms.models import MiniProgramCategory
from miniport.miniprograms.services import categories
from tests.miniprograms.profile_support import image_bytes, snapshot, staff_reviewer


class Api:
    def __init__(self, wire, provisioned):
        self.wire = wire
        self.miniprogram = provisioned.miniprogram
        self.token = wire.token(provisioned)

    def get(self, path):
        return self.wire.get(path, access_token=self.token)

    def post(self, path, body):
        return self.wire.post(path, body, access_token=self.token)

    def upload(self, data):
        response = self.wire.client.post(
            f"/cgi-bin/media/upload?access_token={self.token}&type=image",
            {"media": io.BytesIO(data)},
        )
        return json.loads(response.content)["media_id"]


@pytest.fixture
def personal(wire, app):
    return Api(wire, app)


@pytest.fixture
def company(wire, company_app):
    return Api(wire, company_app)


def refused(api, path, body, errcode):
    before = snapshot(api.miniprogram)
    result = api.post(path, body)
    assert result["errcode"] == errcode, result
    assert snapshot(api.miniprogram) == before


def test_getallcategories_answers_the_catalog_of_the_subject(personal, company):
    """INF-6: personal and non-personal subjects see different catalogs."""
    mine = personal.get("/cgi-bin/wxopen/getallcategories")["categories_list"]["categories"]
    theirs = company.get("/cgi-bin/wxopen/getallcategories")["categories_list"]["categories"]
    assert mine[0]["id"] == 0 and mine[0]["children"]
    assert len(mine) < len(theirs)
    assert not any(c["sensitive_type"] for c in mine)
    medical = next(c for c in theirs if c["id"] == 801)
    assert (
        medical["sensitive_type"] == 1
        and medical["qualify"]["exter_list"][0]["inner_list"][0]["name"]
    )


def test_addcategory_then_getcategory_shows_status_and_quota(personal):
    result = personal.post(
        "/cgi-bin/wxopen/addcategory", {"categories": [{"first": 2, "second": 201}]}
    )
    assert result["errcode"] == 0
    state = personal.get("/cgi-bin/wxopen/getcategory")
    assert state["categories"] == [
        {
            "first": 2,
            "first_name": "教育服务",
            "second": 201,
            "second_name": "在线教育",
            "audit_status": 3,
            "audit_reason": "",
        }
    ]
    assert (state["limit"], state["quota"], state["category_limit"]) == (5, 4, 5)


def test_addcategory_errcodes(personal):
    """INF-6: 53303 invalid, 53302 other catalog, 53304 duplicate."""
    refused(
        personal, "/cgi-bin/wxopen/addcategory", {"categories": {"first": 1, "second": 101}}, 53303
    )
    refused(
        personal,
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 1, "second": 9999}]},
        53303,
    )
    refused(
        personal,
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 8, "second": 801}]},
        53302,
    )
    personal.post("/cgi-bin/wxopen/addcategory", {"categories": [{"first": 1, "second": 101}]})
    refused(
        personal,
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 1, "second": 101}]},
        53304,
    )


def test_the_limit_and_the_monthly_quota(personal):
    """INF-6: 53301 over 5 categories in one batch; 53300 after 5 additions a month."""
    six = [{"first": 1, "second": s} for s in (101, 102, 104, 105, 106, 107)]
    refused(personal, "/cgi-bin/wxopen/addcategory", {"categories": six}, 53301)
    assert personal.post("/cgi-bin/wxopen/addcategory", {"categories": six[:5]})["errcode"] == 0
    assert (
        personal.post("/cgi-bin/wxopen/deletecategory", {"first": 1, "second": 101})["errcode"] == 0
    )
    refused(personal, "/cgi-bin/wxopen/addcategory", {"categories": [six[5]]}, 53300)


def test_sensitive_categories_need_certicates_and_wait_for_review(company):
    """INF-6: 53311 without material; with it, audit_status 1; 53308 on delete."""
    refused(
        company, "/cgi-bin/wxopen/addcategory", {"categories": [{"first": 8, "second": 801}]}, 53311
    )
    media_id = company.upload(image_bytes("JPEG"))
    body = {
        "categories": [
            {
                "first": 8,
                "second": 801,
                "certicates": [{"key": "医疗机构执业许可证", "value": media_id}],
            }
        ]
    }
    assert company.post("/cgi-bin/wxopen/addcategory", body)["errcode"] == 0
    assert company.get("/cgi-bin/wxopen/getcategory")["categories"][0]["audit_status"] == 1
    refused(company, "/cgi-bin/wxopen/deletecategory", {"first": 8, "second": 801}, 53308)
    refused(
        company,
        "/cgi-bin/wxopen/modifycategory",
        {"first": 8, "second": 801, "certicates": [{"key": "许可证", "value": media_id}]},
        53307,
    )


def test_modifycategory_resubmits_a_rejected_one(company):
    media_id = company.upload(image_bytes("JPEG"))
    cert = [{"key": "金融许可证", "value": media_id}]
    company.post(
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 9, "second": 901, "certicates": cert}]},
    )
    row = MiniProgramCategory.objects.get(miniprogram=company.miniprogram)
    categories.category_review_reject(actor=staff_reviewer(), category=row, reason="过期")
    assert company.get("/cgi-bin/wxopen/getcategory")["categories"][0]["audit_status"] == 2
    result = company.post(
        "/cgi-bin/wxopen/modifycategory", {"first": 9, "second": 901, "certicates": cert}
    )
    assert result["errcode"] == 0
    assert company.get("/cgi-bin/wxopen/getcategory")["categories"][0]["audit_status"] == 1


def test_deleting_a_category_that_is_not_set_is_53303(personal):
    refused(personal, "/cgi-bin/wxopen/deletecategory", {"first": 1, "second": 101}, 53303)


def test_addcategory_needs_a_certicate_for_every_qualification(company):
    """INF-6: 802 needs two documents; one is 53311, an unknown key 53303, both pass."""
    qualifications = ["医疗机构执业许可证", "健康管理相关资质证明"]
    one = [{"key": qualifications[0], "value": company.upload(image_bytes("JPEG"))}]
    refused(
        company,
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 8, "second": 802, "certicates": one}]},
        53311,
    )
    stranger = one + [{"key": "别的证明", "value": company.upload(image_bytes("JPEG"))}]
    refused(
        company,
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 8, "second": 802, "certicates": stranger}]},
        53303,
    )
    both = one + [{"key": qualifications[1], "value": company.upload(image_bytes("JPEG"))}]
    result = company.post(
        "/cgi-bin/wxopen/addcategory",
        {"categories": [{"first": 8, "second": 802, "certicates": both}]},
    )
    assert result["errcode"] == 0, result
