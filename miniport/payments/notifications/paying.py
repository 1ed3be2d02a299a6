"""Paying an order as its payer (PAY-1; WeChat Pay v2 reference §5): what the host app's
`wx.requestPayment` needs, and the confirmation the phone page and `miniport pay confirm`
make. The runtime endpoint, the phone page and the CLI all go through here.

Refusals (PayError, nothing changed):
- ORDER_NOT_FOUND: no order has this prepay_id (or it is another mini program's);
- PAYER_MISMATCH: the order names an openid that is not the identity's for its appid;
- ORDER_ALREADY_PAID: paid (or refunded) already (`payable_order` only: confirming a paid
  order again answers "already paid", not a refusal);
- ORDER_NOT_PAYABLE: closed;
- PREPAY_EXPIRED: its deadline has passed (the close is written down).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.utils.translation import gettext

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.identities.selectors import openid_for
from miniport.payments.models import MerchantKind, Order, TradeState

PAID_STATES = (TradeState.SUCCESS, TradeState.REFUND)
# What a prepay_id can be (WeChat's: "wx" and digits/hex); anything else is no order and
# never reaches the database (PostgreSQL refuses NUL characters, for one).
_PREPAY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _sandbox():
    from miniport.payments.sandbox import errors, keys, orders, signing

    return errors, keys, orders, signing


def order_for_payer(*, prepay_id: object, identity: Identity, appid: str | None = None) -> Order:
    """The order of `prepay_id` if `identity` is its payer (ORDER_NOT_FOUND,
    PAYER_MISMATCH), in whatever state it is (an expired one written down as closed)."""
    errors, _keys, orders, _signing = _sandbox()
    wellformed = isinstance(prepay_id, str) and _PREPAY_ID.fullmatch(prepay_id) is not None
    order = orders.order_by_prepay(prepay_id) if wellformed else None
    if order is None or (appid is not None and order.appid != appid):
        raise PlatformError(errors.PayError.ORDER_NOT_FOUND, field="prepay_id")
    if order.openid and openid_for(identity, order.appid) != order.openid:
        raise PlatformError(errors.PayError.PAYER_MISMATCH, field="prepay_id")
    return orders.close_if_expired(order)


def check_payable(order: Order) -> None:
    """ORDER_ALREADY_PAID, PREPAY_EXPIRED or ORDER_NOT_PAYABLE unless the order is NOTPAY."""
    errors, _keys, orders, _signing = _sandbox()
    if order.trade_state in PAID_STATES:
        raise PlatformError(errors.PayError.ORDER_ALREADY_PAID)
    if order.trade_state == TradeState.CLOSED:
        expired = order.closed_at is not None and order.closed_at >= orders.deadline(order)
        code = errors.PayError.PREPAY_EXPIRED if expired else errors.PayError.ORDER_NOT_PAYABLE
        raise PlatformError(code)


def payable_order(*, prepay_id: object, identity: Identity, appid: str | None = None) -> Order:
    """The order `identity` may pay now (every refusal of the module's doc)."""
    order = order_for_payer(prepay_id=prepay_id, identity=identity, appid=appid)
    check_payable(order)
    return order


def request_payment_params(
    order: Order, *, timestamp: int | None = None, nonce_str: str | None = None
) -> dict[str, str]:
    """`wx.requestPayment`'s arguments (§5): timeStamp, nonceStr, package, signType and
    paySign, the signature over those and appId with the order's signing key (the sandbox
    key for sandboxnew orders) by the order's sign type — what wechatpy's
    `jsapi.get_jsapi_params` computes for an MD5 order."""
    _errors, keys, _orders, signing = _sandbox()
    params = {
        "appId": order.appid,
        "timeStamp": str(int(time.time()) if timestamp is None else timestamp),
        "nonceStr": nonce_str or signing.nonce(),
        "package": f"prepay_id={order.prepay_id}",
        "signType": order.sign_type,
    }
    key = keys.signing_key(order.merchant, sandbox=order.sandbox)
    params["paySign"] = signing.sign(params, key, order.sign_type)
    del params["appId"]  # signed, but wx.requestPayment takes no appId
    return params


@dataclass(frozen=True)
class Confirmed:
    order: Order
    paid_now: bool  # False: it had been paid already


def pay_confirm(*, actor: Actor, prepay_id: object, identity: Identity) -> Confirmed:
    """The payer confirms: the sandbox pays the order (`order_pay`, which makes the
    payment notification). Confirming a paid order again answers paid_now False."""
    _errors, _keys, orders, _signing = _sandbox()
    order = order_for_payer(prepay_id=prepay_id, identity=identity)
    if order.trade_state not in PAID_STATES:
        check_payable(order)
    paid_now = orders.order_pay(actor=actor, order=order, payer=identity)
    order.refresh_from_db()
    return Confirmed(order=order, paid_now=paid_now)


def merchant_name(order: Order) -> str:
    """Who is paid, in the page's language (the platform's own merchant by its name)."""
    from miniport.payments.merchants.platform import PLATFORM_MERCHANT_NAME

    if order.merchant.kind == MerchantKind.PLATFORM:
        return gettext(PLATFORM_MERCHANT_NAME)
    return order.merchant.name


def yuan(fen: int) -> str:
    """An amount in fen as yuan with two decimals: 30000 → "300.00"."""
    return f"{fen // 100}.{fen % 100:02d}"
