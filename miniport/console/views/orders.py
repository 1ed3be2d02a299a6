"""Features › WeChat Pay › Orders (PAY-1): the mini program's orders, newest first, paged
by key and searchable by out_trade_no, transaction_id and state; one order with its
refunds, its ledger rows and its notifications with their delivery log.

`orders.view` opens both pages (the administrator, operators and data analysts); anyone
else gets 404, and an order of another merchant is a 404 too.
"""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from miniport.console.access import console_view
from miniport.console.forms.payments import OrderSearchForm
from miniport.console.views.common import page
from miniport.payments.merchants import selectors as merchant_selectors
from miniport.payments.merchants.orders import order_detail, order_page, yuan


def _before(raw: str | None) -> int | None:
    """A row id from the query string, or None for anything else."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


@console_view(action="orders.view")
@require_GET
def orders(request):
    """PAY-1: the order list with its search."""
    merchant = merchant_selectors.merchant_of(request.miniprogram)
    form = OrderSearchForm(request.GET or None)
    query, state = "", ""
    if form.is_bound and form.is_valid():
        query, state = form.cleaned_data.get("q", ""), form.cleaned_data.get("state", "")
    found = order_page(
        merchant, query=query, state=state, before=_before(request.GET.get("before"))
    )
    rows = [(order, yuan(order.total_fee), yuan(order.refunded_fee)) for order in found.orders]
    next_query = ""
    if found.next_before is not None:
        params = request.GET.copy()
        params["before"] = str(found.next_before)
        next_query = params.urlencode()
    return page(
        request,
        "console/payments/orders.html",
        merchant=merchant,
        form=form,
        rows=rows,
        searching=bool(query or state),
        next_query=next_query,
        paged=_before(request.GET.get("before")) is not None,
        can_payments=request.console.may("payments.view"),
    )


@console_view(action="orders.view")
@require_GET
def orders_detail(request):
    """PAY-1: one order (`?order=<id>`), its refunds, its ledger rows and its
    notifications; no order, or another merchant's, is a 404."""
    pk = _before(request.GET.get("order"))
    merchant = merchant_selectors.merchant_of(request.miniprogram)
    detail = order_detail(merchant, pk) if pk is not None else None
    if detail is None:
        raise Http404
    order = detail.order
    return page(
        request,
        "console/payments/order_detail.html",
        order=order,
        total=yuan(order.total_fee),
        refunded=yuan(order.refunded_fee),
        refunds=[(refund, yuan(refund.refund_fee)) for refund in detail.refunds],
        ledger=[(row, yuan(row.amount_fen)) for row in detail.ledger],
        notifications=detail.notifications,
    )
