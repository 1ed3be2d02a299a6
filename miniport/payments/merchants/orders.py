"""Reading a merchant's orders for the console (PAY-1): the list, newest first, paged by
key (the id of the last row shown) and searchable by out_trade_no, transaction_id and
state; one order with its refunds, its ledger rows and its notifications."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from miniport.core import policy
from miniport.payments.models import LedgerEntry, Merchant, Order, Refund, TradeState


def yuan(fen: int | None) -> str:
    """An amount in fen as yuan with two decimals ("12.30"); negative ones keep the sign."""
    fen = int(fen or 0)
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    # The id to page on from (`before`), None on the last page.
    next_before: int | None


def order_page(
    merchant: Merchant | None,
    *,
    query: str = "",
    state: str = "",
    before: int | None = None,
    size: int | None = None,
) -> OrderPage:
    """A page of the merchant's orders, newest first. `query` matches the merchant's order
    number or the transaction number exactly, or either by its beginning; `state` is one
    of TradeState; `before` the id the previous page ended with."""
    if merchant is None:
        return OrderPage([], None)
    size = size or policy.value("merchant.orders_page_size")
    rows = Order.objects.filter(merchant=merchant)
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            Q(out_trade_no=query)
            | Q(transaction_id=query)
            | Q(out_trade_no__startswith=query)
            | Q(transaction_id__startswith=query)
        )
    if state in TradeState.values:
        rows = rows.filter(trade_state=state)
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows.order_by("-id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return OrderPage(found, found[-1].pk if more and found else None)


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    refunds: list[Refund] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    # notifications.selectors.NotificationLog: each notification with its delivery log.
    notifications: list = field(default_factory=list)


def order_detail(merchant: Merchant | None, pk: int) -> OrderDetail | None:
    """One order of the merchant with what happened to it; None for anyone else's."""
    if merchant is None:
        return None
    order = Order.objects.filter(merchant=merchant, pk=pk).select_related("payer").first()
    if order is None:
        return None
    from miniport.payments.notifications.selectors import notifications_of_order

    return OrderDetail(
        order=order,
        refunds=list(Refund.objects.filter(order=order).order_by("id")),
        ledger=list(LedgerEntry.objects.filter(order=order).order_by("id")),
        notifications=notifications_of_order(order),
    )
