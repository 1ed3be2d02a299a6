"""PAY-1 end to end with wechatpy 1.8.18 against a live server: unified order →
`miniport pay confirm` (the payer's confirmation, run in-process) → order query SUCCESS →
refund → refund query SUCCESS; the sandbox's payment notification, delivered by the
worker's delivery route to a local HTTP receiver, parses with wechatpy's
`parse_payment_result`, the refund notification with `parse_refund_notify_result`, both
acknowledged by the receiver's return_code SUCCESS. Both the real-key and the
`sandboxnew` mode."""

from __future__ import annotations

import json

import pytest
from wechatpy.pay import WeChatPay

from miniport.cli import main
from miniport.core import clock
from miniport.identities.selectors import openid_for
from miniport.payments.models import NotificationKind, PayNotification, Refund
from miniport.payments.sandbox.refunds import refunds_settle_due
from tests.core.deliveries_receivers import start_receiver
from tests.payments.notifications.support import ACK, fan_out_and_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def merchant_server(settings):
    """The merchant's notify_url: a local HTTP server acknowledging with SUCCESS (the
    operator allows loopback targets for it)."""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    receiver.behaviour["/pay/notify"] = (0.0, 200, ACK)
    receiver.behaviour["/refund/notify"] = (0.0, 200, ACK)
    yield receiver
    server.shutdown()
    server.server_close()


def confirm(capsys, prepay_id: str, wechat_id: str) -> dict:
    capsys.readouterr()
    status = main(["pay", "confirm", "--prepay-id", prepay_id, "--wechat-id", wechat_id, "--json"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    return json.loads(out)


@pytest.mark.parametrize("sandbox", [False, True], ids=["api-key", "sandboxnew"])
def test_order_confirm_query_refund_and_both_notifications(
    live_server, shop, make_identity, merchant_server, capsys, sandbox
):
    payer = make_identity("live_payer")
    openid = openid_for(payer, shop.appid)
    pay = WeChatPay(shop.appid, shop.key, shop.merchant.mch_id, sandbox=sandbox)
    pay.API_BASE_URL = live_server.url + "/"

    created = pay.order.create(
        trade_type="JSAPI",
        body="端到端测试商品",
        total_fee=888,
        notify_url=merchant_server.url + "/pay/notify",
        user_id=openid,
        client_ip="127.0.0.1",
        attach="journey",
    )
    prepay_id = created["prepay_id"]
    unpaid = pay.order.query(out_trade_no=_out_trade_no(prepay_id))
    assert unpaid["trade_state"] == "NOTPAY"

    row = confirm(capsys, prepay_id, "live_payer")
    assert row["paid_now"] is True and row["trade_state"] == "SUCCESS"
    out_trade_no = row["out_trade_no"]
    queried = pay.order.query(out_trade_no=out_trade_no)
    assert queried["trade_state"] == "SUCCESS"
    assert queried["transaction_id"] == row["transaction_id"]
    assert queried["openid"] == openid and queried["total_fee"] == "888"

    # The worker delivers the payment notification to the merchant's server.
    assert fan_out_and_run() == [True]
    received = merchant_server.at("/pay/notify")
    assert len(received) == 1
    result = pay.parse_payment_result(received[0].body.decode())
    assert result["out_trade_no"] == out_trade_no
    assert result["transaction_id"] == row["transaction_id"]
    assert result["total_fee"] == 888 and result["cash_fee"] == 888
    assert result["openid"] == openid and result["attach"] == "journey"
    assert result["result_code"] == "SUCCESS"
    assert pay.check_signature(dict(result))
    assert PayNotification.objects.get(kind=NotificationKind.PAYMENT).acknowledged_at

    refunded = pay.refund.apply(
        total_fee=888,
        refund_fee=300,
        out_refund_no="LIVE-R1",
        out_trade_no=out_trade_no,
        notify_url=merchant_server.url + "/refund/notify",
    )
    assert refunded["result_code"] == "SUCCESS"
    assert pay.refund.query(out_refund_no="LIVE-R1")["refund_status_0"] == "PROCESSING"
    Refund.objects.update(settle_at=clock.now())
    assert refunds_settle_due() == 1
    settled = pay.refund.query(out_refund_no="LIVE-R1")
    assert settled["refund_status_0"] == "SUCCESS"

    assert fan_out_and_run() == [True]
    refund_bodies = merchant_server.at("/refund/notify")
    assert len(refund_bodies) == 1
    details = pay.parse_refund_notify_result(refund_bodies[0].body.decode())
    assert details["out_refund_no"] == "LIVE-R1"
    assert details["refund_id"] == refunded["refund_id"]
    assert details["refund_fee"] == 300 and details["total_fee"] == 888
    assert details["refund_status"] == "SUCCESS"
    assert details["out_trade_no"] == out_trade_no
    notification = PayNotification.objects.get(kind=NotificationKind.REFUND)
    assert notification.acknowledged_at is not None
    # Nothing is sent twice once acknowledged.
    assert fan_out_and_run() == []


def _out_trade_no(prepay_id: str) -> str:
    from miniport.payments.sandbox.orders import order_by_prepay

    return order_by_prepay(prepay_id).out_trade_no
