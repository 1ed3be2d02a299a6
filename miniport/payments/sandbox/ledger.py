"""The sandbox's books: one ledger row per state change of an order or a refund, a
merchant's balance as the sum of its rows, and the daily bill in WeChat's download-bill
format (`pay/downloadbill`).

Rows: ORDER_CREATED 0, ORDER_PAID +total_fee, ORDER_CLOSED 0, REFUND_ACCEPTED 0,
REFUND_SUCCEEDED −refund_fee. The unique constraints keep one row per change, so a
repeated confirmation adds none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Sum

from miniport.core import clock
from miniport.payments.models import LedgerEntry, Merchant, Order, Refund

CHINA = ZoneInfo("Asia/Shanghai")
# REVOKED (revoked micropay orders) never has rows here: JSAPI orders are not revoked.
BILL_TYPES = ("ALL", "SUCCESS", "REFUND", "REVOKED")
BILL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注"
)
SUMMARY_HEADER = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)
# The sandbox charges no fee.
FEE_RATE = "0.00%"


def record(
    order: Order, kind: str, amount_fen: int = 0, *, refund: Refund | None = None
) -> LedgerEntry:
    """Write the row of one state change, in the caller's transaction."""
    return LedgerEntry.objects.create(
        merchant_id=order.merchant_id,
        order=order,
        refund=refund,
        kind=kind,
        amount_fen=amount_fen,
        at=clock.now(),
    )


def merchant_balance(merchant: Merchant, *, sandbox: bool = False) -> int:
    """What the merchant holds, in fen: paid orders less settled refunds, of its real-key
    orders (or of its `sandboxnew` ones: the two modes never share books)."""
    total = LedgerEntry.objects.filter(merchant=merchant, order__sandbox=sandbox).aggregate(
        total=Sum("amount_fen")
    )
    return int(total["total"] or 0)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _china(moment: datetime | None) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _row(values: list[object]) -> str:
    # WeChat prefixes every value with a backquote so spreadsheets keep it as text.
    return ",".join("`" + str(v).replace(",", "，").replace("\n", " ") for v in values)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=CHINA)
    return start, start + timedelta(days=1)


def bill_csv(
    merchant: Merchant, day: date, bill_type: str = "ALL", *, sandbox: bool = False
) -> str | None:
    """The merchant's bill for one China-time day: a row per order paid that day
    (SUCCESS) and per refund accepted that day (REFUND), then the summary. None when
    the day has no row (the API answers "No Bill Exist")."""
    start, end = _day_bounds(day)
    lines: list[str] = []
    paid_total = refund_total = count = 0
    if bill_type in ("ALL", "SUCCESS"):
        orders = Order.objects.filter(
            merchant=merchant, sandbox=sandbox, paid_at__gte=start, paid_at__lt=end
        ).order_by("paid_at", "id")
        for order in orders:
            count += 1
            paid_total += order.total_fee
            fee = _yuan(order.total_fee)
            lines.append(
                _row(
                    [_china(order.paid_at), order.appid, merchant.mch_id, 0, order.device_info,
                     order.transaction_id, order.out_trade_no, order.openid, order.trade_type,
                     "SUCCESS", order.bank_type, order.fee_type, fee, "0.00", 0, 0, "0.00",
                     "0.00", "", "", order.body, order.attach, "0.00", FEE_RATE, fee, "0.00",
                     ""]
                )
            )  # fmt: skip
    if bill_type in ("ALL", "REFUND"):
        refunds = (
            Refund.objects.filter(
                merchant=merchant, order__sandbox=sandbox, created_at__gte=start, created_at__lt=end
            )
            .select_related("order")
            .order_by("created_at", "id")
        )
        for refund in refunds:
            order = refund.order
            count += 1
            refund_total += refund.refund_fee
            amount = _yuan(refund.refund_fee)
            lines.append(
                _row(
                    [_china(refund.created_at), order.appid, merchant.mch_id, 0,
                     order.device_info, order.transaction_id, order.out_trade_no, order.openid,
                     order.trade_type, "REFUND", order.bank_type, order.fee_type, "0.00",
                     "0.00", refund.refund_id, refund.out_refund_no, amount, "0.00",
                     "ORIGINAL", refund.status, order.body, order.attach, "0.00", FEE_RATE,
                     "0.00", amount, ""]
                )
            )  # fmt: skip
    if not lines:
        return None
    summary = _row(
        [count, _yuan(paid_total), _yuan(refund_total), "0.00", "0.00", _yuan(paid_total),
         _yuan(refund_total)]
    )  # fmt: skip
    return "\r\n".join([BILL_HEADER, *lines, SUMMARY_HEADER, summary]) + "\r\n"
