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
- material added to an application that is not waiting for it: NOT_AWAITING_MATERIAL;
- withdrawing an application whose fee was paid (or whose review started): NOT_WITHDRAWABLE.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from miniport.accounts.models import RegistrationStatus, SubjectType
from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import normalize_phone
from miniport.miniprograms.models import MiniProgram
from miniport.payments.certification import documents as docs
from miniport.payments.certification import selectors
from miniport.payments.certification.access import require_administrator
from miniport.payments.certification.errors import CertificationError
from miniport.payments.certification.fees import (  # noqa: F401 - the fee's names live here too
    FEE_NOTIFY_URL,
    certification_fee_order,
    certification_fee_paid,
    certification_fee_record_remittance,
    payable,
)
from miniport.payments.models import (
    CertificationApplication,
    CertificationKind,
    CertificationState,
    Order,
    TradeState,
)
from miniport.review import services as review_services

CONTACT_NAME_MAX = 64


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


def apply_refusal(miniprogram: MiniProgram, *, renewal: bool) -> PlatformError | None:
    """Why an application (first or renewal) would be refused now whatever it holds, or
    None: for pages that say so instead of offering a form."""
    try:
        _check_kind(miniprogram, renewal)
        if selectors.open_application(miniprogram) is not None:
            raise PlatformError(CertificationError.APPLICATION_OPEN)
    except PlatformError as error:
        return error
    return None


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
    require_administrator(actor, miniprogram)
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
            if selectors.open_application(miniprogram) is not None:
                raise PlatformError(CertificationError.APPLICATION_OPEN)
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
        # Another application of this mini program was made at the same moment.
        if selectors.open_application(miniprogram) is None:
            raise
        raise PlatformError(CertificationError.APPLICATION_OPEN) from None
    return application


def certification_supplement(
    *, actor: Actor, application: CertificationApplication, documents: Mapping[str, object]
) -> CertificationApplication:
    """The administrator adds the material the reviewer asked for; the review goes back
    to the queue (`review_resume`)."""
    miniprogram = application.miniprogram
    require_administrator(actor, miniprogram)
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


def certification_withdraw(
    *, actor: Actor, application: CertificationApplication
) -> CertificationApplication:
    """The administrator takes back an application still waiting for its fee (to apply
    again with other documents). Its fee order is closed first, so it can no longer be
    paid; an order paid meanwhile wins and the application stays."""
    from miniport.payments.sandbox.orders import order_close

    miniprogram = application.miniprogram
    require_administrator(actor, miniprogram)
    with transaction.atomic():
        current = CertificationApplication.objects.select_for_update().get(pk=application.pk)
        if current.state != CertificationState.FEE_UNPAID:
            raise PlatformError(CertificationError.NOT_WITHDRAWABLE)
        order = Order.objects.filter(certification_application=current).first()
        if order is not None and order.trade_state == TradeState.NOTPAY:
            order_close(order)
        if order is not None and order.trade_state == TradeState.SUCCESS:
            raise PlatformError(CertificationError.NOT_WITHDRAWABLE)
        moved = CertificationApplication.objects.filter(
            pk=current.pk, state=CertificationState.FEE_UNPAID
        ).update(state=CertificationState.WITHDRAWN, decided_at=clock.now())
        if not moved:
            raise PlatformError(CertificationError.NOT_WITHDRAWABLE)
        audit.record(
            actor,
            "certification.withdraw",
            target=current,
            appid=miniprogram.appid,
            before={"state": CertificationState.FEE_UNPAID},
            after={"state": CertificationState.WITHDRAWN},
        )
    application.state = CertificationState.WITHDRAWN
    return application
