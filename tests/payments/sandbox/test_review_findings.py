"""PAY-1 edge cases of the wire: values a merchant's parser would change, a lowered
amount cap, bodies and request lines too long, and the two signing modes' books."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.core.actors import Actor
from miniport.identities.selectors import openid_for
from miniport.payments.models import Order
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.ledger import CHINA, bill_csv, merchant_balance
from miniport.payments.sandbox.orders import order_pay
from tests.payments.sandbox.wire import (
    base_fields,
    books,
    call,
    key_of,
    order_fields,
    paid_order,
    set_policy,
    signed_body,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["attach", "device_info", "body", "openid"])
def test_a_value_with_whitespace_around_it_is_refused_and_nothing_is_stored(shop, field):
    """wechatpy's parser strips such a value from the notification, so its signature
    could never verify at the merchant: refused at the order, INVALID_REQUEST."""
    before = books()
    fields = order_fields(shop, **{field: " padded "})
    reply = call("/pay/unifiedorder", fields, shop.key)
    assert (reply["result_code"], reply["err_code"]) == ("FAIL", "INVALID_REQUEST")
    assert field in reply["err_code_des"]
    assert books() == before


def test_a_refund_reason_with_whitespace_around_it_is_refused(shop, make_identity):
    order = paid_order(shop, make_identity(), total_fee=300)
    before = books()
    reply = call(
        "/secapi/pay/refund",
        base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no="W1",
            total_fee=300,
            refund_fee=100,
            refund_desc=" broken ",
        ),
        shop.key,
    )
    assert (reply["result_code"], reply["err_code"]) == ("FAIL", "PARAM_ERROR")
    assert books() == before


def test_a_lowered_amount_cap_never_locks_a_paid_order_out_of_its_refunds(shop, make_identity):
    order = paid_order(shop, make_identity(), total_fee=5000)
    set_policy("pay.max_total_fee_fen", 1000)
    reply = call(
        "/secapi/pay/refund",
        base_fields(
            shop,
            out_trade_no=order.out_trade_no,
            out_refund_no="C1",
            total_fee=5000,
            refund_fee=100,
        ),
        shop.key,
    )
    assert reply["result_code"] == "SUCCESS", reply
    # New orders are held to the lowered cap.
    refused = call("/pay/unifiedorder", order_fields(shop, total_fee=5000), shop.key)
    assert refused["err_code"] == "INVALID_REQUEST"


def test_a_body_over_the_cap_gets_an_xml_envelope_with_http_200(shop):
    """Reference §1: HTTP 200 and <xml> for every failure (wechatpy turns any other
    status into an exception without codes)."""
    before = books()
    huge = b"<xml>" + b"<body>" + b"x" * (3 * 1024 * 1024) + b"</body></xml>"
    response = Client().post("/pay/unifiedorder", huge, content_type="")
    assert response.status_code == 200
    reply = signing.parse_xml(response.content)
    assert reply["return_code"] == "FAIL" and reply["return_msg"]
    assert books() == before


def test_a_request_line_too_long_gets_an_xml_envelope_with_http_200():
    response = Client().post("/pay/unifiedorder?" + "a" * 5000, b"<xml></xml>", content_type="")
    assert response.status_code == 200
    assert signing.parse_xml(response.content)["return_code"] == "FAIL"


def test_the_sandbox_and_the_real_key_keep_separate_books(shop, make_identity):
    payer = make_identity()
    real = paid_order(shop, payer, total_fee=700)
    sandbox_key = key_of(shop, sandbox=True)
    reply = call(
        "/sandboxnew/pay/unifiedorder",
        order_fields(shop, total_fee=300, openid=openid_for(payer, shop.appid)),
        sandbox_key,
    )
    sandboxed = Order.objects.get(prepay_id=reply["prepay_id"])
    assert order_pay(actor=Actor.for_identity(payer), order=sandboxed, payer=payer)
    assert merchant_balance(shop.merchant) == 700
    assert merchant_balance(shop.merchant, sandbox=True) == 300
    day = real.paid_at.astimezone(CHINA).date()
    real_bill = bill_csv(shop.merchant, day)
    sandbox_bill = bill_csv(shop.merchant, day, sandbox=True)
    assert real.out_trade_no in real_bill and sandboxed.out_trade_no not in real_bill
    assert sandboxed.out_trade_no in sandbox_bill and real.out_trade_no not in sandbox_bill


def test_the_revoked_bill_type_is_known_and_has_no_bill(shop, make_identity):
    order = paid_order(shop, make_identity())
    day = order.paid_at.astimezone(CHINA).date().strftime("%Y%m%d")
    body = signed_body(base_fields(shop, bill_date=day, bill_type="REVOKED"), shop.key)
    response = Client().post("/pay/downloadbill", body, content_type="")
    reply = signing.parse_xml(response.content)
    assert reply["return_code"] == "FAIL"
    assert reply["return_msg"] == "No Bill Exist"
