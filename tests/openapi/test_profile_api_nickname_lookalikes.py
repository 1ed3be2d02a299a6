"""INF-2 over the wire (wechat-api 7.2, 7.4): checkwxverifynickname and setnickname
refuse a name with a character that prints nothing (53010 / 91004, saying why) and a
full-width or differently cased copy of a name already held (53013 / 91007)."""

from __future__ import annotations

import pytest

from miniport.review.models import Review
from tests.miniprograms.profile_support import snapshot
from tests.openapi.profile_support import personal_api_fixture  # noqa: F401

CHECK = "/cgi-bin/wxverify/checkwxverifynickname"
INVISIBLE = ["\u200b", "\u00ad", "\ufeff", "\u202e"]


@pytest.fixture
def held(provision):
    return provision("enterprise", name="探针二号").miniprogram


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_checkwxverifynickname_refuses_a_look_alike_with_an_invisible_character(
    personal_api, held, char
):
    result = personal_api.post(CHECK, {"nick_name": f"探{char}针二号"})
    assert result["errcode"] == 53010
    assert result["errmsg"].startswith("nickname format illegal: it must not contain invisible")
    assert not Review.objects.exists()


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_setnickname_refuses_a_look_alike_with_an_invisible_character(personal_api, held, char):
    id_card = personal_api.upload()
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post(
        "/wxa/setnickname", {"nick_name": f"探{char}针二号", "id_card": id_card}
    )
    assert result["errcode"] == 91004
    assert snapshot(personal_api.miniprogram) == before


def test_a_full_width_copy_of_a_held_name_is_taken_on_the_wire(personal_api, provision):
    provision("enterprise", name="Probe 书店")
    assert personal_api.post(CHECK, {"nick_name": "ＰＲＯＢＥ 书店"})["errcode"] == 53013
    id_card = personal_api.upload()
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post("/wxa/setnickname", {"nick_name": "probe 书店", "id_card": id_card})
    assert result["errcode"] == 91007
    assert snapshot(personal_api.miniprogram) == before


def test_a_name_of_its_own_with_plain_characters_still_passes(personal_api, held):
    result = personal_api.post(CHECK, {"nick_name": "探针三号"})
    assert (result["errcode"], result["hit_condition"]) == (0, False)
