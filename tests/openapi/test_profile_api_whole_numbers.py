"""INF-6 / INF-2 over the wire: numbers that are not whole ASCII numbers get the
documented errcode (53303 for category ids, 91011 for an audit_id), never -1."""

from __future__ import annotations

import pytest

from tests.miniprograms.profile_support import snapshot
from tests.openapi.profile_support import personal_api_fixture  # noqa: F401


@pytest.mark.parametrize("first", [1.9, 1.0, "1.9", "²", "1e400", 10**30], ids=repr)
def test_addcategory_with_an_id_that_is_not_a_whole_number_is_53303(personal_api, first):
    """INF-6: 1.9 is not truncated to 1; "²" does not crash."""
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post(
        "/cgi-bin/wxopen/addcategory", {"categories": [{"first": first, "second": 101}]}
    )
    assert result["errcode"] == 53303, result
    assert snapshot(personal_api.miniprogram) == before


def test_addcategory_with_an_infinite_id_is_53303(personal_api):
    """INF-6: 1e400 is a valid JSON number that Python reads as infinity."""
    before = snapshot(personal_api.miniprogram)
    result = personal_api.wire.post_raw(
        "/cgi-bin/wxopen/addcategory",
        b'{"categories": [{"first": 1e400, "second": 101}]}',
        access_token=personal_api.token,
    )
    assert result["errcode"] in (53303, 47001), result
    assert snapshot(personal_api.miniprogram) == before


@pytest.mark.parametrize("second", [101.5, "¹⁰¹"], ids=repr)
def test_deletecategory_with_an_id_that_is_not_a_whole_number_is_53303(personal_api, second):
    """INF-6: the set category stays."""
    personal_api.post("/cgi-bin/wxopen/addcategory", {"categories": [{"first": 1, "second": 101}]})
    before = snapshot(personal_api.miniprogram)
    result = personal_api.post("/cgi-bin/wxopen/deletecategory", {"first": 1, "second": second})
    assert result["errcode"] == 53303
    assert snapshot(personal_api.miniprogram) == before


@pytest.mark.parametrize("audit_id", ["²", "١٢", "1.0", "-1", "9" * 40, " "], ids=repr)
def test_querynickname_with_an_audit_id_that_is_not_ascii_digits_is_91011(personal_api, audit_id):
    """INF-2: api_wxa_querynickname answers 91011 (audit record not found)."""
    result = personal_api.post("/wxa/api_wxa_querynickname", {"audit_id": audit_id})
    assert result["errcode"] == 91011, result
