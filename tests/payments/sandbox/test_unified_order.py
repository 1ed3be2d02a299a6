"""PAY-1 (reference §3.1): unified order's rules, each refusal a signed result_code FAIL
with its err_code, and nothing stored."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import clock
from miniport.payments.models import LedgerEntry, MerchantState, Order
from miniport.payments.sandbox import signing
from tests.payments.sandbox.wire import books, call, order_fields, set_policy

pytestmark = pytest.mark.django_db
PATH = "/pay/unifiedorder"


def refused(shop, code: str, **overrides) -> dict:
    before = books()
    reply = call(PATH, order_fields(shop, **overrides), shop.key)
    assert reply["return_code"] == "SUCCESS", reply
    assert reply["result_code"] == "FAIL", reply
    assert reply["err_code"] == code, reply
    assert reply["err_code_des"]
    assert signing.sign(reply, shop.key) == reply["sign"]
    assert "prepay_id" not in reply
    assert books() == before
    return reply


def china(moment) -> str:
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d%H%M%S")


def test_an_order_is_placed_with_its_ledger_row(shop):
    reply = call(PATH, order_fields(shop, out_trade_no="A-1|x*y@z_"), shop.key)
    assert reply["result_code"] == "SUCCESS"
    order = Order.objects.get()
    assert order.prepay_id == reply["prepay_id"] and len(order.prepay_id) == 36
    assert order.trade_state == "NOTPAY" and order.total_fee == 100
    assert list(LedgerEntry.objects.values_list("kind", "amount_fen")) == [("order_created", 0)]


@pytest.mark.parametrize(
    "missing",
    ["appid", "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url", "trade_type",
     "nonce_str", "openid"],
)  # fmt: skip
def test_missing_fields_are_lack_params(shop, missing):
    refused(shop, "LACK_PARAMS", **{missing: None})


def test_native_needs_a_product_id_and_gets_a_code_url(shop):
    refused(shop, "LACK_PARAMS", trade_type="NATIVE", openid=None)
    reply = call(PATH, order_fields(shop, trade_type="NATIVE", product_id="P1"), shop.key)
    assert reply["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")


def test_mweb_gets_a_page_url(shop):
    reply = call(PATH, order_fields(shop, trade_type="MWEB", openid=None), shop.key)
    assert reply["mweb_url"].endswith(f"/m/pay/{reply['prepay_id']}/")


@pytest.mark.parametrize("total_fee", ["0", "-1", "1.5", "abc", "100000001", "１００"])
def test_bad_amounts_are_invalid_requests(shop, total_fee):
    """PAY-1: amounts are whole fen, > 0, within the policy cap."""
    refused(shop, "INVALID_REQUEST", total_fee=total_fee)


def test_the_amount_cap_is_a_policy_row(shop):
    set_policy("pay.max_total_fee_fen", 500)
    refused(shop, "INVALID_REQUEST", total_fee=501)
    assert call(PATH, order_fields(shop, total_fee=500), shop.key)["result_code"] == "SUCCESS"


@pytest.mark.parametrize("out_trade_no", ["has space", "中文", "a" * 33, "a#b", "a/b"])
def test_bad_out_trade_nos_are_invalid_requests(shop, out_trade_no):
    refused(shop, "INVALID_REQUEST", out_trade_no=out_trade_no)


@pytest.mark.parametrize(
    "overrides",
    [
        {"time_start": "2026-12-07"},
        {"time_expire": "20261399000000"},
        {"time_expire": "202612070000"},
        {"trade_type": "MICROPAY"},
        {"fee_type": "USD"},
        {"body": "x" * 128},
        {"attach": "x" * 128},
        {"notify_url": "ftp://merchant.example.com/n"},
        {"notify_url": "https://merchant.example.com/n?a=1"},
        {"notify_url": "https://merchant.example.com:99999/n"},
        {"notify_url": "https://user:pw@merchant.example.com/n"},
        {"device_info": "d" * 33},
    ],
)
def test_bad_formats_are_invalid_requests(shop, overrides):
    refused(shop, "INVALID_REQUEST", **overrides)


@pytest.mark.parametrize("address", ["999.1.1.1", "localhost", "1.2.3", "::g"])
def test_a_client_address_that_is_not_an_ip_address_is_an_invalid_request(shop, address):
    """wechat-pay-v2 3.1: spbill_create_ip is an IPv4 or IPv6 address."""
    refused(shop, "INVALID_REQUEST", spbill_create_ip=address)


@pytest.mark.parametrize("address", ["203.0.113.9", "2001:db8::1"])
def test_ipv4_and_ipv6_client_addresses_are_taken(shop, address):
    answer = call(PATH, order_fields(shop, spbill_create_ip=address), shop.key)
    assert answer["result_code"] == "SUCCESS"


def test_time_expire_must_leave_a_minute(shop):
    refused(shop, "INVALID_REQUEST", time_expire=china(clock.now() + timedelta(seconds=30)))
    later = china(clock.now() + timedelta(minutes=5))
    assert call(PATH, order_fields(shop, time_expire=later), shop.key)["result_code"] == "SUCCESS"


def test_an_appid_that_is_not_the_merchants_does_not_match(shop, make_merchant):
    other = make_merchant()
    refused(shop, "APPID_MCHID_NOT_MATCH", appid=other.appid)


def test_an_uncertified_mini_program_has_no_authority(make_merchant):
    """PAY-1/CER-1: NOAUTH when the merchant's mini program is not certified."""
    shop = make_merchant(certified=False)
    refused(shop, "NOAUTH")


def test_an_expired_certification_takes_payment_away(shop):
    """CER-1: certification runs a year; after it, unified order answers NOAUTH."""
    subject = shop.miniprogram.subject
    with time_machine.travel(subject.certified_until + timedelta(days=1)):
        refused(shop, "NOAUTH")


def test_a_suspended_merchant_has_no_authority(shop):
    shop.merchant.state = MerchantState.SUSPENDED
    shop.merchant.save()
    refused(shop, "NOAUTH")


def test_the_platform_merchant_takes_no_api_orders(db):
    from miniport.payments.merchants.platform import platform_merchant

    merchant = platform_merchant()

    class Platform:
        appid = "wx0000000000000000"
        key = merchant.api_key

    Platform.merchant = merchant
    refused(Platform, "APPID_MCHID_NOT_MATCH")


def test_the_same_parameters_again_give_the_same_prepay_id(shop):
    """§3.1: a re-entry with the same business parameters (new nonce, new times)."""
    fields = order_fields(shop, out_trade_no="RE-1")
    first = call(PATH, fields, shop.key)
    again = call(
        PATH,
        {**fields, "nonce_str": signing.nonce(), "time_start": china(clock.now())},
        shop.key,
        sign_type="HMAC-SHA256",
    )
    assert again["result_code"] == "SUCCESS" and again["prepay_id"] == first["prepay_id"]
    assert Order.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_other_parameters_with_a_used_out_trade_no(shop):
    fields = order_fields(shop, out_trade_no="RE-2")
    call(PATH, fields, shop.key)
    refused(shop, "OUT_TRADE_NO_USED", **{**fields, "total_fee": 101, "nonce_str": "n"})
    refused(shop, "OUT_TRADE_NO_USED", **{**fields, "body": "another", "nonce_str": "n"})


def test_the_out_trade_no_of_a_paid_order(shop, make_identity):
    from miniport.core.actors import Actor
    from miniport.identities.selectors import openid_for
    from miniport.payments.sandbox.orders import order_pay

    payer = make_identity()
    fields = order_fields(shop, out_trade_no="PAID-1", openid=openid_for(payer, shop.appid))
    call(PATH, fields, shop.key)
    order_pay(actor=Actor.system(), order=Order.objects.get(), payer=payer)
    refused(shop, "ORDERPAID", **fields)


def test_an_expired_unpaid_order_is_closed_when_met_again(shop):
    """§3.1/§3.3: past its deadline an order is CLOSED (with its ledger row)."""
    fields = order_fields(shop, out_trade_no="EXP-1")
    call(PATH, fields, shop.key)
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        before = LedgerEntry.objects.count()
        reply = call(PATH, {**fields, "nonce_str": "n"}, shop.key)
        assert reply["err_code"] == "ORDERCLOSED"
        assert Order.objects.get().trade_state == "CLOSED"
        assert LedgerEntry.objects.count() == before + 1
