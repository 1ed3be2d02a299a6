"""PAY-1: the ledger (one row per state change, the balance as their sum) and the daily
bill of pay/downloadbill in WeChat's format."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from miniport.core import clock, sweeps
from miniport.payments.models import LedgerEntry
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.ledger import BILL_HEADER, SUMMARY_HEADER, bill_csv, merchant_balance
from tests.payments.sandbox.wire import base_fields, call, paid_order, signed_body

pytestmark = pytest.mark.django_db


def bill(shop, **fields):
    body = signed_body(base_fields(shop, **fields), shop.key)
    return Client().post("/pay/downloadbill", body, content_type="")


def test_the_balance_is_the_sum_of_the_ledger(shop, make_identity):
    payer = make_identity()
    first = paid_order(shop, payer, total_fee=500)
    paid_order(shop, payer, total_fee=250)
    assert merchant_balance(shop.merchant) == 750
    call(
        "/secapi/pay/refund",
        base_fields(
            shop, out_trade_no=first.out_trade_no, out_refund_no="B1", total_fee=500, refund_fee=200
        ),
        shop.key,
    )
    assert merchant_balance(shop.merchant) == 750  # accepted, not yet settled
    with time_machine.travel(clock.now() + timedelta(minutes=1)):
        sweeps.run_all()
    assert merchant_balance(shop.merchant) == 550
    total = sum(
        LedgerEntry.objects.filter(merchant=shop.merchant).values_list("amount_fen", flat=True)
    )
    assert total == 550


def test_the_daily_bill(shop, make_identity):
    order = paid_order(shop, make_identity(), total_fee=1234, body="商品,一")
    call(
        "/secapi/pay/refund",
        base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no="BR1",
            total_fee=1234,
            refund_fee=34,
        ),
        shop.key,
    )
    day = clock.today().strftime("%Y%m%d")
    response = bill(shop, bill_date=day, bill_type="ALL")
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == BILL_HEADER
    assert lines[1].startswith("`") and f"`{order.out_trade_no}," in lines[1]
    assert "`SUCCESS," in lines[1] and "`12.34," in lines[1]
    assert "`REFUND," in lines[2] and "`BR1," in lines[2] and "`0.34," in lines[2]
    assert lines[3] == SUMMARY_HEADER
    assert lines[4] == "`2,`12.34,`0.34,`0.00,`0.00,`12.34,`0.34"
    only_paid = bill(shop, bill_date=day, bill_type="SUCCESS").content.decode()
    assert "`BR1," not in only_paid and f"`{order.out_trade_no}," in only_paid
    only_refunds = bill(shop, bill_date=day, bill_type="REFUND").content.decode()
    assert "`BR1," in only_refunds and "`SUCCESS," not in only_refunds
    # Each row has the header's number of columns: commas inside values are replaced.
    assert len(lines[1].split(",")) == len(BILL_HEADER.split(","))


def test_bill_refusals(shop):
    empty = signing.parse_xml(bill(shop, bill_date="20200101").content)
    assert empty["return_code"] == "FAIL" and empty["return_msg"] == "No Bill Exist"
    for bad in ("2020-01-01", "20201340", None):
        reply = signing.parse_xml(bill(shop, bill_date=bad).content)
        assert reply["return_code"] == "FAIL" and reply["return_msg"] == "invalid bill_date"
    reply = signing.parse_xml(bill(shop, bill_date="20200101", bill_type="PAID").content)
    assert reply["return_msg"] == "invalid bill_type"
    other = signing.parse_xml(bill(shop, bill_date="20200101", appid="wxother").content)
    assert other["return_code"] == "FAIL" and other["err_code"] == "APPID_MCHID_NOT_MATCH"


def test_bill_of_a_day_in_china_time(shop, make_identity):
    assert bill_csv(shop.merchant, clock.today()) is None
    paid_order(shop, make_identity())
    assert bill_csv(shop.merchant, clock.today() - timedelta(days=1)) is None
    assert bill_csv(shop.merchant, clock.today()) is not None
