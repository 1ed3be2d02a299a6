"""PAY-1 (WeChat Pay v2 reference §5): the host app's wx.requestPayment. The signed-in
identity asks POST /runtime/v1/payments/params for an order it placed and gets
timeStamp, nonceStr, package, signType and a paySign that wechatpy's jsapi computes the
same way, with the phone page that confirms it; every refusal is coded and changes
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from wechatpy.pay import WeChatPay

from miniport.core import clock
from miniport.payments.models import TradeState
from miniport.payments.sandbox import keys
from miniport.payments.sandbox.orders import order_close
from tests.payments.notifications.support import payer_order, state

PASSWORD = "secret-pass-1"


@pytest.fixture
def shop(provision, make_identity):
    """A certified enterprise mini program with a merchant, and a user's unpaid order."""

    mp = provision("enterprise", certified=True).miniprogram
    buyer = make_identity("buyer_01")
    return mp, buyer, payer_order(buyer, mp)


def params(runtime, order, *, appid=None, prepay_id=None) -> dict:
    body = {"appid": appid or order.appid, "prepay_id": prepay_id or order.prepay_id}
    return runtime.call("POST", "payments/params", body)


def test_the_payer_gets_the_parameters_wechatpy_would_compute(runtime, shop):
    """PAY-1 §5: paySign over appId, nonceStr, package, signType, timeStamp (MD5, the
    merchant's key) equals wechatpy's jsapi.get_jsapi_params for the same inputs."""
    _mp, buyer, order = shop
    runtime.sign_in(buyer.wechat_id, PASSWORD)
    answer = params(runtime, order)
    assert answer["errcode"] == 0, answer
    assert answer["package"] == f"prepay_id={order.prepay_id}"
    assert answer["signType"] == "MD5" and len(answer["nonceStr"]) == 32
    assert abs(int(answer["timeStamp"]) - int(clock.now().timestamp())) < 60
    merchant = order.merchant
    wechat = WeChatPay(order.appid, merchant.api_key, merchant.mch_id)
    expected = wechat.jsapi.get_jsapi_params(
        order.prepay_id, timestamp=answer["timeStamp"], nonce_str=answer["nonceStr"]
    )
    assert answer["paySign"] == expected["paySign"]
    assert answer["pay_url"].endswith(f"/m/pay/{order.prepay_id}/")
    assert answer["pay_url"].startswith("http")
    assert answer["total_fee"] == 1234 and answer["body"] == "一杯咖啡"
    assert state(order)[0] == TradeState.NOTPAY


def test_a_sandbox_order_is_signed_with_the_sandbox_key(runtime, shop):
    _mp, buyer, order = shop
    type(order).objects.filter(pk=order.pk).update(sandbox=True)
    runtime.sign_in(buyer.wechat_id, PASSWORD)
    answer = params(runtime, order)
    merchant = order.merchant
    wechat = WeChatPay(order.appid, merchant.api_key, merchant.mch_id, sandbox=True)
    wechat._sandbox_api_key = keys.sandbox_key(merchant)
    expected = wechat.jsapi.get_jsapi_params(
        order.prepay_id, timestamp=answer["timeStamp"], nonce_str=answer["nonceStr"]
    )
    assert answer["paySign"] == expected["paySign"]


def test_another_users_order_is_refused(runtime, shop, make_identity):
    """PAY-1: only the identity whose openid the order names may pay it."""
    _mp, _buyer, order = shop
    make_identity("someone_else")
    runtime.sign_in("someone_else", PASSWORD)
    before = state(order)
    answer = params(runtime, order)
    assert answer["errcode"] == 40097 and answer["error"] == "payer_mismatch"
    assert state(order) == before


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"prepay_id": "wx_no_such"}, "order_not_found"),
        ({"appid": "wx0000000000000000"}, "order_not_found"),
        ({"appid": " "}, "field_required"),
        ({"prepay_id": ""}, "field_required"),
        ({"prepay_id": "x" * 500}, "order_not_found"),
        ({"prepay_id": "wx\x00"}, "data_format_error"),  # the wire refuses NUL (47001)
        ({"prepay_id": "wx' OR 1=1"}, "order_not_found"),
    ],
    ids=["unknown-prepay", "other-appid", "no-appid", "no-prepay", "huge", "nul", "quote"],
)
def test_unknown_or_missing_orders_are_refused(runtime, shop, body, error):
    _mp, buyer, order = shop
    runtime.sign_in(buyer.wechat_id, PASSWORD)
    request = {"appid": order.appid, "prepay_id": order.prepay_id, **body}
    answer = runtime.call("POST", "payments/params", request)
    assert answer["errcode"] in (40097, 47001) and answer["error"] == error, answer


def test_paid_closed_and_expired_orders_are_refused(runtime, shop, provision):
    """PAY-1: paid → order_already_paid, closed → order_not_payable, past its deadline →
    prepay_expired (and the order is closed)."""
    from miniport.core.actors import Actor
    from miniport.payments.sandbox.orders import order_pay

    mp, buyer, order = shop
    runtime.sign_in(buyer.wechat_id, PASSWORD)
    order_pay(actor=Actor.for_identity(buyer), order=order, payer=buyer)
    assert params(runtime, order)["error"] == "order_already_paid"

    closed = payer_order(buyer, mp)
    order_close(closed)
    assert params(runtime, closed)["error"] == "order_not_payable"

    late = payer_order(buyer, mp)
    with time_machine.travel(clock.now() + timedelta(hours=3), tick=False):
        answer = params(runtime, late)
    assert answer["error"] == "prepay_expired", answer
    assert state(late)[0] == TradeState.CLOSED


def test_the_identity_session_is_required(runtime, shop):
    _mp, _buyer, order = shop
    assert params(runtime, order)["error"] == "runtime_session_missing"
