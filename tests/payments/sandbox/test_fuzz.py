"""PAY-1: whatever a correctly signed request carries, the XML API answers an envelope
(never a 500), and a refused request stores nothing: either one order with its one
ledger row, or no row at all."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniport.payments.models import LedgerEntry, Order, Refund
from miniport.payments.sandbox import signing
from tests.payments.sandbox.wire import order_fields, signed_body

pytestmark = pytest.mark.django_db

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=300
).filter(lambda v: v == v.strip())
_fee = st.one_of(st.integers(min_value=-10, max_value=10**12).map(str), _text)
FIELDS = ("body", "out_trade_no", "total_fee", "trade_type", "openid", "notify_url", "attach",
          "time_start", "time_expire", "spbill_create_ip", "detail", "device_info", "fee_type",
          "product_id", "goods_tag", "limit_pay")  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), st.one_of(_text, _fee), max_size=4))
def test_any_signed_unified_order_gets_an_envelope_and_stores_all_or_nothing(shop, changes):
    before = (Order.objects.count(), LedgerEntry.objects.count())
    fields = order_fields(shop, **changes)
    # Examples share the database: an out_trade_no drawn twice is a re-entry, which
    # answers the stored order and stores nothing.
    known = Order.objects.filter(out_trade_no=str(fields["out_trade_no"])).exists()
    body = signed_body(fields, shop.key)
    response = Client().post("/pay/unifiedorder", body, content_type="")
    assert response.status_code == 200
    reply = signing.parse_xml(response.content)
    assert reply["return_code"] == "SUCCESS", reply
    assert reply["err_code"] != "SYSTEMERROR" if reply["result_code"] == "FAIL" else True
    grew = (Order.objects.count() - before[0], LedgerEntry.objects.count() - before[1])
    stored = reply["result_code"] == "SUCCESS" and not known
    assert grew == ((1, 1) if stored else (0, 0)), reply


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(
        st.sampled_from(["out_refund_no", "total_fee", "refund_fee", "out_trade_no",
                         "transaction_id", "refund_desc", "notify_url", "refund_account"]),
        st.one_of(_text, _fee),
        max_size=3,
    )
)  # fmt: skip
def test_any_signed_refund_gets_an_envelope(shop, changes):
    fields = {
        "appid": shop.appid,
        "mch_id": shop.merchant.mch_id,
        "nonce_str": "n",
        "out_trade_no": "X1",
        "out_refund_no": "R1",
        "total_fee": "1",
        "refund_fee": "1",
        **changes,
    }
    response = Client().post("/secapi/pay/refund", signed_body(fields, shop.key), content_type="")
    reply = signing.parse_xml(response.content)
    assert reply["return_code"] == "SUCCESS" and reply["result_code"] == "FAIL", reply
    assert reply["err_code"] != "SYSTEMERROR", reply
    assert not Refund.objects.exists()


@settings(max_examples=80, deadline=None)
@given(body=st.binary(max_size=400))
def test_any_body_gets_an_envelope(body):
    response = Client().post("/pay/refundquery", body, content_type="")
    assert response.status_code == 200
    assert signing.parse_xml(response.content)["return_code"] == "FAIL"
