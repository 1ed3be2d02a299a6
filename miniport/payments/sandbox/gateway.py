"""The XML API's envelope (reference §1-§3, §6): read a request body, find and verify
the merchant, run the endpoint, sign the reply.

Protocol failures answer `return_code=FAIL` with `return_msg` and, to tell them apart,
`err_code` naming the failure (SIGNERROR, XML_FORMAT_ERROR, POST_DATA_EMPTY, NOT_UTF8,
REQUIRE_POST_METHOD, MCHID_NOT_EXIST, LACK_PARAMS for a missing mch_id); they are not
signed — there may be no key to sign with, and a caller must not trust a key it could
not prove. A wrong signature is always such a protocol failure (as WeChat answers it,
`签名错误，请检查后再试`), never a signed business reply.
Business failures answer `return_code=SUCCESS`, `result_code=FAIL`, `err_code`,
`err_code_des`, signed with the request's sign_type and the key the request was checked
with (the sandbox key under `sandboxnew/`). Empty elements count as absent (§6).
Nothing an endpoint refuses is stored: each endpoint writes in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from miniport.payments.models import Merchant
from miniport.payments.sandbox import api_orders, api_refunds, keys, ledger, signing
from miniport.payments.sandbox import fields as check
from miniport.payments.sandbox.errors import TradeError, WireError, wire

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"
CSV = "text/plain; charset=utf-8"
Handler = Callable[[Merchant, Mapping[str, str], bool], dict[str, object]]
ENDPOINTS: dict[str, Handler] = {
    "pay/unifiedorder": api_orders.unifiedorder,
    "pay/orderquery": api_orders.orderquery,
    "pay/closeorder": api_orders.closeorder,
    "secapi/pay/refund": api_refunds.refund,
    "pay/refundquery": api_refunds.refundquery,
}
BILL = "pay/downloadbill"
SIGNKEY = "pay/getsignkey"


@dataclass(frozen=True)
class Answer:
    body: str
    content_type: str = XML


def failure(error: WireError) -> Answer:
    return Answer(
        signing.to_xml(
            {
                "return_code": "FAIL",
                "return_msg": error.message,
                "err_code": error.code,
                "err_code_des": error.message,
            }
        )
    )


def _merchant(fields: Mapping[str, str]) -> Merchant:
    mch_id = fields.get("mch_id")
    if not mch_id:
        raise wire("LACK_PARAMS", "缺少参数mch_id")
    merchant = (
        Merchant.objects.select_related("miniprogram__subject").filter(mch_id=mch_id[:13]).first()
        if len(mch_id) <= 13
        else None
    )
    if merchant is None:
        raise wire("MCHID_NOT_EXIST")
    return merchant


def _verified(body: bytes, *, sandbox: bool, real_key: bool = False) -> tuple[Merchant, dict, str]:
    raw = signing.parse_xml(body)
    merchant = _merchant(raw)
    key = keys.signing_key(merchant, sandbox=sandbox and not real_key)
    if not signing.verify(raw, key):
        raise wire("SIGNERROR")
    present = {k: v for k, v in raw.items() if v != "" and k != "sign"}
    return merchant, present, key


def _signed(fields: dict[str, object], key: str, sign_type: str) -> Answer:
    clean = {k: v for k, v in fields.items() if v is not None and str(v) != ""}
    clean["sign"] = signing.sign(clean, key, sign_type)
    return Answer(signing.to_xml(clean))


def _getsignkey(body: bytes) -> Answer:
    merchant, _fields, _key = _verified(body, sandbox=True, real_key=True)
    return Answer(
        signing.to_xml(
            {
                "return_code": "SUCCESS",
                "return_msg": "ok",
                "mch_id": merchant.mch_id,
                "sandbox_signkey": keys.sandbox_key(merchant),
            }
        )
    )


def _bill(merchant: Merchant, fields: Mapping[str, str], sandbox: bool) -> Answer:
    api_orders.check_appid(merchant, fields.get("appid"))
    day = check.bill_date(fields.get("bill_date", ""))
    if day is None:
        raise wire("20001", "invalid bill_date")
    bill_type = fields.get("bill_type", "ALL")
    if bill_type not in ledger.BILL_TYPES:
        raise wire("20001", "invalid bill_type")
    text = ledger.bill_csv(merchant, day, bill_type, sandbox=sandbox)
    if text is None:
        raise wire("20002", "No Bill Exist")
    return Answer(text, CSV)


def answer(endpoint: str, body: bytes, *, sandbox: bool) -> Answer:
    """The reply to one POSTed body at `endpoint` (under `sandboxnew/` when `sandbox`)."""
    try:
        if endpoint == SIGNKEY:
            return _getsignkey(body)
        merchant, fields, key = _verified(body, sandbox=sandbox)
        sign_type = fields.get("sign_type", signing.MD5)
        if endpoint == BILL:
            try:
                return _bill(merchant, fields, sandbox)
            except TradeError as refused:
                raise wire(refused.code, refused.message) from None
        envelope: dict[str, object] = {
            "return_code": "SUCCESS",
            "return_msg": "OK",
            "appid": fields.get("appid"),
            "mch_id": merchant.mch_id,
            "nonce_str": signing.nonce(),
        }
        try:
            business = ENDPOINTS[endpoint](merchant, fields, sandbox)
        except TradeError as refused:
            return _signed(
                {
                    **envelope,
                    "result_code": "FAIL",
                    "err_code": refused.code,
                    "err_code_des": refused.message,
                },
                key,
                sign_type,
            )
        return _signed({**envelope, "result_code": "SUCCESS", **business}, key, sign_type)
    except WireError as failed:
        return failure(failed)
    except Exception:
        log.exception("the pay API failed at %s", endpoint)
        return failure(wire("SYSTEMERROR", "系统繁忙，请稍后再试"))
