"""The certification fee (CER-2): 300 CNY paid as a sandbox order to the platform's
merchant (the administrator pays on the phone page; the platform's receiver calls
`certification_fee_paid` when the notification arrives), or a bank remittance an operator
records. Refusals are listed in `services`; these names are re-exported there."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.selectors import openid_for_identity_pk
from miniport.payments.certification import selectors
from miniport.payments.certification.access import require_administrator
from miniport.payments.certification.errors import CertificationError
from miniport.payments.models import (
    CertificationApplication,
    CertificationState,
    FeeChannel,
    Order,
    TradeState,
)
from miniport.review import services as review_services

FEE_NOTIFY_URL = "internal:certification-fee"
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:-]{0,63}\Z")


def payable(order: Order | None) -> bool:
    """A fee order the administrator can still pay, or one already paid whose
    notification is on its way (never replaced: it would be paid twice)."""
    if order is None:
        return False
    if order.trade_state == TradeState.SUCCESS:
        return True
    from miniport.payments.sandbox.orders import is_expired

    return order.trade_state == TradeState.NOTPAY and not is_expired(order)


def certification_fee_order(*, actor: Actor, application: CertificationApplication) -> Order:
    """The sandbox order of the application's fee, paid to the platform's merchant by the
    administrator on the phone page: the existing one while it can be paid, else a new
    one."""
    from miniport.payments.merchants.platform import platform_merchant
    from miniport.payments.sandbox.orders import order_create

    miniprogram = application.miniprogram
    require_administrator(actor, miniprogram)
    with transaction.atomic():
        current = CertificationApplication.objects.select_for_update().get(pk=application.pk)
        if current.state != CertificationState.FEE_UNPAID:
            raise PlatformError(CertificationError.FEE_NOT_DUE)
        existing = Order.objects.filter(certification_application=current).first()
        if existing is not None and payable(existing):
            return existing
        order = order_create(
            merchant=platform_merchant(),
            appid=miniprogram.appid,
            openid=openid_for_identity_pk(miniprogram.admin_identity_id, miniprogram.appid),
            body=gettext("Mini program certification fee")[:128],
            total_fee=current.fee_fen,
            notify_url=FEE_NOTIFY_URL,
        )
        CertificationApplication.objects.filter(pk=current.pk).update(fee_order=order)
        audit.record(
            actor,
            "certification.fee_order",
            target=current,
            appid=miniprogram.appid,
            after={"out_trade_no": order.out_trade_no, "total_fee": order.total_fee},
        )
    application.fee_order = order
    return order


def certification_fee_paid(
    *, actor: Actor, application: CertificationApplication, channel: str, reference: str
) -> bool:
    """The fee arrived: the application goes under review. Idempotent and safe under
    concurrency (a conditional UPDATE on FEE_UNPAID): True only for the call that moved
    it; a repeat, or a fee for an application no longer waiting for one, changes
    nothing and answers False."""
    if channel not in FeeChannel.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="channel", reason=str(channel)[:20])
    reference = str(reference or "")[:64]
    now = clock.now()
    with transaction.atomic():
        moved = CertificationApplication.objects.filter(
            pk=application.pk, state=CertificationState.FEE_UNPAID
        ).update(
            state=CertificationState.UNDER_REVIEW,
            fee_channel=channel,
            fee_reference=reference,
            fee_paid_at=now,
        )
        if not moved:
            return False
        current = CertificationApplication.objects.select_related("miniprogram").get(
            pk=application.pk
        )
        appid = current.miniprogram.appid
        review_services.review_open(
            actor=actor,
            kind=selectors.KIND,
            target_id=current.pk,
            appid=appid,
            material={"application": current.pk, "kind": current.kind},
            submitted_by=current.submitted_by,
        )
        audit.record(
            actor,
            "certification.fee_paid",
            target=current,
            appid=appid,
            before={"state": CertificationState.FEE_UNPAID},
            after={
                "state": current.state,
                "fee_channel": channel,
                "fee_reference": reference,
                "fee_fen": current.fee_fen,
            },
        )
        events.emit(
            "certification.fee_paid",
            {"application": current.pk, "channel": channel},
            appid=appid,
        )
    for field in ("state", "fee_channel", "fee_reference", "fee_paid_at"):
        setattr(application, field, getattr(current, field))
    return True


def _clean_reference(reference) -> str:
    text = str(reference or "").strip()
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reference")
    if not _REFERENCE.match(text):
        raise PlatformError(
            CertificationError.REFERENCE_INVALID,
            field="reference",
            reason=gettext("letters, digits and - _ . / : only, at most 64"),
        )
    return text


def certification_fee_record_remittance(
    *, actor: Actor, application: CertificationApplication, reference: str
) -> CertificationApplication:
    """Staff: the fee arrived as a bank remittance with this reference (CER-2). The fee
    order is closed first so it cannot be paid as well; one already paid on the phone
    (its notification on the way) refuses the remittance: the fee is not taken twice."""
    from miniport.payments.sandbox.orders import order_close

    if actor.kind != "staff":
        raise PlatformError(CoreError.PERMISSION_DENIED)
    text = _clean_reference(reference)
    with transaction.atomic():
        order = Order.objects.filter(certification_application__pk=application.pk).first()
        if order is not None and order.trade_state == TradeState.NOTPAY:
            order_close(order)  # reads the order again when a payment won
        if order is not None and order.trade_state != TradeState.CLOSED:
            raise PlatformError(CertificationError.FEE_NOT_DUE)
        if not certification_fee_paid(
            actor=actor, application=application, channel=FeeChannel.REMITTANCE, reference=text
        ):
            raise PlatformError(CertificationError.FEE_NOT_DUE)
        audit.record(
            actor,
            "certification.fee_remittance",
            target=application,
            appid=application.miniprogram.appid,
            after={"fee_reference": text, "fee_fen": application.fee_fen},
        )
    return application
