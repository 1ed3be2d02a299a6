"""INF-4 / INF-2 / INF-6: a media_id that has the right shape but carries a time no
clock could have written is an invalid media_id (40007) wherever a media_id is
taken, never a system error; nothing is stored."""

from __future__ import annotations

import pytest

from tests.miniprograms.profile_support import snapshot
from tests.openapi.profile_support import (  # noqa: F401
    company_api_fixture,
    personal_api_fixture,
)

IMPOSSIBLE = [
    "ffffffffffff_aaaaaaaaaaaaaaaaaaaaaaaa",  # year ~8.9 million
    "fffffffffff_aaaaaaaaaaaaaaaaaaaaaaaa",
    "ffffffff0000_aaaaaaaaaaaaaaaaaaaaaaaa",
]


@pytest.mark.parametrize("media_id", IMPOSSIBLE)
def test_modifyheadimage_with_an_impossible_media_id_time_is_40007(personal_api, media_id):
    """INF-4: head_img_media_id of an impossible time → 40007, the avatar stays."""
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id})
    assert result["errcode"] == 40007
    assert snapshot(personal_api.miniprogram) == before


@pytest.mark.parametrize("media_id", IMPOSSIBLE)
def test_setnickname_with_an_impossible_id_card_media_id_is_40007(personal_api, media_id):
    """INF-2: id_card of an impossible time → 40007, no review opens."""
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post("/wxa/setnickname", {"nick_name": "时间错乱", "id_card": media_id})
    assert result["errcode"] == 40007
    assert snapshot(personal_api.miniprogram) == before


@pytest.mark.parametrize("media_id", IMPOSSIBLE)
def test_addcategory_with_an_impossible_certificate_media_id_is_40007(company_api, media_id):
    """INF-6: certicates[].value of an impossible time → 40007, no category."""
    before = snapshot(company_api.miniprogram)
    body = {
        "categories": [
            {
                "first": 8,
                "second": 801,
                "certicates": [{"key": "医疗机构执业许可证", "value": media_id}],
            }
        ]
    }
    assert company_api.post("/cgi-bin/wxopen/addcategory", body)["errcode"] == 40007
    assert snapshot(company_api.miniprogram) == before
