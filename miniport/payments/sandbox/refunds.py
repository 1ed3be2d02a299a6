"""Refunds of the sandbox (PAY-1; WeChat Pay v2 reference §3.4, §3.5).

A refund is accepted PROCESSING and settles SUCCESS `pay.refund_settle_seconds` later:
`refunds_settle_due` writes that down (a core sweep, and run before a refund or order
query answers), with a REFUND_SUCCEEDED ledger row (−refund_fee), the
"pay.refund_settled" event and the refund notification when the request named a
notify_url.

Money rule: the refunds of an order never add up to more than it was paid. The order's
`refunded_fee` is raised by a conditional UPDATE (`refunded_fee + fee <= total_fee`),
which also takes the order's row lock, so the count of refunds read after it is exact;
the database's check constraint is the last line.

Refusals (TradeError, nothing changed), in order: REFUND_FEE_MISMATCH (an out_refund_no
reused with other amounts or for another order, or total_fee not the order's),
ORDERNOTEXIST (not paid), TRADE_OVERDUE (paid more than pay.refund_window_days ago),
INVALID_REQUEST (refund_fee not a positive whole number), ERROR (more than what is left,
or more than pay.refunds_per_order refunds).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from miniport.core import clock, events, ids, policy
from miniport.payments.models import (
    LedgerKind,
    Merchant,
    Order,
    Refund,
    RefundStatus,
    TradeState,
)
from miniport.payments.sandbox import ledger
from miniport.payments.sandbox.errors import TradeError
from miniport.payments.sandbox.orders import PAID_STATES

EVENT_SETTLED = "pay.refund_settled"
MISMATCH = "订单金额或退款金额与之前请求不一致，请核实后再试"


def new_refund_id() -> str:
    """29 digits starting with 50, like WeChat's."""
    return "50" + ids.numeric_code(27)


def _same_request(refund: Refund, order: Order, total_fee: int, refund_fee: int) -> bool:
    return (
        refund.order_id == order.pk
        and refund.total_fee == total_fee
        and refund.refund_fee == refund_fee
    )


def _existing(merchant: Merchant, out_refund_no: str) -> Refund | None:
    return Refund.objects.filter(merchant=merchant, out_refund_no=out_refund_no).first()


def _replay(refund: Refund, order: Order, total_fee: int, refund_fee: int) -> Refund:
    if not _same_request(refund, order, total_fee, refund_fee):
        raise TradeError("REFUND_FEE_MISMATCH", MISMATCH)
    return refund


def refund_apply(
    *,
    merchant: Merchant,
    order: Order,
    out_refund_no: str,
    total_fee: int,
    refund_fee: int,
    refund_desc: str = "",
    refund_account: str = "",
    notify_url: str = "",
    refund_fee_type: str = "CNY",
) -> Refund:
    """Accept a refund of a paid order, or answer the one already made with that
    out_refund_no. Raises TradeError (see the module)."""
    existing = _existing(merchant, out_refund_no)
    if existing is not None:
        return _replay(existing, order, total_fee, refund_fee)
    if order.trade_state not in PAID_STATES:
        raise TradeError("ORDERNOTEXIST", "订单不存在或未支付")
    if total_fee != order.total_fee:
        raise TradeError("REFUND_FEE_MISMATCH", MISMATCH)
    window = timedelta(days=policy.value("pay.refund_window_days"))
    if order.paid_at is None or clock.now() - order.paid_at > window:
        raise TradeError("TRADE_OVERDUE", "订单已经超过退款期限")
    if refund_fee <= 0:
        raise TradeError("INVALID_REQUEST", "退款金额必须大于0")
    try:
        with transaction.atomic():
            return _accept(
                merchant=merchant,
                order=order,
                out_refund_no=out_refund_no,
                total_fee=total_fee,
                refund_fee=refund_fee,
                refund_desc=refund_desc,
                refund_account=refund_account,
                notify_url=notify_url,
                refund_fee_type=refund_fee_type,
            )
    except (IntegrityError, TradeError):
        # The same out_refund_no accepted by a concurrent call (a merchant's retry after a
        # timeout): answer that one. Its money, committed first, is also why this call
        # found too little left or too many refunds, so those refusals give way to it.
        existing = _existing(merchant, out_refund_no)
        if existing is None:
            raise
        return _replay(existing, order, total_fee, refund_fee)


def _accept(*, merchant: Merchant, order: Order, refund_fee: int, **fields) -> Refund:
    raised = Order.objects.filter(
        pk=order.pk,
        trade_state__in=PAID_STATES,
        refunded_fee__lte=F("total_fee") - refund_fee,
    ).update(refunded_fee=F("refunded_fee") + refund_fee, trade_state=TradeState.REFUND)
    if not raised:
        order.refresh_from_db()
        left = order.total_fee - order.refunded_fee
        raise TradeError("ERROR", f"退款金额超过订单可退金额（剩余 {left} 分）")
    # The row lock is ours: every refund committed before us is counted.
    if Refund.objects.filter(order=order).count() >= policy.value("pay.refunds_per_order"):
        raise TradeError("ERROR", "订单退款次数超过限制")
    now = clock.now()
    refund = Refund.objects.create(
        order=order,
        merchant=merchant,
        refund_id=new_refund_id(),
        refund_fee=refund_fee,
        created_at=now,
        settle_at=now + timedelta(seconds=policy.value("pay.refund_settle_seconds")),
        **fields,
    )
    order.refresh_from_db()
    ledger.record(order, LedgerKind.REFUND_ACCEPTED, refund=refund)
    return refund


def _settle(refund: Refund) -> bool:
    from miniport.payments.notifications.services import notify_refund

    now = clock.now()
    with transaction.atomic():
        settled = Refund.objects.filter(
            pk=refund.pk, status=RefundStatus.PROCESSING, settle_at__lte=now
        ).update(status=RefundStatus.SUCCESS, succeeded_at=now)
        if not settled:
            return False
        refund.refresh_from_db()
        ledger.record(refund.order, LedgerKind.REFUND_SUCCEEDED, -refund.refund_fee, refund=refund)
        events.emit(EVENT_SETTLED, {"refund": refund.pk}, appid=refund.order.appid)
        if refund.notify_url:
            notify_refund(refund)
    return True


def refunds_settle_due(*, order: Order | None = None) -> int:
    """PROCESSING → SUCCESS for the refunds whose settlement time has come (of one order,
    or all); how many this call settled. Idempotent, safe to run concurrently."""
    due = Refund.objects.filter(status=RefundStatus.PROCESSING, settle_at__lte=clock.now())
    if order is not None:
        due = due.filter(order=order)
    return sum(1 for refund in due.select_related("order").iterator() if _settle(refund))
