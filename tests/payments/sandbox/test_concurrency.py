"""PAY-1 money rules under real concurrency (threads, real transactions, a file SQLite
database and PostgreSQL): 50 racing refunds of one order never refund more than was paid;
10 racing payments pay an order once, with one ledger row and one notification; racing
unified orders with one out_trade_no make one order; a racing repeated out_refund_no makes
one refund."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.core.actors import Actor
from miniport.identities.selectors import openid_for
from miniport.payments.models import LedgerEntry, Order, PayNotification, Refund
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.orders import order_pay
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.payments.sandbox.wire import base_fields, call, order_fields, paid_order, signed_body

pytestmark = pytest.mark.django_db(transaction=True)


def post(path: str, fields: dict, key: str) -> dict:
    response = Client().post(path, signed_body(fields, key), content_type="")
    assert response.status_code == 200, response.content
    return signing.parse_xml(response.content)


def test_fifty_racing_refunds_never_refund_more_than_paid(shop, make_identity):
    """PAY-1: 50 refunds of 3 fen each race for an order of 100 fen: 33 are accepted, the
    others refused, refunded_fee is 99 and equals the sum of the refunds."""
    assert_shared_database()
    order = paid_order(shop, make_identity())

    def refund(index: int) -> dict:
        fields = base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no=f"RACE-{index}",
            total_fee=100,
            refund_fee=3,
        )
        return post("/secapi/pay/refund", fields, shop.key)

    replies = run_concurrently(50, refund)
    assert not [r for r in replies if isinstance(r, Exception)], replies
    accepted = [r for r in replies if r["result_code"] == "SUCCESS"]
    refused = [r for r in replies if r["result_code"] == "FAIL"]
    assert {r["err_code"] for r in refused} <= {"ERROR"}
    assert len(accepted) == 33 and len(refused) == 17
    order.refresh_from_db()
    refunds = Refund.objects.filter(order=order)
    assert order.refunded_fee == sum(r.refund_fee for r in refunds) == 99
    assert LedgerEntry.objects.filter(order=order, kind="refund_accepted").count() == 33


def test_racing_refunds_of_everything_accept_one(shop, make_identity):
    assert_shared_database()
    order = paid_order(shop, make_identity())

    def refund(index: int) -> dict:
        fields = base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no=f"ALL-{index}",
            total_fee=100,
            refund_fee=100,
        )
        return post("/secapi/pay/refund", fields, shop.key)

    replies = run_concurrently(10, refund)
    assert sum(r["result_code"] == "SUCCESS" for r in replies) == 1
    order.refresh_from_db()
    assert order.refunded_fee == 100 and Refund.objects.count() == 1


def test_a_racing_repeated_out_refund_no_makes_one_refund(shop, make_identity):
    assert_shared_database()
    order = paid_order(shop, make_identity())

    def refund(_index: int) -> dict:
        fields = base_fields(
            shop, out_trade_no=order.out_trade_no, out_refund_no="ONE", total_fee=100, refund_fee=7
        )
        return post("/secapi/pay/refund", fields, shop.key)

    replies = run_concurrently(10, refund)
    assert all(r["result_code"] == "SUCCESS" for r in replies), replies
    assert len({r["refund_id"] for r in replies}) == 1
    order.refresh_from_db()
    assert order.refunded_fee == 7 and Refund.objects.count() == 1


def test_a_racing_retried_refund_of_what_is_left_answers_its_refund_to_every_retry(
    shop, make_identity
):
    """PAY-1 (pay §3.4 idempotency): after the first of ten identical requests is accepted,
    too little is left for another 30 fen; the others are retries of that one, not new
    refunds, and get its refund_id rather than "more than what is left"."""
    assert_shared_database()
    order = paid_order(shop, make_identity())
    first = base_fields(
        shop, out_trade_no=order.out_trade_no, out_refund_no="EARLIER", total_fee=100, refund_fee=60
    )
    assert post("/secapi/pay/refund", first, shop.key)["result_code"] == "SUCCESS"

    def refund(_index: int) -> dict:
        fields = base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no="RETRY",
            total_fee=100,
            refund_fee=30,
        )
        return post("/secapi/pay/refund", fields, shop.key)

    replies = run_concurrently(10, refund)
    assert all(r["result_code"] == "SUCCESS" for r in replies), replies
    assert len({r["refund_id"] for r in replies}) == 1
    order.refresh_from_db()
    assert order.refunded_fee == 90 and Refund.objects.filter(order=order).count() == 2


def test_ten_racing_payments_pay_once(shop, make_identity):
    """PAY-1: one True, nine False; one ORDER_PAID row, one payment notification."""
    assert_shared_database()
    payer = make_identity()
    fields = order_fields(shop, openid=openid_for(payer, shop.appid))
    prepay_id = call("/pay/unifiedorder", fields, shop.key)["prepay_id"]

    def pay(_index: int) -> bool:
        order = Order.objects.get(prepay_id=prepay_id)
        return order_pay(actor=Actor.for_identity(payer), order=order, payer=payer)

    outcomes = run_concurrently(10, pay)
    assert sorted(outcomes, key=str) == [False] * 9 + [True], outcomes
    order = Order.objects.get(prepay_id=prepay_id)
    assert order.trade_state == "SUCCESS"
    assert LedgerEntry.objects.filter(order=order, kind="order_paid").count() == 1
    assert PayNotification.objects.filter(order=order).count() == 1


def test_racing_unified_orders_with_one_out_trade_no_make_one_order(shop):
    assert_shared_database()
    fields = order_fields(shop, out_trade_no="SAME-NO")

    def place(index: int) -> dict:
        return post("/pay/unifiedorder", {**fields, "nonce_str": f"n{index}"}, shop.key)

    replies = run_concurrently(10, place)
    assert all(r["result_code"] == "SUCCESS" for r in replies), replies
    assert len({r["prepay_id"] for r in replies}) == 1
    assert Order.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="order_created").count() == 1
