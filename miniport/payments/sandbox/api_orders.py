"""The XML API's order endpoints (reference §3.1-§3.3): unifiedorder, orderquery,
closeorder. Each takes the verified merchant, the request's non-empty fields and the
mode (`sandboxnew` or not) and returns the business fields of a SUCCESS reply, or raises
TradeError (a signed result_code=FAIL reply).

unifiedorder refusals, in order: LACK_PARAMS (a required field; openid for JSAPI,
product_id for NATIVE), APPID_MCHID_NOT_MATCH (appid not the merchant's mini program's),
INVALID_REQUEST (total_fee not a whole number of fen from 1 to pay.max_total_fee_fen,
out_trade_no charset/length, time format, time_expire too soon, trade_type, fee_type,
field lengths, notify_url), NOAUTH (the mini program is not certified — an expired
certification included — or the merchant is suspended), then for an out_trade_no already
used: ORDERPAID, ORDERCLOSED, OUT_TRADE_NO_USED (other parameters, or the other mode);
the same parameters again answer the same prepay_id.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from miniport.core import clock, policy
from miniport.payments.models import Merchant, MerchantKind, MerchantState, Order, TradeState
from miniport.payments.sandbox import fields as check
from miniport.payments.sandbox import orders
from miniport.payments.sandbox.errors import TradeError
from miniport.payments.sandbox.refunds import refunds_settle_due

TRADE_TYPES = ("JSAPI", "NATIVE", "APP", "MWEB")
# The parameters that make an order: a re-entry must repeat them (§3.1). The nonce, the
# signature and the times wechatpy computes afresh on every call are not among them.
DIGEST_FIELDS = (
    "appid", "attach", "body", "detail", "device_info", "fee_type", "goods_tag", "limit_pay",
    "notify_url", "openid", "out_trade_no", "product_id", "total_fee", "trade_type",
)  # fmt: skip
LENGTHS = {
    "body": 127, "detail": 6000, "attach": 127, "device_info": 32, "openid": 128,
    "spbill_create_ip": 64, "goods_tag": 32, "product_id": 32, "limit_pay": 32,
    "nonce_str": 32, "fee_type": 16,
}  # fmt: skip
STATE_DESC: dict[str, str] = {
    TradeState.NOTPAY: "订单未支付",
    TradeState.SUCCESS: "支付成功",
    TradeState.REFUND: "转入退款",
    TradeState.CLOSED: "订单已关闭",
}


def merchant_appid(merchant: Merchant) -> str | None:
    miniprogram = merchant.miniprogram
    return miniprogram.appid if miniprogram is not None else None


def check_appid(merchant: Merchant, appid: str | None) -> None:
    """The appid must be the merchant's mini program's (the platform's merchant has none:
    it places its orders itself, and may query them by their own appid)."""
    if merchant.kind == MerchantKind.PLATFORM:
        return
    if appid != merchant_appid(merchant):
        raise TradeError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")


def _digest(fields: Mapping[str, str]) -> str:
    values = {name: fields.get(name, "") for name in DIGEST_FIELDS}
    values["fee_type"] = values["fee_type"] or "CNY"
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _check_unified(merchant: Merchant, f: Mapping[str, str]) -> tuple[int, object, object]:
    check.require(
        f, "appid", "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url",
        "trade_type", "nonce_str",
    )  # fmt: skip
    if f["trade_type"] == "JSAPI":
        check.require(f, "openid")
    if f["trade_type"] == "NATIVE":
        check.require(f, "product_id")
    if merchant.kind == MerchantKind.PLATFORM:
        raise TradeError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
    check_appid(merchant, f["appid"])
    check.unpadded(f, "INVALID_REQUEST")
    total_fee = check.amount(f, "total_fee", "INVALID_REQUEST")
    check.out_trade_no(f["out_trade_no"])
    check.lengths(f, LENGTHS, "INVALID_REQUEST")
    if f["trade_type"] not in TRADE_TYPES:
        raise TradeError("INVALID_REQUEST", "trade_type参数错误")
    if not _is_ip_address(f["spbill_create_ip"]):  # wechat-pay-v2 3.1: IPv4 or IPv6
        raise TradeError("INVALID_REQUEST", "spbill_create_ip参数错误")
    if f.get("fee_type", "CNY") != "CNY":
        raise TradeError("INVALID_REQUEST", "fee_type参数错误")
    check.notify_url(f["notify_url"], "INVALID_REQUEST")
    time_start = check.china_time(f, "time_start")
    time_expire = check.china_time(f, "time_expire")
    soonest = clock.now() + timedelta(seconds=policy.value("pay.min_expire_seconds"))
    if time_expire is not None and time_expire < soonest:
        raise TradeError("INVALID_REQUEST", "time_expire时间过短")
    miniprogram = merchant.miniprogram
    if (
        merchant.state != MerchantState.ACTIVE
        or miniprogram is None
        or not miniprogram.is_certified
    ):
        raise TradeError("NOAUTH", "商户无此接口权限")
    return total_fee, time_start, time_expire


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _reentry(order: Order, digest: str, sandbox: bool) -> Order:
    order = orders.close_if_expired(order)
    if order.trade_state in orders.PAID_STATES:
        raise TradeError("ORDERPAID", "该订单已支付")
    if order.trade_state == TradeState.CLOSED:
        raise TradeError("ORDERCLOSED", "订单已关闭")
    if order.request_digest != digest or order.sandbox != sandbox:
        raise TradeError("OUT_TRADE_NO_USED", "商户订单号重复")
    return order


def _prepay_reply(order: Order) -> dict[str, object]:
    reply: dict[str, object] = {"trade_type": order.trade_type, "prepay_id": order.prepay_id}
    if order.device_info:
        reply["device_info"] = order.device_info
    if order.trade_type == "NATIVE":
        reply["code_url"] = "weixin://wxpay/bizpayurl?pr=" + order.prepay_id[-20:]
    if order.trade_type == "MWEB":
        reply["mweb_url"] = f"{settings.SITE_URL}/m/pay/{order.prepay_id}/"
    return reply


def _placed(merchant: Merchant, out_trade_no: str, sandbox: bool) -> Order | None:
    """The order placed with that number in this mode: the sandbox's numbers are apart
    from the live ones."""
    return Order.objects.filter(
        merchant=merchant, sandbox=sandbox, out_trade_no=out_trade_no
    ).first()


def unifiedorder(merchant: Merchant, f: Mapping[str, str], sandbox: bool) -> dict[str, object]:
    total_fee, time_start, time_expire = _check_unified(merchant, f)
    digest = _digest(f)
    existing = _placed(merchant, f["out_trade_no"], sandbox)
    if existing is not None:
        return _prepay_reply(_reentry(existing, digest, sandbox))
    columns = {
        name: f.get(name, "")
        for name in ("appid", "out_trade_no", "trade_type", "body", "detail", "attach",
                     "openid", "device_info", "spbill_create_ip", "goods_tag", "product_id",
                     "limit_pay", "notify_url")
    }  # fmt: skip
    try:
        with transaction.atomic():
            order = orders.place(
                merchant=merchant,
                sandbox=sandbox,
                digest=digest,
                total_fee=total_fee,
                fee_type="CNY",
                sign_type=f.get("sign_type", "MD5"),
                time_start=time_start,
                time_expire=time_expire,
                **columns,
            )
    except IntegrityError:  # the same out_trade_no placed by a concurrent call
        existing = _placed(merchant, f["out_trade_no"], sandbox)
        if existing is None:
            raise
        order = _reentry(existing, digest, sandbox)
    return _prepay_reply(order)


def find_order(merchant: Merchant, f: Mapping[str, str], sandbox: bool, code: str) -> Order:
    """The order named by transaction_id (preferred) or out_trade_no, in this mode."""
    found = Order.objects.filter(merchant=merchant, sandbox=sandbox)
    if f.get("transaction_id"):
        found = found.filter(transaction_id=f["transaction_id"][:32])
    elif f.get("out_trade_no"):
        found = found.filter(out_trade_no=f["out_trade_no"][:32])
    else:
        raise TradeError(code, "缺少参数transaction_id或out_trade_no")
    order = found.first()
    if order is None:
        raise TradeError("ORDERNOTEXIST", "订单不存在")
    return order


def order_fields(order: Order) -> dict[str, object]:
    """What orderquery tells of an order; payer and payment fields only once paid."""
    reply: dict[str, object] = {
        "device_info": order.device_info or None,
        "trade_type": order.trade_type,
        "trade_state": order.trade_state,
        "total_fee": order.total_fee,
        "fee_type": order.fee_type,
        "out_trade_no": order.out_trade_no,
        "attach": order.attach or None,
        "trade_state_desc": STATE_DESC[order.trade_state],
    }
    if order.trade_state in orders.PAID_STATES and order.paid_at is not None:
        reply.update(
            openid=order.openid or None,
            is_subscribe="N",
            bank_type=order.bank_type,
            cash_fee=order.total_fee,
            cash_fee_type="CNY",
            transaction_id=order.transaction_id,
            time_end=order.paid_at.astimezone(check.CHINA).strftime("%Y%m%d%H%M%S"),
        )
    return {k: v for k, v in reply.items() if v is not None}


def orderquery(merchant: Merchant, f: Mapping[str, str], sandbox: bool) -> dict[str, object]:
    check.require(f, "appid", "nonce_str")
    check_appid(merchant, f["appid"])
    order = orders.close_if_expired(find_order(merchant, f, sandbox, "INVALID_REQUEST"))
    refunds_settle_due(order=order)
    return order_fields(order)


def closeorder(merchant: Merchant, f: Mapping[str, str], sandbox: bool) -> dict[str, object]:
    check.require(f, "appid", "out_trade_no", "nonce_str")
    check_appid(merchant, f["appid"])
    named = {"out_trade_no": f["out_trade_no"]}
    order = orders.close_if_expired(find_order(merchant, named, sandbox, "LACK_PARAMS"))
    if order.trade_state in orders.PAID_STATES:
        raise TradeError("ORDERPAID", "订单已支付，不能关闭")
    if order.trade_state == TradeState.CLOSED or not orders.order_close(order):
        order.refresh_from_db()
        if order.trade_state in orders.PAID_STATES:
            raise TradeError("ORDERPAID", "订单已支付，不能关闭")
        raise TradeError("ORDERCLOSED", "订单已关闭")
    return {"result_msg": "OK"}
