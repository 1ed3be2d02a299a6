"""The platform's own receiver of payment notifications (CER-2): the certification fee
orders are the platform merchant's, created with notify_url "internal:certification-fee",
so the sandbox's notification of their payment comes here, in-process, like a merchant's
server would get it over HTTP.

Every receipt is logged (`NotificationReceipt`), whatever it changed:
- malformed: not a flat <xml>, or not a successful payment result (no out_trade_no,
  return_code or result_code other than SUCCESS);
- unknown_order: not the platform merchant's, no such order, an order not paid, another
  transaction, or no certification application pays with it;
- bad_signature: the MD5 signature does not verify with the platform merchant's key;
- amount_mismatch: total_fee differs from the order's;
- applied: the first valid one, which moved the application out of fee_unpaid
  (`certification_fee_paid`, channel "sandbox", reference the transaction_id);
- duplicate: a valid one after that (WeChat may notify several times, from several
  servers at once): acknowledged, nothing changes.

The answer is True (acknowledge, as a merchant's return_code SUCCESS) for applied and
duplicate receipts, False (have it retried) for the others.
"""

from __future__ import annotations

import logging

from django.db import transaction

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.payments.models import (
    CertificationApplication,
    NotificationReceipt,
    Order,
    ReceiptOutcome,
    TradeState,
)

log = logging.getLogger(__name__)

NAME = "certification-fee"
NOTIFY_URL = "internal:" + NAME
ACTOR_LABEL = "payment notification"


class _Refused(Exception):
    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


def _log(outcome: str, fields: dict[str, str], detail: str = "") -> None:
    total = fields.get("total_fee", "")
    NotificationReceipt.objects.create(
        received_at=clock.now(),
        outcome=outcome,
        out_trade_no=fields.get("out_trade_no", "")[:32],
        transaction_id=fields.get("transaction_id", "")[:32],
        total_fee=int(total) if total.isdigit() and len(total) < 16 else None,
        detail=detail[:300],
    )


def _parse(body: str) -> dict[str, str]:
    from miniport.payments.sandbox import signing

    try:
        fields = signing.parse_xml(body.encode() if isinstance(body, str) else body)
    except Exception as error:  # WireError, or anything a broken body raises
        raise _Refused(ReceiptOutcome.MALFORMED, f"not a flat <xml> document: {error}")
    if fields.get("return_code") != "SUCCESS" or fields.get("result_code") != "SUCCESS":
        raise _Refused(ReceiptOutcome.MALFORMED, "not a successful payment result")
    if not fields.get("out_trade_no"):
        raise _Refused(ReceiptOutcome.MALFORMED, "no out_trade_no")
    return fields


def _order(fields: dict[str, str]) -> Order:
    from miniport.payments.merchants.platform import platform_merchant

    merchant = platform_merchant()
    if fields.get("mch_id") != merchant.mch_id:
        raise _Refused(ReceiptOutcome.UNKNOWN_ORDER, "mch_id is not the platform merchant's")
    order = (
        Order.objects.select_related("merchant")
        .filter(merchant=merchant, out_trade_no=fields["out_trade_no"])
        .first()
    )
    if order is None:
        raise _Refused(ReceiptOutcome.UNKNOWN_ORDER, "no such order")
    return order


def _verify(fields: dict[str, str], order: Order) -> None:
    from miniport.payments.sandbox import keys, signing

    key = keys.signing_key(order.merchant, sandbox=order.sandbox)
    if not fields.get("sign") or not signing.verify(fields, key):
        raise _Refused(ReceiptOutcome.BAD_SIGNATURE, "the signature does not verify")
    if fields.get("total_fee") != str(order.total_fee):
        raise _Refused(
            ReceiptOutcome.AMOUNT_MISMATCH,
            f"total_fee {fields.get('total_fee', '')!r}, the order's is {order.total_fee}",
        )
    if order.trade_state not in (TradeState.SUCCESS, TradeState.REFUND):
        raise _Refused(ReceiptOutcome.UNKNOWN_ORDER, f"the order is {order.trade_state}")
    if fields.get("transaction_id") != order.transaction_id:
        raise _Refused(ReceiptOutcome.UNKNOWN_ORDER, "another transaction_id than the order's")


def receive(body: str) -> bool:
    """Check and apply one notification; True to acknowledge it (see the module's doc)."""
    fields: dict[str, str] = {}
    try:
        fields = _parse(body)
        order = _order(fields)
        _verify(fields, order)
        application = CertificationApplication.objects.filter(fee_order=order).first()
        if application is None:
            raise _Refused(ReceiptOutcome.UNKNOWN_ORDER, "no certification application")
    except _Refused as refused:
        _log(refused.outcome, fields, refused.detail)
        log.warning("certification fee notification refused: %s", refused.detail)
        return False
    return _apply(fields, application)


def _apply(fields: dict[str, str], application: CertificationApplication) -> bool:
    from miniport.payments.certification.services import certification_fee_paid

    reference = fields["transaction_id"]
    try:
        with transaction.atomic():
            changed = certification_fee_paid(
                actor=Actor.system(ACTOR_LABEL),
                application=application,
                channel="sandbox",
                reference=reference,
            )
            outcome = ReceiptOutcome.APPLIED if changed else ReceiptOutcome.DUPLICATE
            _log(outcome, fields, f"certification application {application.pk}")
    except PlatformError as refusal:
        # The application cannot take the fee (withdrawn, decided): retrying cannot
        # change that, so the notification is acknowledged and the refusal kept.
        _log(ReceiptOutcome.DUPLICATE, fields, f"not applied: {refusal.message('en')}")
    return True
