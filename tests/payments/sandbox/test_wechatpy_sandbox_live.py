"""PAY-1: wechatpy 1.8.18's WeChatPay, pointed at a live server (API_BASE_URL), works
unchanged against the sandbox: unified order (MD5 and HMAC-SHA256), pay, order query,
refund, refund query, close, the daily bill, and the `sandboxnew` mode with its
signing key. A wrong key is told the signature is wrong and nothing is stored."""

from __future__ import annotations

import pytest
from wechatpy.exceptions import WeChatPayException
from wechatpy.pay import WeChatPay

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.identities.selectors import openid_for
from miniport.payments.models import LedgerEntry, Order, Refund
from miniport.payments.sandbox import keys, signing
from miniport.payments.sandbox.ledger import merchant_balance
from miniport.payments.sandbox.orders import order_by_prepay, order_pay
from tests.payments.sandbox.wire import set_policy

pytestmark = pytest.mark.django_db(transaction=True)


def client(live_server, shop, *, sandbox: bool = False, key: str | None = None) -> WeChatPay:
    pay = WeChatPay(
        appid=shop.appid, api_key=key or shop.key, mch_id=shop.merchant.mch_id, sandbox=sandbox
    )
    pay.API_BASE_URL = live_server.url + "/"
    return pay


def place(pay: WeChatPay, openid: str, **extra) -> dict:
    return pay.order.create(
        trade_type="JSAPI",
        body="测试商品",
        total_fee=extra.pop("total_fee", 100),
        notify_url="https://merchant.example.com/pay/notify",
        user_id=openid,
        client_ip="127.0.0.1",
        **extra,
    )


def pay_for(prepay_id: str, payer) -> Order:
    order = order_by_prepay(prepay_id)
    assert order_pay(actor=Actor.for_identity(payer), order=order, payer=payer) is True
    order.refresh_from_db()
    return order


@pytest.mark.parametrize("sign_type", ["MD5", "HMAC-SHA256"])
def test_create_pay_query_refund_and_refundquery(live_server, shop, make_identity, sign_type):
    """PAY-1: the whole journey of one order through wechatpy, both signature types."""
    payer = make_identity()
    openid = openid_for(payer, shop.appid)
    pay = client(live_server, shop)
    extra = {"sign_type": sign_type} if sign_type != "MD5" else {}
    created = place(pay, openid, attach="a1", **extra)
    assert created["result_code"] == "SUCCESS" and created["prepay_id"].startswith("wx")
    order = Order.objects.get(prepay_id=created["prepay_id"])
    assert order.sign_type == sign_type and order.sandbox is False
    # The reply is signed with the request's sign type and the merchant's key.
    assert signing.sign(created, shop.key, sign_type) == created["sign"]

    params = pay.jsapi.get_jsapi_params(created["prepay_id"])
    assert params["package"] == f"prepay_id={created['prepay_id']}"

    unpaid = pay.order.query(out_trade_no=order.out_trade_no)
    assert unpaid["trade_state"] == "NOTPAY" and "transaction_id" not in unpaid

    order = pay_for(created["prepay_id"], payer)
    queried = pay.order.query(out_trade_no=order.out_trade_no)
    assert queried["trade_state"] == "SUCCESS"
    assert queried["transaction_id"] == order.transaction_id
    assert queried["total_fee"] == "100" and queried["openid"] == openid
    assert queried["attach"] == "a1"
    assert (
        pay.order.query(transaction_id=order.transaction_id)["out_trade_no"] == order.out_trade_no
    )

    refunded = pay.refund.apply(
        total_fee=100, refund_fee=30, out_refund_no="R-1", out_trade_no=order.out_trade_no
    )
    assert refunded["result_code"] == "SUCCESS" and refunded["refund_fee"] == "30"
    assert refunded["refund_id"].startswith("50") and len(refunded["refund_id"]) == 29
    # The same out_refund_no again: the same refund.
    again = pay.refund.apply(
        total_fee=100, refund_fee=30, out_refund_no="R-1", out_trade_no=order.out_trade_no
    )
    assert again["refund_id"] == refunded["refund_id"]
    assert pay.order.query(out_trade_no=order.out_trade_no)["trade_state"] == "REFUND"

    processing = pay.refund.query(out_refund_no="R-1")
    assert processing["refund_count"] == "1"
    assert processing["refund_status_0"] == "PROCESSING"
    assert merchant_balance(shop.merchant) == 100

    set_policy("pay.refund_settle_seconds", 0)
    Refund.objects.update(settle_at=clock.now())
    settled = pay.refund.query(out_trade_no=order.out_trade_no)
    assert settled["refund_status_0"] == "SUCCESS"
    assert settled["refund_success_time_0"]
    assert merchant_balance(shop.merchant) == 70
    kinds = list(LedgerEntry.objects.filter(order=order).values_list("kind", "amount_fen"))
    assert kinds == [
        ("order_created", 0),
        ("order_paid", 100),
        ("refund_accepted", 0),
        ("refund_succeeded", -30),
    ]

    bill = pay.tools.download_bill(clock.today())
    assert isinstance(bill, str)
    assert bill.startswith("交易时间,公众账号ID,商户号")
    assert f"`{order.out_trade_no}" in bill and "`R-1" in bill


def test_sandbox_mode_signs_with_the_stable_sandbox_key(live_server, shop, make_identity):
    """PAY-1 §3.6: sandbox=True fetches getsignkey, then every call goes to sandboxnew/
    signed with that key, the same key for every client of the merchant."""
    payer = make_identity()
    pay = client(live_server, shop, sandbox=True)
    created = place(pay, openid_for(payer, shop.appid))
    assert pay.sandbox_api_key == keys.sandbox_key(shop.merchant) != shop.key
    other = client(live_server, shop, sandbox=True)
    other.order.query(out_trade_no=Order.objects.get().out_trade_no)
    assert other.sandbox_api_key == pay.sandbox_api_key

    order = pay_for(created["prepay_id"], payer)
    assert order.sandbox is True
    assert pay.order.query(out_trade_no=order.out_trade_no)["trade_state"] == "SUCCESS"
    refunded = pay.refund.apply(
        total_fee=100, refund_fee=100, out_refund_no="SR-1", transaction_id=order.transaction_id
    )
    assert refunded["result_code"] == "SUCCESS"
    assert pay.refund.query(refund_id=refunded["refund_id"])["refund_fee_0"] == "100"
    # Sandbox orders are not seen by the real-key API, and the other way round.
    real = client(live_server, shop)
    with pytest.raises(WeChatPayException) as caught:
        real.order.query(out_trade_no=order.out_trade_no)
    assert caught.value.errcode == "ORDERNOTEXIST"


def test_close_then_reuse_the_out_trade_no(live_server, shop, make_identity):
    """PAY-1 §3.3: closeorder closes; the out_trade_no then answers ORDERCLOSED."""
    pay = client(live_server, shop)
    openid = openid_for(make_identity(), shop.appid)
    place(pay, openid, out_trade_no="CLOSE-1")
    assert pay.order.close("CLOSE-1")["result_code"] == "SUCCESS"
    assert pay.order.query(out_trade_no="CLOSE-1")["trade_state"] == "CLOSED"
    with pytest.raises(WeChatPayException) as caught:
        place(pay, openid, out_trade_no="CLOSE-1")
    assert caught.value.errcode == "ORDERCLOSED"
    with pytest.raises(WeChatPayException) as caught:
        pay.order.close("CLOSE-1")
    assert caught.value.errcode == "ORDERCLOSED"


def test_a_wrong_key_is_a_signature_error_and_stores_nothing(live_server, shop, make_identity):
    """PAY-1 §1: a wrong signature answers return_code FAIL 签名错误，请检查后再试."""
    pay = client(live_server, shop, key="x" * 32)
    with pytest.raises(WeChatPayException) as caught:
        place(pay, openid_for(make_identity(), shop.appid))
    assert caught.value.return_code == "FAIL"
    assert caught.value.return_msg == "签名错误，请检查后再试"
    assert caught.value.errcode == "SIGNERROR"
    assert not Order.objects.exists() and not LedgerEntry.objects.exists()
