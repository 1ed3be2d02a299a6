"""The UnionID of a user who paid (wechat-api 3.3 "Related"; OPN-2).

`GET /wxa/getpaidunionid?access_token=&openid=` with `transaction_id`, or with `mch_id`
and `out_trade_no`: for a paid order (refunded ones included) of the mini program's own
sandbox merchant, the payer's `unionid` for the open platform account the app is bound to.
No time limit after the payment: the sandbox keeps no "within five minutes" window.

Refusals, in this order (a read: none of them changes anything): 40003 no `openid`;
40097 neither `transaction_id` nor both `mch_id` and `out_trade_no`, naming the argument
missing (`transaction_id` when none is given, else the other of the pair); 89300 no paid
order of this app's merchant so named (another app's order is no order here); 40003 the `openid`
is not the payer's in this app; 89002 the app is bound to no open account. The token's
refusals (41001, 40001, 42001) come first, as everywhere.
"""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core.errors import PlatformError
from miniport.identities.selectors import openid_for, unionid_for
from miniport.links.open_platform import selectors
from miniport.links.open_platform.errors import OpenError
from miniport.web.api import Call, WireModel, get


class PaidUnionidQuery(WireModel):
    openid: str = ""
    transaction_id: str = ""
    mch_id: str = ""
    out_trade_no: str = ""


class PaidUnionidResponse(BaseModel):
    errcode: int
    errmsg: str
    unionid: str


def _missing_order_argument(query: PaidUnionidQuery) -> str:
    """The argument that would name the order and is missing, or "" when one way is
    complete: transaction_id, or both mch_id and out_trade_no."""
    if query.transaction_id.strip():
        return ""
    mch_id, out_trade_no = query.mch_id.strip(), query.out_trade_no.strip()
    if mch_id and out_trade_no:
        return ""
    if mch_id:
        return "out_trade_no"
    if out_trade_no:
        return "mch_id"
    return "transaction_id"


@get(
    "/wxa/getpaidunionid",
    query=PaidUnionidQuery,
    response=PaidUnionidResponse,
    # The open platform's own permission: the app's server reads the unionid the
    # binding gives (administrator and app).
    permission="open_platform.manage",
    tags=("open",),
)
def getpaidunionid(call: Call) -> dict:
    """The unionid of the user who paid an order of this app (40097 no order named,
    89300 no such paid order, 40003 not its payer's openid, 89002 the app is bound to no
    open account)."""
    query = call.query
    openid = query.openid.strip()
    if not openid:
        raise PlatformError(OpenError.INVALID_OPENID, field="openid")
    missing = _missing_order_argument(query)
    if missing:
        raise PlatformError(OpenError.ORDER_ARGUMENT_MISSING, field=missing)
    order = selectors.paid_order(
        call.miniprogram,
        transaction_id=query.transaction_id,
        mch_id=query.mch_id,
        out_trade_no=query.out_trade_no,
    )
    if order is None:
        raise PlatformError(OpenError.INVALID_ORDER)
    # openids are keyed digests: compare the payer's own for this app, never reverse one.
    if order.payer is None or openid_for(order.payer, call.miniprogram.appid) != openid:
        raise PlatformError(OpenError.INVALID_OPENID, field="openid")
    binding = selectors.binding_of(call.miniprogram)
    if binding is None:
        raise PlatformError(OpenError.OPEN_NOT_EXISTS)
    return {"unionid": unionid_for(order.payer, binding.open_account.open_appid)}
