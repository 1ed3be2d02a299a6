"""The XML API's refund endpoints (reference §3.4, §3.5): secapi/pay/refund and
pay/refundquery. Same shape as `api_orders`: business fields, or TradeError.

refund refusals, in order: LACK_PARAMS (out_refund_no, total_fee, refund_fee, or neither
transaction_id nor out_trade_no), APPID_MCHID_NOT_MATCH, PARAM_ERROR (formats, lengths,
notify_url), ORDERNOTEXIST (no such order in this mode, or not paid), then
`refunds.refund_apply`'s (REFUND_FEE_MISMATCH, TRADE_OVERDUE, ERROR). A repeated
out_refund_no with the same amounts answers the same refund_id.

refundquery names what to find by refund_id > out_refund_no > transaction_id >
out_trade_no (the first given wins); REFUNDNOTEXIST when nothing is found (no such
refund, an unknown or unpaid order, an order without refunds); PARAM_ERROR for an offset
past the last refund. Refunds due to settle are settled before the answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from miniport.core import policy
from miniport.payments.models import Merchant, Order, Refund, RefundStatus
from miniport.payments.sandbox import fields as check
from miniport.payments.sandbox import refunds as service
from miniport.payments.sandbox.api_orders import check_appid, find_order
from miniport.payments.sandbox.errors import TradeError

LENGTHS = {"refund_desc": 80, "refund_account": 30, "refund_fee_type": 8, "nonce_str": 32}
DEFAULT_ACCOUNT = "REFUND_SOURCE_UNSETTLED_FUNDS"
RECV_ACCOUNT = "支付用户零钱"


def _china(moment) -> str:
    return moment.astimezone(check.CHINA).strftime("%Y-%m-%d %H:%M:%S")


def refund(merchant: Merchant, f: Mapping[str, str], sandbox: bool) -> dict[str, object]:
    check.require(f, "appid", "nonce_str", "out_refund_no", "total_fee", "refund_fee")
    if not (f.get("transaction_id") or f.get("out_trade_no")):
        raise TradeError("LACK_PARAMS", "缺少参数transaction_id或out_trade_no")
    check_appid(merchant, f["appid"])
    check.unpadded(f, "PARAM_ERROR")
    out_refund_no = check.out_refund_no(f["out_refund_no"])
    total_fee = check.amount(f, "total_fee", "PARAM_ERROR", capped=False)
    refund_fee = check.amount(f, "refund_fee", "PARAM_ERROR", capped=False)
    check.lengths(f, LENGTHS, "PARAM_ERROR")
    if f.get("refund_fee_type", "CNY") != "CNY":
        raise TradeError("PARAM_ERROR", "refund_fee_type参数错误")
    notify_url = check.notify_url(f.get("notify_url"), "PARAM_ERROR")
    order = find_order(merchant, f, sandbox, "LACK_PARAMS")
    made = service.refund_apply(
        merchant=merchant,
        order=order,
        out_refund_no=out_refund_no,
        total_fee=total_fee,
        refund_fee=refund_fee,
        refund_desc=f.get("refund_desc", ""),
        refund_account=f.get("refund_account", ""),
        notify_url=notify_url,
    )
    order.refresh_from_db()
    return {
        "transaction_id": order.transaction_id,
        "out_trade_no": order.out_trade_no,
        "out_refund_no": made.out_refund_no,
        "refund_id": made.refund_id,
        "refund_fee": made.refund_fee,
        "total_fee": order.total_fee,
        "fee_type": order.fee_type,
        "cash_fee": order.total_fee,
        "cash_refund_fee": made.refund_fee,
        "coupon_refund_fee": 0,
        "coupon_refund_count": 0,
    }


def _refunds_named(
    merchant: Merchant, f: Mapping[str, str], sandbox: bool
) -> tuple[Order, list[Refund]]:
    mine = Refund.objects.filter(merchant=merchant, order__sandbox=sandbox).select_related("order")
    if f.get("refund_id"):
        found = list(mine.filter(refund_id=f["refund_id"][:32]))
    elif f.get("out_refund_no"):
        found = list(mine.filter(out_refund_no=f["out_refund_no"][:64]))
    elif f.get("transaction_id") or f.get("out_trade_no"):
        try:
            order = find_order(merchant, f, sandbox, "LACK_PARAMS")
        except TradeError:
            raise TradeError("REFUNDNOTEXIST", "退款订单查询失败") from None
        found = list(mine.filter(order=order).order_by("id"))
    else:
        raise TradeError(
            "LACK_PARAMS", "缺少参数refund_id、out_refund_no、transaction_id或out_trade_no"
        )
    if not found:
        raise TradeError("REFUNDNOTEXIST", "退款订单查询失败")
    return found[0].order, found


def refundquery(merchant: Merchant, f: Mapping[str, str], sandbox: bool) -> dict[str, object]:
    check.require(f, "appid", "nonce_str")
    check_appid(merchant, f["appid"])
    start = check.offset(f)
    order, found = _refunds_named(merchant, f, sandbox)
    if service.refunds_settle_due(order=order):
        for item in found:
            item.refresh_from_db()
    if start >= len(found):
        raise TradeError("PARAM_ERROR", "offset超出退款笔数")
    page = found[start : start + policy.value("pay.refundquery_page_size")]
    reply: dict[str, object] = {
        "total_refund_count": len(found),
        "transaction_id": order.transaction_id,
        "out_trade_no": order.out_trade_no,
        "total_fee": order.total_fee,
        "fee_type": order.fee_type,
        "cash_fee": order.total_fee,
        "refund_count": len(page),
    }
    for n, item in enumerate(page):
        reply.update(
            {
                f"out_refund_no_{n}": item.out_refund_no,
                f"refund_id_{n}": item.refund_id,
                f"refund_channel_{n}": "ORIGINAL",
                f"refund_fee_{n}": item.refund_fee,
                f"settlement_refund_fee_{n}": item.refund_fee,
                f"coupon_refund_fee_{n}": 0,
                f"refund_status_{n}": item.status,
                f"refund_account_{n}": item.refund_account or DEFAULT_ACCOUNT,
                f"refund_recv_accout_{n}": RECV_ACCOUNT,
            }
        )
        if item.status == RefundStatus.SUCCESS and item.succeeded_at:
            reply[f"refund_success_time_{n}"] = _china(item.succeeded_at)
    return reply
