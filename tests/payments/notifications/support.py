"""Orders, refunds and receivers for the notification tests. Orders are made directly in
the state a test needs (the sandbox's own services are tested in tests/payments/sandbox)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from miniport.core import clock, deliveries, events
from miniport.payments.merchants.platform import new_api_key, new_mch_id, platform_merchant
from miniport.payments.models import Merchant, MerchantKind, Order, Refund, RefundStatus, TradeState

ACK = b"<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
FAIL = b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[busy]]></return_msg></xml>"


def merchant_for(miniprogram) -> Merchant:
    now = clock.now()
    return Merchant.objects.create(
        mch_id=new_mch_id(),
        kind=MerchantKind.MINIPROGRAM,
        miniprogram=miniprogram,
        name=miniprogram.name,
        api_key=new_api_key(),
        key_set_at=now,
        created_at=now,
    )


def digits(n: int) -> str:
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(n - 1))


def make_order(
    merchant: Merchant | None = None,
    *,
    appid: str = "wx0000000000000001",
    openid: str = "oTestOpenid000000000000000000",
    notify_url: str = "https://merchant.example.com/notify",
    total_fee: int = 30000,
    paid: bool = True,
    sandbox: bool = False,
    attach: str = "",
    body: str = "小程序认证费",
) -> Order:
    merchant = merchant or platform_merchant()
    now = clock.now()
    return Order.objects.create(
        merchant=merchant,
        appid=appid,
        out_trade_no="T" + digits(20),
        prepay_id="wx" + digits(34),
        transaction_id=("42" + digits(26)) if paid else None,
        trade_type="JSAPI",
        trade_state=TradeState.SUCCESS if paid else TradeState.NOTPAY,
        body=body,
        attach=attach,
        total_fee=total_fee,
        openid=openid,
        notify_url=notify_url,
        sandbox=sandbox,
        request_digest="test",
        time_start=now,
        time_expire=now + timedelta(hours=2),
        created_at=now,
        bank_type="OTHERS" if paid else "",
        paid_at=now if paid else None,
    )


def make_refund(
    order: Order, *, notify_url: str = "https://merchant.example.com/refund", refund_fee: int = 100
) -> Refund:
    now = clock.now()
    return Refund.objects.create(
        order=order,
        merchant=order.merchant,
        out_refund_no="R" + digits(12),
        refund_id="50" + digits(27),
        refund_fee=refund_fee,
        total_fee=order.total_fee,
        refund_account="REFUND_SOURCE_UNSETTLED_FUNDS",
        notify_url=notify_url,
        status=RefundStatus.SUCCESS,
        created_at=now,
        settle_at=now,
        succeeded_at=now,
    )


def fan_out_and_run() -> list[bool | None]:
    """Fan out the events the outbox holds, then attempt every due delivery of the
    notification route once (other routes' deliveries are left alone)."""
    from miniport.core.models import Delivery
    from miniport.payments.notifications.services import ROUTE

    events.deliver_pending()
    ours = set(Delivery.objects.filter(route=ROUTE).values_list("pk", flat=True))
    return [deliveries.run(pk) for pk in deliveries.due_ids() if pk in ours]


def payer_order(
    payer,
    miniprogram,
    *,
    notify_url: str = "https://merchant.example.com/notify",
    total_fee: int = 1234,
    body: str = "一杯咖啡",
) -> Order:
    """A NOTPAY order of `miniprogram`'s merchant (made on first need) that `payer`
    placed: its openid is the payer's for the mini program (the sandbox's order_create)."""
    from miniport.identities.selectors import openid_for
    from miniport.payments.sandbox.orders import order_create

    merchant = Merchant.objects.filter(miniprogram=miniprogram).first() or merchant_for(miniprogram)
    return order_create(
        merchant=merchant,
        appid=miniprogram.appid,
        openid=openid_for(payer, miniprogram.appid),
        body=body,
        total_fee=total_fee,
        notify_url=notify_url,
    )


def state(order: Order) -> tuple:
    """What paying would change: the order's state, its ledger and notifications."""
    from miniport.payments.models import LedgerEntry, PayNotification

    order = Order.objects.get(pk=order.pk)
    return (
        order.trade_state,
        order.transaction_id,
        order.payer_id,
        LedgerEntry.objects.filter(order=order).count(),
        PayNotification.objects.filter(order=order).count(),
    )
