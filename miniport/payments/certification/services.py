"""Certification applications (CER-1, CER-2): applying with the documents the subject
type needs, the 300 CNY fee (a sandbox order, or a bank remittance an operator records),
adding material the reviewer asked for. The decisions are the review kind's
(`review_kind.py`).

Refusals, each leaving everything as it was (`CertificationError` unless noted):
- a personal subject: PERSONAL_NOT_ALLOWED (CER-1);
- anyone but the mini program's administrator (or the platform itself): ADMINISTRATOR_ONLY;
- a registration that is neither active nor waiting for certification (waiting for a
  remittance, failed): REGISTRATION_NOT_READY;
- an application already in progress: APPLICATION_OPEN (the database constraint decides
  between two at once);
- a first application while certified: ALREADY_CERTIFIED; a renewal before the window
  (`certification.renewal_window_days` before expiry): RENEWAL_NOT_OPEN; a renewal of
  a subject never certified: NOTHING_TO_RENEW;
- contact name missing (CoreError.FIELD_REQUIRED) or too long (CoreError.FIELD_INVALID),
  phone not a mainland mobile number (CoreError.PHONE_INVALID);
- a document missing (DOCUMENT_REQUIRED), not one the subject type takes
  (DOCUMENT_UNKNOWN), not a PNG/JPEG image or a plain PDF or too large
  (DOCUMENT_INVALID), more than `certification.documents_max` (DOCUMENTS_TOO_MANY);
- a fee order or remittance for an application with no fee to pay: FEE_NOT_DUE; a
  remittance recorded by anyone but staff: CoreError.PERMISSION_DENIED; its reference
  empty or malformed: REFERENCE_INVALID;
- material added to an application that is not waiting for it: NOT_AWAITING_MATERIAL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from miniport.accounts.models import RegistrationStatus, SubjectType
from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import normalize_phone
from miniport.identities.selectors import openid_for_identity_pk
from miniport.miniprograms import permissions
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.payments.certification import documents as docs
from miniport.payments.certification import selectors
from miniport.payments.certification.errors import CertificationError
from miniport.payments.models import (
    CertificationApplication,
    CertificationKind,
    CertificationState,
    FeeChannel,
    Order,
    TradeState,
)
from miniport.review import services as review_services

FEE_NOTIFY_URL = "internal:certification-fee"
CONTACT_NAME_MAX = 64
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:-]{0,63}\Z")


def is_administrator(actor: Actor, miniprogram: MiniProgram) -> bool:
    if actor.kind == "system":
        return True
    return permissions.ADMINISTRATOR in mp_selectors.actor_roles(actor, miniprogram)


def _require_administrator(actor: Actor, miniprogram: MiniProgram) -> None:
    if not is_administrator(actor, miniprogram):
        raise PlatformError(CertificationError.ADMINISTRATOR_ONLY)


def _check_kind(miniprogram: MiniProgram, renewal: bool) -> str:
    """The kind of application this subject may make now, or the refusal."""
    subject = miniprogram.subject
    if subject.subject_type == SubjectType.PERSONAL:
        raise PlatformError(CertificationError.PERSONAL_NOT_ALLOWED)
    status = subject.registration.status
    if status not in (RegistrationStatus.ACTIVE, RegistrationStatus.PENDING_CERTIFICATION):
        raise PlatformError(CertificationError.REGISTRATION_NOT_READY)
    days = selectors.renewal_window_days()
    until = selectors.day(subject.certified_until)
    if subject.certified_until is None:
        if renewal:
            raise PlatformError(CertificationError.NOTHING_TO_RENEW)
        return CertificationKind.FIRST
    if not selectors.renewal_open(subject):
        code = (
            CertificationError.RENEWAL_NOT_OPEN if renewal else CertificationError.ALREADY_CERTIFIED
        )
        raise PlatformError(code, until=until, days=days)
    return CertificationKind.RENEWAL


def _clean_contact(contact_name, contact_phone) -> tuple[str, str]:
    name = " ".join(str(contact_name or "").split())
    if not name:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="contact_name")
    if len(name) > CONTACT_NAME_MAX:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="contact_name",
            reason=gettext("at most %(max)s characters") % {"max": CONTACT_NAME_MAX},
        )
    return name, normalize_phone(str(contact_phone or ""), field="contact_phone")


def _check_count(count: int) -> None:
    most = policy.value("certification.documents_max")
    if count > most:
        raise PlatformError(CertificationError.DOCUMENTS_TOO_MANY, field="documents", max=most)


def _lock_miniprogram(miniprogram: MiniProgram) -> MiniProgram:
    return (
        MiniProgram.objects.select_for_update(of=("self",))
        .select_related("subject", "subject__registration")
        .get(pk=miniprogram.pk)
    )


def certification_apply(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    documents: Mapping[str, object] | None,
    contact_name: str,
    contact_phone: str,
    renewal: bool = False,
) -> CertificationApplication:
    """Apply for certification (or its renewal) with the documents the subject type
    needs; the application then waits for its fee (`certification_fee_order`)."""
    miniprogram = MiniProgram.objects.select_related("subject__registration").get(pk=miniprogram.pk)
    _check_kind(miniprogram, renewal)
    _require_administrator(actor, miniprogram)
    if selectors.open_application(miniprogram) is not None:
        raise PlatformError(CertificationError.APPLICATION_OPEN)
    name, phone = _clean_contact(contact_name, contact_phone)
    subject_type = miniprogram.subject.subject_type
    uploads = docs.clean_uploads(subject_type, documents, require_all=True)
    _check_count(len(uploads))
    try:
        with docs.Store(miniprogram.appid) as store, transaction.atomic():
            miniprogram = _lock_miniprogram(miniprogram)
            kind = _check_kind(miniprogram, renewal)
            kept = [store.keep(key, upload) for key, upload in uploads.items()]
            with transaction.atomic():
                application = CertificationApplication.objects.create(
                    miniprogram=miniprogram,
                    kind=kind,
                    documents=kept,
                    contact_name=name,
                    contact_phone=phone,
                    fee_fen=policy.value("registration.certification_fee_fen"),
                    submitted_by=actor.label,
                    created_at=clock.now(),
                )
            audit.record(
                actor,
                "certification.apply",
                target=application,
                appid=miniprogram.appid,
                after={
                    "kind": kind,
                    "documents": [item["key"] for item in kept],
                    "fee_fen": application.fee_fen,
                },
            )
            events.emit(
                "certification.applied",
                {"application": application.pk, "kind": kind},
                appid=miniprogram.appid,
            )
    except IntegrityError:
        raise PlatformError(CertificationError.APPLICATION_OPEN) from None
    return application


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
    _require_administrator(actor, miniprogram)
    with transaction.atomic():
        current = CertificationApplication.objects.select_for_update().get(pk=application.pk)
        if current.state != CertificationState.FEE_UNPAID:
            raise PlatformError(CertificationError.FEE_NOT_DUE)
        existing = Order.objects.filter(pk=current.fee_order_id).first()
        if payable(existing):
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
    """Staff: the fee arrived as a bank remittance with this reference (CER-2)."""
    if actor.kind != "staff":
        raise PlatformError(CoreError.PERMISSION_DENIED)
    text = _clean_reference(reference)
    with transaction.atomic():
        if not certification_fee_paid(
            actor=actor, application=application, channel=FeeChannel.REMITTANCE, reference=text
        ):
            raise PlatformError(CertificationError.FEE_NOT_DUE)
        # The fee order can no longer be paid: the fee is not taken twice.
        order = Order.objects.filter(certification_application__pk=application.pk).first()
        if order is not None and order.trade_state == TradeState.NOTPAY:
            from miniport.payments.sandbox.orders import order_close

            order_close(order)
        audit.record(
            actor,
            "certification.fee_remittance",
            target=application,
            appid=application.miniprogram.appid,
            after={"fee_reference": text, "fee_fen": application.fee_fen},
        )
    return application


def certification_supplement(
    *, actor: Actor, application: CertificationApplication, documents: Mapping[str, object]
) -> CertificationApplication:
    """The administrator adds the material the reviewer asked for; the review goes back
    to the queue (`review_resume`)."""
    miniprogram = application.miniprogram
    _require_administrator(actor, miniprogram)
    current = CertificationApplication.objects.get(pk=application.pk)
    if current.state != CertificationState.MATERIAL_REQUESTED:
        raise PlatformError(CertificationError.NOT_AWAITING_MATERIAL)
    uploads = docs.clean_uploads(miniprogram.subject.subject_type, documents, require_all=False)
    _check_count(len(current.documents or []) + len(uploads))
    with docs.Store(miniprogram.appid) as store, transaction.atomic():
        current = CertificationApplication.objects.select_for_update().get(pk=application.pk)
        if current.state != CertificationState.MATERIAL_REQUESTED:
            raise PlatformError(CertificationError.NOT_AWAITING_MATERIAL)
        kept = [store.keep(key, upload) for key, upload in uploads.items()]
        current.documents = [*(current.documents or []), *kept]
        current.state = CertificationState.UNDER_REVIEW
        current.save(update_fields=["documents", "state"])
        review = selectors.review_of(current)
        if review is not None and review.state == "delayed":
            review_services.review_resume(
                actor=actor, review=review, material={"supplemented": len(current.documents)}
            )
        audit.record(
            actor,
            "certification.supplement",
            target=current,
            appid=miniprogram.appid,
            before={"state": CertificationState.MATERIAL_REQUESTED},
            after={"state": current.state, "documents": [item["key"] for item in kept]},
        )
        events.emit(
            "certification.supplemented", {"application": current.pk}, appid=miniprogram.appid
        )
    application.documents, application.state = current.documents, current.state
    return application
