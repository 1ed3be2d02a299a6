"""Payment and refund notifications to merchants (PAY-1; WeChat Pay v2 reference §4).

`notify_payment(order)` and `notify_refund(refund)` are called by the sandbox in the
transaction that paid the order or settled the refund. Each makes at most one
`PayNotification` (unique constraints) whose body is fixed when it is made, so every
retry sends the same bytes, and emits "pay.notification"; the delivery route
`payments.notifications` POSTs the body to the notify_url on WeChat's retry schedule
(§4.3, scaled by `pay.notify_schedule_percent`) through `core.outbound` (private
targets refused unless the operator allows them). A delivery is acknowledged by an HTTP
2xx answer whose XML says `return_code` SUCCESS; "internal:<name>" URLs go to an
in-process receiver (`receivers`).

Bodies: the payment notification carries the fields of §4.1, MD5-signed with the order's
signing key (the sandbox key for `sandboxnew` orders), which is what wechatpy's
`parse_payment_result` checks; the refund notification carries §4.2's outer fields and
`req_info`, the refund's details encrypted with that key. No element is ever empty.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from miniport.core import clock, deliveries, events, outbound, policy
from miniport.core.errors import PlatformError
from miniport.core.models import OutboxEvent
from miniport.payments.models import (
    MerchantKind,
    NotificationKind,
    Order,
    PayNotification,
    Refund,
)
from miniport.payments.notifications import receivers

log = logging.getLogger(__name__)

ROUTE = "payments.notifications"
EVENT = "pay.notification"
CHINA = ZoneInfo("Asia/Shanghai")
# WeChat's schedule (§4.3): the waits after the 1st, 2nd ... failed attempt, in seconds.
SCHEDULE = (15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600)
ACK = "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
# Why an attempt failed, as the delivery log keeps it (translated where it is shown; the
# HTTP status has its own column).
HTTP_ERROR = gettext_noop("the merchant's server answered with an HTTP error")
NOT_SUCCESS = gettext_noop("the merchant's server did not answer return_code SUCCESS")
NOT_ACKNOWLEDGED = gettext_noop("the platform's receiver did not acknowledge it")
NO_RECEIVER = gettext_noop("no receiver inside the platform takes this notify_url")
NO_NOTIFICATION = gettext_noop("the notification no longer exists")
# What the sandbox says the payer paid with, and where a refund went (§4.1, §4.2).
DEFAULT_BANK_TYPE = "OTHERS"
REFUND_RECV_ACCOUNT = "支付用户零钱"


def _signing():
    from miniport.payments.sandbox import keys, signing

    return keys, signing


def _china_time(moment: datetime | None, pattern: str) -> str:
    return (moment or clock.now()).astimezone(CHINA).strftime(pattern)


def _present(fields: dict[str, object]) -> dict[str, object]:
    """Leave out empty values: a notification never carries an empty element."""
    return {k: v for k, v in fields.items() if v is not None and str(v) != ""}


def payment_body(order: Order) -> str:
    """The §4.1 payment notification of a paid order, MD5-signed (what wechatpy checks)."""
    keys, signing = _signing()
    fields = _present(
        {
            "return_code": "SUCCESS",
            "appid": order.appid,
            "mch_id": order.merchant.mch_id,
            "device_info": order.device_info,
            "nonce_str": signing.nonce(),
            "result_code": "SUCCESS",
            "openid": order.openid,
            "is_subscribe": "N",
            "trade_type": order.trade_type,
            "bank_type": order.bank_type or DEFAULT_BANK_TYPE,
            "total_fee": order.total_fee,
            "fee_type": order.fee_type or "CNY",
            "cash_fee": order.total_fee,
            "transaction_id": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "attach": order.attach,
            "time_end": _china_time(order.paid_at, "%Y%m%d%H%M%S"),
        }
    )
    key = keys.signing_key(order.merchant, sandbox=order.sandbox)
    fields["sign"] = signing.sign(fields, key, "MD5")
    return signing.to_xml(fields)


def _cdata(value: object) -> str:
    text = str(value)
    if text.isdigit():
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _root_xml(fields: dict[str, object]) -> str:
    inner = "".join(f"<{k}>{_cdata(v)}</{k}>" for k, v in fields.items())
    return f"<root>{inner}</root>"


def refund_body(refund: Refund) -> str:
    """The §4.2 refund notification: outer fields (unsigned) and `req_info`, the refund's
    details in a <root> document encrypted with the order's signing key."""
    keys, signing = _signing()
    order = refund.order
    details = _present(
        {
            "transaction_id": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "refund_id": refund.refund_id,
            "out_refund_no": refund.out_refund_no,
            "total_fee": order.total_fee,
            "settlement_total_fee": order.total_fee,
            "refund_fee": refund.refund_fee,
            "settlement_refund_fee": refund.refund_fee,
            "refund_status": refund.status,
            "success_time": _china_time(refund.succeeded_at, "%Y-%m-%d %H:%M:%S"),
            "refund_recv_accout": REFUND_RECV_ACCOUNT,
            "refund_account": refund.refund_account or "REFUND_SOURCE_UNSETTLED_FUNDS",
            "refund_request_source": "API",
        }
    )
    key = keys.signing_key(refund.merchant, sandbox=order.sandbox)
    outer = {
        "return_code": "SUCCESS",
        "appid": order.appid,
        "mch_id": refund.merchant.mch_id,
        "nonce_str": signing.nonce(),
        "req_info": signing.encrypt_req_info(_root_xml(details), key),
    }
    return signing.to_xml(outer)


def _make(kind: str, *, order: Order, refund: Refund | None, url: str, body) -> PayNotification:
    lookup = {"kind": kind, "order": order} if refund is None else {"kind": kind, "refund": refund}
    existing = PayNotification.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = PayNotification.objects.create(
                merchant=order.merchant,
                order=order,
                refund=refund,
                kind=kind,
                notify_url=url,
                body=body(),
                created_at=clock.now(),
            )
            events.emit(EVENT, {"notification": notification.pk, "kind": kind})
    except IntegrityError:  # made by a concurrent call
        return PayNotification.objects.get(**lookup)
    return notification


def notify_payment(order: Order) -> PayNotification | None:
    """The payment notification of a paid order (made once; None without a notify_url)."""
    if not order.notify_url:
        return None
    return _make(
        NotificationKind.PAYMENT,
        order=order,
        refund=None,
        url=order.notify_url,
        body=lambda: payment_body(order),
    )


def notify_refund(refund: Refund) -> PayNotification | None:
    """The notification of a refund in its final state (made once; None without a
    notify_url on the refund)."""
    if not refund.notify_url:
        return None
    return _make(
        NotificationKind.REFUND,
        order=refund.order,
        refund=refund,
        url=refund.notify_url,
        body=lambda: refund_body(refund),
    )


# -- delivery ------------------------------------------------------------------------------


def backoff(failures: int) -> int:
    """Seconds after the `failures`-th failed attempt: WeChat's schedule, scaled."""
    step = SCHEDULE[min(max(failures, 1), len(SCHEDULE)) - 1]
    return max(0, step * policy.value("pay.notify_schedule_percent") // 100)


def recipients(event: OutboxEvent) -> list[str]:
    pk = (event.payload or {}).get("notification")
    return [str(pk)] if pk else []


def acknowledged(status: int, answer: bytes) -> bool:
    """A merchant's answer acknowledges when it is HTTP 2xx and says return_code SUCCESS."""
    if not 200 <= status < 300:
        return False
    _keys, signing = _signing()
    try:
        fields = signing.parse_xml(answer)
    except Exception:  # not a flat <xml>: not an acknowledgement
        return False
    return fields.get("return_code") == "SUCCESS"


def _post(notification: PayNotification) -> int:
    url = notification.notify_url
    if receivers.is_internal(url):
        receive = receivers.receiver_for(url)
        # In-process receivers are the platform's own: a merchant's order never reaches
        # them, whatever its notify_url says (the XML API only takes http(s) anyway).
        if receive is None or notification.merchant.kind != MerchantKind.PLATFORM:
            raise deliveries.DeliveryFailed(NO_RECEIVER, final=True)
        if not receive(notification.body):
            raise deliveries.DeliveryFailed(NOT_ACKNOWLEDGED)
        return 200
    try:
        answer = outbound.post(
            url,
            body=notification.body.encode(),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=policy.value("pay.notify_timeout_seconds"),
        )
    except PlatformError as refused:  # a private target the operator does not allow
        raise deliveries.DeliveryFailed(refused.message(), final=True)
    except outbound.OutboundFailed as failure:
        raise deliveries.DeliveryFailed(failure.reason)
    if not acknowledged(answer.status, answer.body):
        reason = NOT_SUCCESS if 200 <= answer.status < 300 else HTTP_ERROR
        raise deliveries.DeliveryFailed(reason, status_code=answer.status)
    return answer.status


def deliver(job: deliveries.Job) -> deliveries.Sent:
    """The route's handler: one attempt at one notification; on an acknowledgement the
    notification is marked acknowledged (the first time only)."""
    notification = (
        PayNotification.objects.select_related("merchant")
        .filter(pk=int(job.recipient or 0))
        .first()
    )
    if notification is None:
        raise deliveries.DeliveryFailed(NO_NOTIFICATION, final=True)
    status = _post(notification)
    PayNotification.objects.filter(pk=notification.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=clock.now()
    )
    return deliveries.Sent(status_code=status)


def register_route() -> None:
    deliveries.register(
        ROUTE,
        EVENT,
        deliver,
        recipients=recipients,
        attempts_rule="pay.notify_max_attempts",
        backoff=backoff,
    )
