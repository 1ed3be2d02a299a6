"""wx.requestPayment of the host app (PAY-1; WeChat Pay v2 reference §5).

`POST /runtime/v1/payments/params` with `{"appid", "prepay_id"}` (host credential and
identity session, like the other runtime calls) answers what the host passes to its
payment sheet: `timeStamp`, `nonceStr`, `package` ("prepay_id=..."), `signType` and
`paySign` (the signature over those and appId with the merchant's key, as wechatpy's
`jsapi.get_jsapi_params` makes it), plus `pay_url`, the phone page where the identity
confirms the payment (`/m/pay/<prepay_id>/`), and what it is about (`body`, `total_fee`).

Refusals (HTTP 200, `errcode` and the code's name in `error`):
- no or bad host credential, no or bad identity session: 40097 `host_app_invalid`,
  `runtime_session_missing`, `runtime_session_invalid`;
- appid or prepay_id missing: 40097 `field_required`;
- no order with this prepay_id for this appid: 40097 `order_not_found`;
- the order is another user's (its openid is not the identity's for the appid): 40097
  `payer_mismatch`;
- paid already: 40097 `order_already_paid`; closed: 40097 `order_not_payable`; its time
  to pay has run out: 40097 `prepay_expired`.
"""

from __future__ import annotations

from django.urls import reverse
from pydantic import BaseModel

from miniport.core.errors import CoreError, PlatformError
from miniport.payments.notifications import paying
from miniport.web.api import Call, WireModel, post


class ParamsBody(WireModel):
    appid: str = ""
    prepay_id: str = ""


class ParamsResponse(BaseModel):
    errcode: int
    errmsg: str
    timeStamp: str  # noqa: N815 - wx.requestPayment's names
    nonceStr: str  # noqa: N815
    package: str
    signType: str  # noqa: N815
    paySign: str  # noqa: N815
    pay_url: str
    body: str
    total_fee: int


@post(
    "/runtime/v1/payments/params",
    auth="host_session",
    body=ParamsBody,
    response=ParamsResponse,
    tags=("runtime",),
)
def payment_params(call: Call) -> dict:
    """wx.requestPayment's parameters for an order the signed-in identity pays, and the
    phone page that confirms it (refusals listed in miniport/runtime/payments_api.py)."""
    body: ParamsBody = call.body
    appid, prepay_id = body.appid.strip(), body.prepay_id.strip()
    for name, value in (("appid", appid), ("prepay_id", prepay_id)):
        if not value:
            raise PlatformError(CoreError.FIELD_REQUIRED, field=name)
    order = paying.payable_order(prepay_id=prepay_id, identity=call.identity, appid=appid)
    params = paying.request_payment_params(order)
    page = reverse("mobile:pay", args=[order.prepay_id])
    return {
        **params,
        "pay_url": call.request.build_absolute_uri(page),
        "body": order.body,
        "total_fee": order.total_fee,
    }
