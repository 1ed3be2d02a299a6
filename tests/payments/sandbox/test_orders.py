"""PAY-1 (reference §3.2, §3.3, §5): paying an order (order_pay), its refusals, the
order query and close, and the deadline of unpaid orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, sweeps
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.identities.selectors import openid_for
from miniport.payments.merchants.platform import platform_merchant
from miniport.payments.models import LedgerEntry, Order, PayNotification
from miniport.payments.sandbox.errors import PayError
from miniport.payments.sandbox.orders import order_by_prepay, order_create, order_pay
from tests.payments.sandbox.wire import base_fields, books, call, order_fields, paid_order

pytestmark = pytest.mark.django_db


def placed(shop, payer=None, **overrides) -> Order:
    if payer is not None:
        overrides.setdefault("openid", openid_for(payer, shop.appid))
    reply = call("/pay/unifiedorder", order_fields(shop, **overrides), shop.key)
    return Order.objects.get(prepay_id=reply["prepay_id"])


def refuses(code, **kwargs):
    before = books()
    with pytest.raises(PlatformError) as caught:
        order_pay(**kwargs)
    assert caught.value.code == code
    assert books() == before


def test_paying_writes_the_ledger_event_audit_and_notification(shop, make_identity):
    payer = make_identity()
    order = placed(shop, payer)
    assert order_pay(actor=Actor.for_identity(payer), order=order, payer=payer) is True
    order.refresh_from_db()
    assert order.trade_state == "SUCCESS" and order.payer == payer
    assert len(order.transaction_id) == 28 and order.transaction_id.startswith("4200")
    assert LedgerEntry.objects.filter(order=order, kind="order_paid").get().amount_fen == 100
    assert OutboxEvent.objects.filter(kind="pay.order_paid", payload={"order": order.pk}).exists()
    assert AuditEntry.objects.filter(action="pay.order_paid", target_id=str(order.pk)).exists()
    assert PayNotification.objects.filter(order=order, kind="payment").count() == 1


def test_paying_again_answers_false_and_changes_nothing(shop, make_identity):
    payer = make_identity()
    order = paid_order(shop, payer)
    before = books()
    assert order_pay(actor=Actor.system(), order=order, payer=payer) is False
    stale = Order.objects.get(pk=order.pk)
    stale.trade_state = "NOTPAY"  # a copy read before it was paid
    assert order_pay(actor=Actor.system(), order=stale, payer=payer) is False
    assert books() == before


def test_another_identity_cannot_pay_an_order_for_someone_else(shop, make_identity):
    owner, other = make_identity(), make_identity()
    order = placed(shop, owner)
    refuses(PayError.PAYER_MISMATCH, actor=Actor.system(), order=order, payer=other)


def test_a_closed_order_cannot_be_paid(shop, make_identity):
    payer = make_identity()
    order = placed(shop, payer)
    call("/pay/closeorder", base_fields(shop, out_trade_no=order.out_trade_no), shop.key)
    order.refresh_from_db()
    refuses(PayError.ORDER_NOT_PAYABLE, actor=Actor.system(), order=order, payer=payer)


def test_an_expired_prepay_cannot_be_paid(shop, make_identity):
    payer = make_identity()
    order = placed(shop, payer)
    with time_machine.travel(clock.now() + timedelta(hours=2, seconds=1)):
        with pytest.raises(PlatformError) as caught:
            order_pay(actor=Actor.system(), order=order, payer=payer)
        assert caught.value.code == PayError.PREPAY_EXPIRED
    order.refresh_from_db()
    assert order.trade_state == "CLOSED" and order.transaction_id is None


def test_pay_errors_speak_both_languages():
    for code in PayError:
        assert code.message("zh-hans") and code.message("en")
        assert code.message("zh-hans") != code.message("en")


def test_internal_orders_for_the_platform(make_identity):
    """CER-2: the certification fee is an order of the platform's merchant."""
    payer = make_identity()
    merchant = platform_merchant()
    order = order_create(
        merchant=merchant,
        appid="wxplatform000000",
        openid=openid_for(payer, "wxplatform000000"),
        body="认证费",
        total_fee=30000,
        notify_url="internal:certification-fee",
    )
    assert order.trade_state == "NOTPAY" and len(order.out_trade_no) <= 32
    assert order_by_prepay(order.prepay_id) == order
    assert order_by_prepay("nope") is None and order_by_prepay(None) is None
    assert LedgerEntry.objects.filter(order=order, kind="order_created").exists()
    for amount in (0, -1, 10**12, "300", True):
        with pytest.raises(PlatformError) as caught:
            order_create(
                merchant=merchant,
                appid="wxplatform000000",
                openid="",
                body="x",
                total_fee=amount,
                notify_url="internal:certification-fee",
            )
        assert caught.value.code == PayError.AMOUNT_INVALID
    with pytest.raises(PlatformError):
        order_create(
            merchant=merchant, appid="wx", openid="", body="x" * 128, total_fee=1, notify_url="x"
        )
    assert Order.objects.count() == 1


def test_orderquery_answers_each_state(shop, make_identity):
    payer = make_identity()
    order = placed(shop, payer, attach="note")
    reply = call("/pay/orderquery", base_fields(shop, out_trade_no=order.out_trade_no), shop.key)
    assert reply["trade_state"] == "NOTPAY" and reply["trade_state_desc"]
    assert "openid" not in reply and "time_end" not in reply
    order_pay(actor=Actor.system(), order=order, payer=payer)
    order.refresh_from_db()
    reply = call(
        "/pay/orderquery", base_fields(shop, transaction_id=order.transaction_id), shop.key
    )
    assert reply["trade_state"] == "SUCCESS" and reply["cash_fee"] == "100"
    assert reply["bank_type"] == "OTHERS" and len(reply["time_end"]) == 14
    assert reply["attach"] == "note"


def test_orderquery_refusals(shop):
    before = books()
    nothing = call("/pay/orderquery", base_fields(shop), shop.key)
    assert nothing["err_code"] == "INVALID_REQUEST"
    unknown = call("/pay/orderquery", base_fields(shop, out_trade_no="NOPE"), shop.key)
    assert unknown["err_code"] == "ORDERNOTEXIST"
    wrong = call("/pay/orderquery", base_fields(shop, appid="wxother", out_trade_no="x"), shop.key)
    assert wrong["err_code"] == "APPID_MCHID_NOT_MATCH"
    assert books() == before


def test_orderquery_sees_an_expired_order_closed(shop):
    order = placed(shop)
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        reply = call(
            "/pay/orderquery", base_fields(shop, out_trade_no=order.out_trade_no), shop.key
        )
    assert reply["trade_state"] == "CLOSED"
    assert LedgerEntry.objects.filter(order=order, kind="order_closed").count() == 1


def test_the_sweep_closes_expired_orders_once(shop):
    order = placed(shop)
    assert sweeps.run_all()["pay.orders_close_expired"] == 0
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        assert sweeps.run_all()["pay.orders_close_expired"] == 1
        assert sweeps.run_all()["pay.orders_close_expired"] == 0
    order.refresh_from_db()
    assert order.trade_state == "CLOSED" and order.closed_at


def test_closeorder_refusals(shop, make_identity):
    paid = paid_order(shop, make_identity())
    before = books()
    close = lambda **kw: call("/pay/closeorder", base_fields(shop, **kw), shop.key)  # noqa: E731
    assert close(out_trade_no=paid.out_trade_no)["err_code"] == "ORDERPAID"
    assert close(out_trade_no="NOPE")["err_code"] == "ORDERNOTEXIST"
    assert close()["err_code"] == "LACK_PARAMS"
    assert books() == before
    order = placed(shop)
    done = close(out_trade_no=order.out_trade_no)
    assert done["result_code"] == "SUCCESS" and done["result_msg"] == "OK"
    assert close(out_trade_no=order.out_trade_no)["err_code"] == "ORDERCLOSED"
    assert LedgerEntry.objects.filter(order=order, kind="order_closed").count() == 1


def test_time_expire_ends_the_order_before_the_prepay_would(shop, make_identity):
    """§3.1: an order's own time_expire is its deadline."""
    from zoneinfo import ZoneInfo

    payer = make_identity()
    soon = (clock.now() + timedelta(minutes=5)).astimezone(ZoneInfo("Asia/Shanghai"))
    order = placed(shop, payer, time_expire=soon.strftime("%Y%m%d%H%M%S"))
    later = time_machine.travel(clock.now() + timedelta(minutes=6))
    with later, pytest.raises(PlatformError) as caught:
        order_pay(actor=Actor.system(), order=order, payer=payer)
    assert caught.value.code == PayError.PREPAY_EXPIRED
