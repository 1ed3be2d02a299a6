"""PAY-1 (reference §1-§3): protocol failures of the XML API answer HTTP 200,
return_code FAIL with return_msg (and err_code naming it), unsigned, and store nothing;
never a 500, whatever the body."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.payments.sandbox import signing
from tests.payments.sandbox.wire import (
    base_fields,
    books,
    call,
    key_of,
    order_fields,
    raw,
    signed_body,
)

pytestmark = pytest.mark.django_db

PATHS = [
    "/pay/unifiedorder",
    "/pay/orderquery",
    "/pay/closeorder",
    "/secapi/pay/refund",
    "/pay/refundquery",
    "/pay/downloadbill",
    "/sandboxnew/pay/unifiedorder",
    "/sandboxnew/secapi/pay/refund",
    "/sandboxnew/pay/getsignkey",
]


def assert_fail(reply: dict, code: str, message: str | None = None) -> None:
    assert reply["return_code"] == "FAIL"
    assert reply["err_code"] == code
    assert "sign" not in reply and "result_code" not in reply
    if message:
        assert reply["return_msg"] == message


@pytest.mark.parametrize("path", PATHS)
def test_get_is_refused_with_require_post(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert_fail(signing.parse_xml(response.content), "REQUIRE_POST_METHOD")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "POST_DATA_EMPTY"),
        ("<xml><mch_id>1</mch_id><body>测试</body></xml>".encode("gb18030"), "NOT_UTF8"),
        (b"<xml><mch_id>1</mch_id>", "XML_FORMAT_ERROR"),
        (b'{"mch_id": 1}', "XML_FORMAT_ERROR"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><xml><mch_id>&a;</mch_id></xml>', "XML_FORMAT_ERROR"),
        (b"<xml><nonce_str>x</nonce_str></xml>", "LACK_PARAMS"),
        (b"<xml><mch_id>9999999999</mch_id><sign>AA</sign></xml>", "MCHID_NOT_EXIST"),
        (b"<xml><mch_id>" + b"9" * 40 + b"</mch_id></xml>", "MCHID_NOT_EXIST"),
    ],
)
def test_bodies_that_are_not_requests(db, path, body, code):
    before = books()
    assert_fail(raw(path, body), code)
    assert books() == before


@pytest.mark.parametrize(
    "content_type", ["", "text/xml", "application/json", "multipart/form-data"]
)
def test_the_body_is_read_whatever_the_content_type(shop, content_type):
    """§1: wechatpy sends no Content-Type; the raw body counts, whatever the header."""
    body = signed_body(order_fields(shop), shop.key)
    response = Client().post("/pay/unifiedorder", body, content_type=content_type)
    assert signing.parse_xml(response.content)["result_code"] == "SUCCESS"


@pytest.mark.parametrize("path", [p for p in PATHS if "getsignkey" not in p])
def test_a_wrong_signature_is_a_protocol_failure(shop, path):
    """§1: 签名错误，请检查后再试, return_code FAIL, nothing stored."""
    before = books()
    reply = call(path, order_fields(shop, out_refund_no="R1", refund_fee=1), "k" * 32)
    assert_fail(reply, "SIGNERROR", "签名错误，请检查后再试")
    assert books() == before


def test_tampered_field_missing_sign_and_unknown_sign_type(shop):
    fields = order_fields(shop)
    body = signed_body(fields, shop.key).replace(b"<total_fee>100<", b"<total_fee>1<")
    assert_fail(raw("/pay/unifiedorder", body), "SIGNERROR")
    unsigned = signing.to_xml(fields).encode()
    assert_fail(raw("/pay/unifiedorder", unsigned), "SIGNERROR")
    other = {**fields, "sign_type": "SHA1", "sign": signing.sign(fields, shop.key)}
    assert_fail(raw("/pay/unifiedorder", signing.to_xml(other).encode()), "SIGNERROR")
    assert books() == ([], [], 0)


def test_the_real_key_does_not_sign_sandbox_calls_nor_the_other_way(shop):
    """§3.6: sandboxnew/ paths take the sandbox key only; others the API key only."""
    assert_fail(call("/sandboxnew/pay/unifiedorder", order_fields(shop), shop.key), "SIGNERROR")
    sandbox_key = key_of(shop, sandbox=True)
    assert_fail(call("/pay/unifiedorder", order_fields(shop), sandbox_key), "SIGNERROR")
    assert (
        call("/sandboxnew/pay/unifiedorder", order_fields(shop), sandbox_key)["result_code"]
        == "SUCCESS"
    )


def test_getsignkey_takes_the_real_key_and_answers_a_stable_key(shop):
    fields = {"mch_id": shop.merchant.mch_id, "nonce_str": signing.nonce()}
    first = call("/sandboxnew/pay/getsignkey", fields, shop.key)
    second = call("/sandboxnew/pay/getsignkey", {**fields, "nonce_str": "n2"}, shop.key)
    assert first["return_code"] == "SUCCESS"
    assert first["sandbox_signkey"] == second["sandbox_signkey"] == key_of(shop, sandbox=True)
    assert len(first["sandbox_signkey"]) == 32
    assert_fail(call("/sandboxnew/pay/getsignkey", fields, "x" * 32), "SIGNERROR")
    # Only under sandboxnew/.
    assert Client().post("/pay/getsignkey", b"<xml/>", content_type="").status_code == 404


def test_a_new_api_key_gives_a_new_sandbox_key(shop):
    old = key_of(shop, sandbox=True)
    shop.merchant.key_version += 1
    shop.merchant.api_key = "N" * 32
    shop.merchant.save()
    assert key_of(shop, sandbox=True) != old


def test_empty_elements_count_as_absent(shop):
    """§6: wechatpy writes total_fee=0 as an empty element, left out of the signature: the
    answer is a missing field, not a signature error."""
    fields = order_fields(shop, attach="")
    fields["total_fee"] = ""
    reply = call("/pay/unifiedorder", fields, shop.key)
    assert reply["result_code"] == "FAIL" and reply["err_code"] == "LACK_PARAMS"
    assert books() == ([], [], 0)


def test_unknown_extra_fields_are_signed_and_accepted(shop):
    """§6: op_user_id, scene_info and other extras are never refused, only signed."""
    fields = order_fields(shop, scene_info='{"store_info": {"id": "1"}}', receipt="Y", x_extra="1")
    assert call("/pay/unifiedorder", fields, shop.key)["result_code"] == "SUCCESS"


def test_business_failures_are_signed_with_the_request_sign_type(shop):
    """§2 choice: the reply to an HMAC-SHA256 request is HMAC-SHA256 signed."""
    fields = order_fields(shop, total_fee=0)
    fields["total_fee"] = "-1"
    reply = call("/pay/unifiedorder", fields, shop.key, sign_type="HMAC-SHA256")
    assert reply["return_code"] == "SUCCESS" and reply["result_code"] == "FAIL"
    assert reply["err_code"] == "INVALID_REQUEST"
    assert signing.sign(reply, shop.key, "HMAC-SHA256") == reply["sign"]
    assert reply["appid"] == shop.appid and reply["mch_id"] == shop.merchant.mch_id


def test_base_fields_alone_are_missing_parameters(shop):
    reply = call("/pay/unifiedorder", base_fields(shop), shop.key)
    assert reply["err_code"] == "LACK_PARAMS" and reply["err_code_des"].startswith("缺少参数")


def test_a_stored_sandbox_key_wins_over_the_derived_one(shop):
    shop.merchant.sandbox_key = "S" * 32
    shop.merchant.save()
    fields = {"mch_id": shop.merchant.mch_id, "nonce_str": signing.nonce()}
    assert call("/sandboxnew/pay/getsignkey", fields, shop.key)["sandbox_signkey"] == "S" * 32
    reply = call("/sandboxnew/pay/unifiedorder", order_fields(shop), "S" * 32)
    assert reply["result_code"] == "SUCCESS"


def test_an_unexpected_failure_is_an_envelope_not_a_500(shop, monkeypatch, caplog):
    from miniport.payments.sandbox import gateway

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setitem(gateway.ENDPOINTS, "pay/orderquery", broken)
    reply = call("/pay/orderquery", base_fields(shop, out_trade_no="x"), shop.key)
    assert_fail(reply, "SYSTEMERROR")
    assert "boom" not in reply["return_msg"]
    assert "pay API failed" in caplog.text


def test_the_sandbox_and_the_live_books_each_have_their_own_order_numbers(shop):
    """§3.6: the sandbox is apart from the live books: one out_trade_no may be placed in
    each, and each mode's query finds its own order only."""
    sandbox_key = key_of(shop, sandbox=True)
    fields = order_fields(shop, out_trade_no="SAME-IN-BOTH")
    in_sandbox = call("/sandboxnew/pay/unifiedorder", fields, sandbox_key)
    live = call("/pay/unifiedorder", fields, shop.key)
    assert in_sandbox["result_code"] == live["result_code"] == "SUCCESS", (in_sandbox, live)
    assert in_sandbox["prepay_id"] != live["prepay_id"]
    query = base_fields(shop, out_trade_no="SAME-IN-BOTH")
    assert call("/pay/orderquery", query, shop.key)["trade_state"] == "NOTPAY"
    assert call("/sandboxnew/pay/orderquery", query, sandbox_key)["trade_state"] == "NOTPAY"
    # Placed again in its own mode, each answers its own prepay_id.
    again = call("/pay/unifiedorder", {**fields, "nonce_str": "again"}, shop.key)
    assert again["prepay_id"] == live["prepay_id"]
