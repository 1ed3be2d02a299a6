# ruff: noqa: F811 - the shop and its caller are fixtures imported by name
"""OPN-2 / wechat-api 3.3: getpaidunionid names its order by `transaction_id` or by
`mch_id` and `out_trade_no`. A call naming no order that way is an argument error (40097
invalid args, the missing argument named in errmsg), not an invalid order (89300, kept
for an order named but not found); nothing changes."""

from __future__ import annotations

import pytest

from tests.links.open_platform.test_paid_unionid import ask, shop, state  # noqa: F401


@pytest.mark.parametrize(
    "given, missing",
    [
        ({}, "transaction_id"),
        ({"transaction_id": "  "}, "transaction_id"),
        ({"mch_id": "merchant"}, "out_trade_no"),
        ({"out_trade_no": "order"}, "mch_id"),
        ({"mch_id": " ", "out_trade_no": ""}, "transaction_id"),
    ],
)
def test_a_call_naming_no_order_is_40097_naming_the_missing_argument(ask, shop, given, missing):
    given = {
        key: (shop["merchant"].mch_id if value == "merchant" else value)
        for key, value in given.items()
    }
    given = {
        key: (shop["order"].out_trade_no if value == "order" else value)
        for key, value in given.items()
    }
    before = state()
    result = ask(openid=shop["openid"], **given)
    assert result["errcode"] == 40097
    assert result["errmsg"].startswith(f"invalid args: {missing} missing")
    assert "unionid" not in result
    assert state() == before


def test_an_order_named_but_not_found_is_still_89300(ask, shop):
    before = state()
    assert ask(openid=shop["openid"], transaction_id="4200000000000000")["errcode"] == 89300
    result = ask(openid=shop["openid"], mch_id=shop["merchant"].mch_id, out_trade_no="nope")
    assert result["errcode"] == 89300
    assert state() == before


def test_the_openid_is_still_checked_first(ask, shop):
    assert ask()["errcode"] == 40003
