"""Orders of the sandbox (PAY-1; WeChat Pay v2 reference §3.1-§3.3, §5): placing one,
paying it, closing it, and the deadline after which an unpaid order can no longer be paid.

An order is NOTPAY until it is paid (SUCCESS; REFUND once a refund is accepted) or closed
(CLOSED: by closeorder, or once its deadline has passed — `time_expire`, else
`pay.prepay_valid_seconds` after it was placed). The deadline is computed when read; the
close it entails is written down by the `pay.orders_close_expired` sweep and by any
query that finds it passed, with its ledger row.

Refusals of `order_pay` (PayError, nothing changed): ORDER_NOT_PAYABLE (closed),
PREPAY_EXPIRED (deadline passed), PAYER_MISMATCH (the order names an openid that is not
the payer's for the order's appid). Paying a paid order again answers False.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from miniport.core import audit, clock, events, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.identities.selectors import openid_for
from miniport.payments.models import LedgerKind, Merchant, Order, TradeState
from miniport.payments.sandbox import ledger
from miniport.payments.sandbox.errors import PayError

CHINA = ZoneInfo("Asia/Shanghai")
BANK_TYPE = "OTHERS"
PAID_STATES = (TradeState.SUCCESS, TradeState.REFUND)
EVENT_PAID = "pay.order_paid"


def new_prepay_id() -> str:
    """`wx` + China time to the second + 20 hex digits, like WeChat's (36 characters)."""
    return "wx" + clock.now().astimezone(CHINA).strftime("%Y%m%d%H%M%S") + secrets.token_hex(10)


def new_transaction_id() -> str:
    """28 digits: 4200, the China date, 16 random digits."""
    return "4200" + clock.now().astimezone(CHINA).strftime("%Y%m%d") + ids.numeric_code(16)


def new_out_trade_no(merchant: Merchant) -> str:
    """wechatpy's default shape, mch_id + China time + random digits, with as many digits
    as 32 characters leave room for (at least 5), and never one the merchant already
    has: five digits alone met an earlier order of the same second often enough to
    matter for a merchant that places many orders at once (the platform's fee account)."""
    stamp = clock.now().astimezone(CHINA).strftime("%Y%m%d%H%M%S")
    prefix = (merchant.mch_id + stamp)[:27]
    while True:
        number = prefix + ids.numeric_code(32 - len(prefix))
        if not Order.objects.filter(merchant=merchant, out_trade_no=number).exists():
            return number


def deadline(order: Order):
    """When an unpaid order stops being payable."""
    if order.time_expire is not None:
        return order.time_expire
    return order.created_at + timedelta(seconds=policy.value("pay.prepay_valid_seconds"))


def is_expired(order: Order) -> bool:
    return order.trade_state == TradeState.NOTPAY and clock.now() >= deadline(order)


def check_amount(total_fee: object) -> int:
    """An amount in fen: a whole number from 1 to pay.max_total_fee_fen (PayError)."""
    maximum = policy.value("pay.max_total_fee_fen")
    if (
        isinstance(total_fee, bool)
        or not isinstance(total_fee, int)
        or not 0 < total_fee <= maximum
    ):
        raise PlatformError(PayError.AMOUNT_INVALID, field="total_fee", maximum=maximum)
    return total_fee


def place(*, merchant: Merchant, sandbox: bool, digest: str, **fields) -> Order:
    """Insert a new NOTPAY order and its ORDER_CREATED row (caller's checks done, caller's
    transaction). `fields` are Order columns."""
    now = clock.now()
    order = Order.objects.create(
        merchant=merchant,
        sandbox=sandbox,
        request_digest=digest,
        prepay_id=new_prepay_id(),
        created_at=now,
        time_start=fields.pop("time_start", None) or now,
        **fields,
    )
    ledger.record(order, LedgerKind.ORDER_CREATED)
    return order


def order_create(
    *,
    merchant: Merchant,
    appid: str,
    openid: str,
    body: str,
    total_fee: int,
    notify_url: str,
    out_trade_no: str | None = None,
    attach: str = "",
) -> Order:
    """An order placed by the platform itself (a certification fee), paid on the phone
    page `/m/pay/<prepay_id>/`. Refuses AMOUNT_INVALID and FIELD_TOO_LONG."""
    check_amount(total_fee)
    for name, value, limit in (
        ("body", body, 127),
        ("attach", attach, 127),
        ("openid", openid, 128),
    ):
        if len(value) > limit:
            raise PlatformError(PayError.FIELD_TOO_LONG, field=name)
    with transaction.atomic():
        return place(
            merchant=merchant,
            sandbox=False,
            digest=ids.digest(f"internal:{secrets.token_hex(16)}"),
            appid=appid,
            out_trade_no=out_trade_no or new_out_trade_no(merchant),
            trade_type="JSAPI",
            body=body,
            attach=attach,
            total_fee=total_fee,
            openid=openid,
            notify_url=notify_url,
        )


def order_by_prepay(prepay_id: object) -> Order | None:
    """The order of a prepay_id, or None. Only printable ASCII can be one (ours are `wx`
    and digits); anything else, a NUL included, which PostgreSQL refuses in a query, is
    no order without asking the database."""
    if not isinstance(prepay_id, str) or not prepay_id or len(prepay_id) > 64:
        return None
    if not (prepay_id.isascii() and prepay_id.isprintable()):
        return None
    return Order.objects.select_related("merchant").filter(prepay_id=prepay_id).first()


def _close(order: Order, *, only_expired: bool) -> bool:
    """NOTPAY → CLOSED with its ledger row; True for the call that closed it."""
    now = clock.now()
    with transaction.atomic():
        rows = Order.objects.filter(pk=order.pk, trade_state=TradeState.NOTPAY)
        if only_expired and not is_expired(order):
            return False
        if not rows.update(trade_state=TradeState.CLOSED, closed_at=now):
            return False
        order.trade_state, order.closed_at = TradeState.CLOSED, now
        ledger.record(order, LedgerKind.ORDER_CLOSED)
        return True


def close_if_expired(order: Order) -> Order:
    """Write down the close of an unpaid order whose deadline has passed; the order as it
    now stands."""
    if is_expired(order) and not _close(order, only_expired=True):
        order.refresh_from_db()
    return order


def order_close(order: Order) -> bool:
    """closeorder: NOTPAY → CLOSED. False when it was not NOTPAY (the caller says why)."""
    closed = _close(order, only_expired=False)
    if not closed:
        order.refresh_from_db()
    return closed


def orders_close_expired() -> int:
    """The sweep: close the unpaid orders whose deadline has passed."""
    done = 0
    now = clock.now()
    candidates = Order.objects.filter(trade_state=TradeState.NOTPAY, created_at__lte=now)
    for order in candidates.iterator():
        if is_expired(order) and _close(order, only_expired=True):
            done += 1
    return done


def _payer_may_pay(order: Order, payer: Identity) -> bool:
    return not order.openid or openid_for(payer, order.appid) == order.openid


def order_pay(*, actor: Actor, order: Order, payer: Identity) -> bool:
    """Pay an order as `payer` (the phone page's confirmation, `miniport pay confirm`).

    True when this call paid it: NOTPAY → SUCCESS by a conditional UPDATE, one
    ORDER_PAID ledger row (+total_fee), the "pay.order_paid" event, an audit row and the
    payment notification, all in one transaction. False when it was already paid."""
    if not _payer_may_pay(order, payer):
        raise PlatformError(PayError.PAYER_MISMATCH)
    if order.trade_state == TradeState.NOTPAY and is_expired(order):
        close_if_expired(order)
        raise PlatformError(PayError.PREPAY_EXPIRED)
    from miniport.payments.notifications.services import notify_payment

    now = clock.now()
    transaction_id = new_transaction_id()
    with transaction.atomic():
        paid = Order.objects.filter(pk=order.pk, trade_state=TradeState.NOTPAY).update(
            trade_state=TradeState.SUCCESS,
            transaction_id=transaction_id,
            paid_at=now,
            payer=payer,
            bank_type=BANK_TYPE,
        )
        if not paid:
            order.refresh_from_db()
            if order.trade_state in PAID_STATES:
                return False
            raise PlatformError(PayError.ORDER_NOT_PAYABLE)
        order.refresh_from_db()
        ledger.record(order, LedgerKind.ORDER_PAID, order.total_fee)
        events.emit(EVENT_PAID, {"order": order.pk}, appid=order.appid)
        audit.record(
            actor,
            "pay.order_paid",
            target=order,
            appid=order.appid,
            after={"out_trade_no": order.out_trade_no, "total_fee": order.total_fee},
        )
        notify_payment(order)
    return True
