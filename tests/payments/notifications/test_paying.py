"""PAY-1: paying as the payer (`notifications.paying`), under concurrency and for the
signature types. Ten confirmations of one order at the same moment pay it once (one
ORDER_PAID row, one notification); ten racing `notify_payment` calls make one
notification; an HMAC-SHA256 order gets an HMAC paySign, while its payment notification
stays MD5 (what wechatpy verifies). Real threads on a file SQLite database and on
PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from wechatpy.pay import WeChatPay

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.payments.models import LedgerKind, Order, PayNotification, SignType, TradeState
from miniport.payments.notifications import paying, services
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.errors import PayError
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.payments.notifications.support import make_order, payer_order, state


@pytest.fixture
def sale(shop, make_identity):
    buyer = make_identity("race_buyer")
    return buyer, payer_order(buyer, shop.miniprogram)


@pytest.mark.django_db(transaction=True)
def test_ten_racing_confirmations_pay_once(sale):
    assert_shared_database()
    buyer, order = sale

    def confirm(_index: int) -> bool:
        return paying.pay_confirm(
            actor=Actor.for_identity(buyer), prepay_id=order.prepay_id, identity=buyer
        ).paid_now

    outcomes = run_concurrently(10, confirm)
    assert sorted(outcomes, key=str) == [False] * 9 + [True], outcomes
    order.refresh_from_db()
    assert order.trade_state == TradeState.SUCCESS and order.payer_id == buyer.pk
    assert order.ledger.filter(kind=LedgerKind.ORDER_PAID).count() == 1
    assert PayNotification.objects.filter(order=order).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_racing_notify_payment_calls_make_one_notification(db):
    assert_shared_database()
    order = make_order()
    made = run_concurrently(10, lambda _i: services.notify_payment(order).pk)
    assert not [m for m in made if isinstance(m, BaseException)], made
    assert len(set(made)) == 1
    assert PayNotification.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_an_hmac_order_gets_an_hmac_pay_sign_and_an_md5_notification(sale):
    """PAY-1 §5: signType follows the unified order's; §4.1/§6: the notification is MD5,
    the only signature wechatpy's parse_payment_result checks."""
    buyer, order = sale
    Order.objects.filter(pk=order.pk).update(sign_type=SignType.HMAC_SHA256)
    order.refresh_from_db()
    params = paying.request_payment_params(order, timestamp=1490840662, nonce_str="n" * 32)
    assert params["signType"] == "HMAC-SHA256" and len(params["paySign"]) == 64
    signed = {k: v for k, v in params.items() if k != "paySign"} | {"appId": order.appid}
    assert signing.sign(signed, order.merchant.api_key, "HMAC-SHA256") == params["paySign"]
    assert "appId" not in params

    paying.pay_confirm(actor=Actor.for_identity(buyer), prepay_id=order.prepay_id, identity=buyer)
    body = PayNotification.objects.get(order=order).body
    merchant = order.merchant
    result = WeChatPay(order.appid, merchant.api_key, merchant.mch_id).parse_payment_result(body)
    assert result["out_trade_no"] == order.out_trade_no and "sign_type" not in result


@pytest.mark.django_db
def test_the_pay_sign_matches_the_references_vector():
    """§2.1's mini program vector: with its key, appId, nonceStr, prepay_id and timeStamp
    the paySign is 22D9B4E54AB1950F51E0649E8810ACD6."""
    order = make_order(appid="wxd678efh567hg6787", paid=False)
    Order.objects.filter(pk=order.pk).update(prepay_id="wx2017033010242291fcfe0db70013231072")
    order.refresh_from_db()
    order.merchant.api_key = "qazwsxedcrfvtgbyhnujmikolp111111"
    params = paying.request_payment_params(
        order, timestamp=1490840662, nonce_str="5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
    )
    assert params["paySign"] == "22D9B4E54AB1950F51E0649E8810ACD6"


@pytest.mark.django_db
def test_payable_order_refusals_change_nothing(sale, make_identity):
    buyer, order = sale
    other = make_identity("race_other")
    before = state(order)
    cases = [
        (dict(prepay_id="nope", identity=buyer), PayError.ORDER_NOT_FOUND),
        (dict(prepay_id=None, identity=buyer), PayError.ORDER_NOT_FOUND),
        (dict(prepay_id=12345, identity=buyer), PayError.ORDER_NOT_FOUND),
        (
            dict(prepay_id=order.prepay_id, identity=buyer, appid="wxother"),
            PayError.ORDER_NOT_FOUND,
        ),
        (dict(prepay_id=order.prepay_id, identity=other), PayError.PAYER_MISMATCH),
    ]
    for kwargs, code in cases:
        with pytest.raises(PlatformError) as refused:
            paying.payable_order(**kwargs)
        assert refused.value.code is code, kwargs
    with pytest.raises(PlatformError) as refused:
        paying.pay_confirm(
            actor=Actor.for_identity(other), prepay_id=order.prepay_id, identity=other
        )
    assert refused.value.code is PayError.PAYER_MISMATCH
    assert state(order) == before


def test_amounts_in_yuan():
    assert [paying.yuan(f) for f in (1, 10, 99, 100, 30000, 1999)] == [
        "0.01",
        "0.10",
        "0.99",
        "1.00",
        "300.00",
        "19.99",
    ]
