"""PAY-1 (reference §3.4, §3.5): refunds and refund queries — each refusal a signed
result_code FAIL with its err_code and nothing stored; cumulative refunds never above the
total; idempotent out_refund_no; settlement after the policy delay with its ledger row."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock, sweeps
from miniport.payments.models import LedgerEntry, Refund
from miniport.payments.sandbox.ledger import merchant_balance
from tests.payments.sandbox.wire import (
    base_fields,
    books,
    call,
    order_fields,
    paid_order,
    set_policy,
)

pytestmark = pytest.mark.django_db
REFUND = "/secapi/pay/refund"
QUERY = "/pay/refundquery"


def refund(shop, order, **overrides) -> dict:
    fields = base_fields(
        shop,
        out_trade_no=order.out_trade_no,
        out_refund_no="R" + str(Refund.objects.count() + 1),
        total_fee=order.total_fee,
        refund_fee=10,
        op_user_id=shop.merchant.mch_id,
        refund_account="REFUND_SOURCE_UNSETTLED_FUNDS",
    )
    fields.update(overrides)
    return call(REFUND, fields, shop.key)


def refused(shop, order, code: str, path: str = REFUND, **overrides) -> dict:
    before = books()
    if path == REFUND:
        reply = refund(shop, order, **overrides)
    else:
        reply = call(path, base_fields(shop, **overrides), shop.key)
    assert reply["return_code"] == "SUCCESS" and reply["result_code"] == "FAIL", reply
    assert reply["err_code"] == code, reply
    assert books() == before
    return reply


@pytest.fixture
def order(shop, make_identity):
    return paid_order(shop, make_identity())


def test_a_refund_is_accepted_then_settles(shop, order):
    reply = refund(shop, order, refund_fee=40, out_refund_no="R-A")
    assert reply["result_code"] == "SUCCESS"
    assert reply["out_refund_no"] == "R-A" and reply["refund_fee"] == "40"
    assert reply["transaction_id"] == order.transaction_id
    order.refresh_from_db()
    assert order.trade_state == "REFUND" and order.refunded_fee == 40
    made = Refund.objects.get()
    assert made.status == "PROCESSING"
    assert merchant_balance(shop.merchant) == 100
    # Not yet due: the sweep leaves it.
    assert sweeps.run_all()["pay.refunds_settle_due"] == 0
    with time_machine.travel(made.settle_at + timedelta(seconds=1)):
        assert sweeps.run_all()["pay.refunds_settle_due"] == 1
        assert sweeps.run_all()["pay.refunds_settle_due"] == 0
    made.refresh_from_db()
    assert made.status == "SUCCESS" and made.succeeded_at
    assert merchant_balance(shop.merchant) == 60
    assert LedgerEntry.objects.filter(refund=made).count() == 2


def test_the_same_out_refund_no_answers_the_same_refund(shop, order):
    first = refund(shop, order, out_refund_no="R-SAME", refund_fee=20)
    again = refund(shop, order, out_refund_no="R-SAME", refund_fee=20, nonce_str="other")
    assert again["refund_id"] == first["refund_id"]
    order.refresh_from_db()
    assert order.refunded_fee == 20 and Refund.objects.count() == 1


def test_the_same_out_refund_no_with_other_amounts_is_a_mismatch(shop, order):
    refund(shop, order, out_refund_no="R-M", refund_fee=20)
    refused(shop, order, "REFUND_FEE_MISMATCH", out_refund_no="R-M", refund_fee=21)


def test_a_total_fee_that_is_not_the_orders_is_a_mismatch(shop, order):
    refused(shop, order, "REFUND_FEE_MISMATCH", total_fee=99)


def test_refunds_never_add_up_to_more_than_the_total(shop, order):
    refund(shop, order, refund_fee=60)
    reply = refused(shop, order, "ERROR", refund_fee=41)
    assert "40" in reply["err_code_des"]
    refund(shop, order, refund_fee=40)
    refused(shop, order, "ERROR", refund_fee=1)
    order.refresh_from_db()
    assert order.refunded_fee == 100


def test_an_unpaid_order_has_nothing_to_refund(shop):
    call("/pay/unifiedorder", order_fields(shop, out_trade_no="UNPAID"), shop.key)
    from miniport.payments.models import Order

    refused(shop, Order.objects.get(), "ORDERNOTEXIST")


def test_an_unknown_order(shop, order):
    refused(shop, order, "ORDERNOTEXIST", out_trade_no="NOPE")
    refused(shop, order, "ORDERNOTEXIST", out_trade_no=None, transaction_id="4200" + "0" * 24)


def test_an_order_paid_more_than_a_year_ago_is_overdue(shop, order):
    with time_machine.travel(order.paid_at + timedelta(days=366)):
        refused(shop, order, "TRADE_OVERDUE")


def test_at_most_fifty_refunds_per_order(shop, order):
    set_policy("pay.refunds_per_order", 3)
    for _ in range(3):
        assert refund(shop, order, refund_fee=1)["result_code"] == "SUCCESS"
    refused(shop, order, "ERROR", refund_fee=1)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"out_refund_no": None}, "LACK_PARAMS"),
        ({"refund_fee": None}, "LACK_PARAMS"),
        ({"total_fee": None}, "LACK_PARAMS"),
        ({"out_trade_no": None}, "LACK_PARAMS"),
        ({"refund_fee": "0"}, "PARAM_ERROR"),
        ({"refund_fee": "-5"}, "PARAM_ERROR"),
        ({"refund_fee": "1.5"}, "PARAM_ERROR"),
        ({"out_refund_no": "bad no"}, "PARAM_ERROR"),
        ({"out_refund_no": "r" * 65}, "PARAM_ERROR"),
        ({"refund_desc": "d" * 81}, "PARAM_ERROR"),
        ({"refund_fee_type": "USD"}, "PARAM_ERROR"),
        ({"notify_url": "not a url"}, "PARAM_ERROR"),
        ({"notify_url": "https://merchant.example.com:0/refund"}, "PARAM_ERROR"),
        ({"notify_url": "https://user@merchant.example.com/refund"}, "PARAM_ERROR"),
        ({"appid": "wx1234567890abcdef"}, "APPID_MCHID_NOT_MATCH"),
    ],
)
def test_bad_refund_requests(shop, order, overrides, code):
    refused(shop, order, code, **overrides)


def test_refundquery_priority_and_numbered_fields(shop, order):
    """§3.5: refund_id > out_refund_no > transaction_id > out_trade_no."""
    a = refund(shop, order, out_refund_no="Q-A", refund_fee=10)
    b = refund(shop, order, out_refund_no="Q-B", refund_fee=20)
    by_id = call(QUERY, base_fields(shop, refund_id=b["refund_id"], out_refund_no="Q-A"), shop.key)
    assert by_id["refund_count"] == "1" and by_id["out_refund_no_0"] == "Q-B"
    by_no = call(QUERY, base_fields(shop, out_refund_no="Q-A", transaction_id="nope"), shop.key)
    assert by_no["refund_id_0"] == a["refund_id"]
    by_order = call(QUERY, base_fields(shop, out_trade_no=order.out_trade_no), shop.key)
    assert by_order["refund_count"] == "2" and by_order["total_refund_count"] == "2"
    assert by_order["out_refund_no_0"] == "Q-A" and by_order["out_refund_no_1"] == "Q-B"
    assert by_order["refund_fee_1"] == "20" and by_order["refund_status_1"] == "PROCESSING"
    assert by_order["refund_account_0"] == "REFUND_SOURCE_UNSETTLED_FUNDS"
    assert by_order["refund_recv_accout_0"] == "支付用户零钱"
    assert by_order["total_fee"] == "100" and by_order["transaction_id"] == order.transaction_id
    by_tx = call(QUERY, base_fields(shop, transaction_id=order.transaction_id), shop.key)
    assert by_tx["refund_count"] == "2"


def test_refundquery_pages_by_ten(shop, order):
    for n in range(12):
        refund(shop, order, out_refund_no=f"P-{n:02d}", refund_fee=1)
    first = call(QUERY, base_fields(shop, out_trade_no=order.out_trade_no), shop.key)
    assert first["refund_count"] == "10" and first["total_refund_count"] == "12"
    rest = call(QUERY, base_fields(shop, out_trade_no=order.out_trade_no, offset="10"), shop.key)
    assert rest["refund_count"] == "2" and rest["out_refund_no_0"] == "P-10"
    refused(shop, order, "PARAM_ERROR", path=QUERY, out_trade_no=order.out_trade_no, offset="12")
    refused(shop, order, "PARAM_ERROR", path=QUERY, out_trade_no=order.out_trade_no, offset="x")


def test_refundquery_settles_what_is_due(shop, order):
    refund(shop, order, out_refund_no="S-1", refund_fee=10)
    with time_machine.travel(clock.now() + timedelta(minutes=1)):
        reply = call(QUERY, base_fields(shop, out_refund_no="S-1"), shop.key)
    assert reply["refund_status_0"] == "SUCCESS" and reply["refund_success_time_0"]
    assert Refund.objects.get().status == "SUCCESS"


def test_refundquery_of_nothing(shop, order):
    refused(shop, order, "REFUNDNOTEXIST", path=QUERY, out_refund_no="NONE")
    refused(shop, order, "REFUNDNOTEXIST", path=QUERY, out_trade_no=order.out_trade_no)
    refused(shop, order, "REFUNDNOTEXIST", path=QUERY, out_trade_no="UNKNOWN")
    refused(shop, order, "LACK_PARAMS", path=QUERY)


def test_a_refund_with_a_notify_url_is_notified_when_it_settles(shop, order):
    from miniport.payments.models import PayNotification

    refund(shop, order, out_refund_no="N-1", notify_url="https://merchant.example.com/refund")
    refund(shop, order, out_refund_no="N-2")
    with time_machine.travel(clock.now() + timedelta(minutes=1)):
        sweeps.run_all()
    kinds = sorted(PayNotification.objects.values_list("kind", "refund__out_refund_no"))
    assert kinds == [("payment", None), ("refund", "N-1")]


def test_the_database_refuses_refunds_above_the_total_as_a_last_line(order):
    """PAY-1: the check constraint holds even against a write that skips the service."""
    from django.db import IntegrityError, transaction
    from django.db.models import F

    from miniport.payments.models import Order

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(refunded_fee=F("total_fee") + 1)
    order.refresh_from_db()
    assert order.refunded_fee == 0


def test_the_refund_rules_defaults_are_wechats():
    """PAY-1 §3.4: 50 refunds per order, one year to refund."""
    from miniport.core import policy

    assert policy.RULES_BY_KEY["pay.refunds_per_order"].default == 50
    assert policy.RULES_BY_KEY["pay.refund_window_days"].default == 365


def test_an_order_paid_just_under_a_year_ago_can_still_be_refunded(shop, order):
    with time_machine.travel(order.paid_at + timedelta(days=364)):
        assert refund(shop, order)["result_code"] == "SUCCESS"


def test_orderquery_settles_due_refunds_first(shop, order):
    refund(shop, order, out_refund_no="OQ-1", refund_fee=10)
    with time_machine.travel(clock.now() + timedelta(minutes=1)):
        reply = call(
            "/pay/orderquery", base_fields(shop, out_trade_no=order.out_trade_no), shop.key
        )
    assert reply["trade_state"] == "REFUND"
    assert Refund.objects.get().status == "SUCCESS"
    assert merchant_balance(shop.merchant) == 90
