"""Merchants (PAY-1): a certified mini program applies for payment; the review desk
approves (the merchant opens with a mch_id and an API key), rejects with reasons or asks
for more material; automation provisions an approved merchant at once.

Refusals (`MerchantError` unless noted), after which nothing changed:
- a mini program of a personal subject: PERSONAL_SUBJECT (always, whatever else holds);
- a mini program that is not certified, or whose certification expired: NOT_CERTIFIED;
- a mini program that already has a merchant: ALREADY_MERCHANT;
- a second application while one is under review or waits for material: APPLICATION_OPEN
  (the database's one-open-application constraint decides under concurrency);
- a field missing (CoreError.FIELD_REQUIRED) or too long / malformed
  (CoreError.FIELD_INVALID, ACCOUNT_NUMBER_INVALID, SERVICE_PHONE_INVALID);
- a required document missing (DOCUMENT_MISSING), an unknown one (DOCUMENT_UNKNOWN), a
  file that is no acceptable image (the image checks' codes, naming the document);
- a supplement when no application waits for material: NO_APPLICATION.

The API key is made here and never written to a log or an audit row; the key's reveal
and rotation are in `merchants.keys`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from miniport.accounts.models import SubjectType
from miniport.core import audit, clock
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import media
from miniport.payments.merchants import documents as docs
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.platform import new_api_key, new_mch_id
from miniport.payments.merchants.selectors import (
    MERCHANT_KIND,
    application_review,
    open_application,
)
from miniport.payments.models import (
    Merchant,
    MerchantApplication,
    MerchantApplicationState,
    MerchantKind,
)
from miniport.review import services as review_services

_ACCOUNT_NUMBER = re.compile(r"^[0-9]{8,30}\Z")
_PHONE = re.compile(r"^[0-9][0-9 -]{3,18}[0-9]\Z")
# (field, max length) of the application's text fields, as the model holds them.
TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("business_name", 100),
    ("business_category", 60),
    ("service_phone", 20),
    ("contact_name", 64),
    ("contact_email", 254),
    ("settlement_account_name", 100),
    ("settlement_bank", 100),
    ("settlement_account_number", 30),
)


def require_eligible(miniprogram: MiniProgram) -> None:
    """PAY-1: only a certified mini program of a non-personal subject, without a merchant."""
    if miniprogram.subject.subject_type == SubjectType.PERSONAL:
        raise PlatformError(MerchantError.PERSONAL_SUBJECT)
    if not miniprogram.is_certified:
        raise PlatformError(MerchantError.NOT_CERTIFIED)
    if Merchant.objects.filter(miniprogram=miniprogram).exists():
        raise PlatformError(MerchantError.ALREADY_MERCHANT)


def _clean_fields(raw: Mapping[str, object]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, limit in TEXT_FIELDS:
        value = raw.get(name)
        text = " ".join(str(value).split()) if value is not None else ""
        if not text:
            raise PlatformError(CoreError.FIELD_REQUIRED, field=name)
        if len(text) > limit:
            raise PlatformError(CoreError.FIELD_INVALID, field=name, reason=f"≤ {limit}")
        clean[name] = text
    clean["settlement_account_number"] = clean["settlement_account_number"].replace(" ", "")
    if not _ACCOUNT_NUMBER.match(clean["settlement_account_number"]):
        raise PlatformError(MerchantError.ACCOUNT_NUMBER_INVALID, field="settlement_account_number")
    if not _PHONE.match(clean["service_phone"]):
        raise PlatformError(MerchantError.SERVICE_PHONE_INVALID, field="service_phone")
    try:
        validate_email(clean["contact_email"])
    except ValidationError:
        raise PlatformError(
            CoreError.FIELD_INVALID, field="contact_email", reason="email"
        ) from None
    return clean


def merchant_apply(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    business_name: str,
    business_category: str,
    service_phone: str,
    contact_name: str,
    contact_email: str,
    settlement_account_name: str,
    settlement_bank: str,
    settlement_account_number: str,
    documents: Mapping[str, object] | None,
) -> MerchantApplication:
    """PAY-1: apply for payment with business information, the settlement account and
    the documents; the application goes to the review desk (kind "merchant")."""
    require_eligible(miniprogram)
    if open_application(miniprogram) is not None:
        raise PlatformError(MerchantError.APPLICATION_OPEN)
    fields = _clean_fields(
        {
            "business_name": business_name,
            "business_category": business_category,
            "service_phone": service_phone,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "settlement_account_name": settlement_account_name,
            "settlement_bank": settlement_bank,
            "settlement_account_number": settlement_account_number,
        }
    )
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        kept = docs.store_documents(documents, keeper)
        try:
            with transaction.atomic():
                application = MerchantApplication.objects.create(
                    miniprogram=miniprogram,
                    documents=kept,
                    submitted_by=actor.label,
                    created_at=clock.now(),
                    **fields,
                )
        except IntegrityError:
            raise PlatformError(MerchantError.APPLICATION_OPEN) from None
        review_services.review_open(
            actor=actor,
            kind=MERCHANT_KIND,
            target_id=application.pk,
            appid=miniprogram.appid,
            material={"application": application.pk},
        )
        audit.record(
            actor,
            "merchant.apply",
            target=application,
            appid=miniprogram.appid,
            after={
                "business_name": fields["business_name"],
                "documents": [item["key"] for item in kept],
            },
        )
    return application


def merchant_supplement(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    documents: Mapping[str, object] | None,
    note: str = "",
) -> MerchantApplication:
    """PAY-1: answer the reviewer's request for more material: the documents given replace
    those of the same kind, and the review goes back to the queue (review_resume)."""
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        application = (
            MerchantApplication.objects.select_for_update()
            .filter(miniprogram=miniprogram, state=MerchantApplicationState.MATERIAL_REQUESTED)
            .first()
        )
        review = application_review(application) if application else None
        if application is None or review is None:
            raise PlatformError(MerchantError.NO_APPLICATION)
        note = " ".join((note or "").split())[:300]
        added = docs.store_documents(documents, keeper, required=())
        if not added and not note:
            raise PlatformError(CoreError.FIELD_REQUIRED, field=docs.FIELD)
        replaced = docs.replaced_files(application.documents, added)
        application.documents = docs.merged(application.documents, added)
        application.state = MerchantApplicationState.UNDER_REVIEW
        application.save(update_fields=["documents", "state"])
        review_services.review_resume(
            actor=actor,
            review=review,
            material={"supplement": {"note": note, "documents": [i["key"] for i in added]}},
        )
        audit.record(
            actor,
            "merchant.supplement",
            target=application,
            appid=miniprogram.appid,
            after={"documents": [item["key"] for item in added], "note": note},
        )
        transaction.on_commit(lambda: media.kept_delete(replaced))
    return application


def merchant_withdraw(*, actor: Actor, miniprogram: MiniProgram) -> MerchantApplication:
    """The administrator takes an open application back (its review is withdrawn)."""
    application = open_application(miniprogram)
    review = application_review(application) if application else None
    if application is None or review is None:
        raise PlatformError(MerchantError.NO_APPLICATION)
    review_services.review_withdraw(actor=actor, review=review)
    application.refresh_from_db()
    return application


def create_merchant(miniprogram: MiniProgram, *, shown: bool = False) -> tuple[Merchant, str]:
    """The merchant of a mini program: a new mch_id and API key. The caller holds the
    transaction and has checked eligibility; a concurrent second merchant of the same
    mini program is ALREADY_MERCHANT (the one-to-one column decides)."""
    now = clock.now()
    key = new_api_key()
    try:
        with transaction.atomic():
            merchant = Merchant.objects.create(
                mch_id=new_mch_id(),
                kind=MerchantKind.MINIPROGRAM,
                miniprogram=miniprogram,
                name=miniprogram.name or miniprogram.appid,
                api_key=key,
                key_set_at=now,
                key_shown_at=now if shown else None,
                created_at=now,
            )
    except IntegrityError:
        raise PlatformError(MerchantError.ALREADY_MERCHANT) from None
    return merchant, key


def merchant_provision(*, actor: Actor, miniprogram: MiniProgram) -> tuple[Merchant, str]:
    """For automation (`miniport merchant create`): an approved merchant at once for a
    certified mini program. Returns the merchant and its API key, which counts as shown
    (the caller prints it once). A mini program with an open application is refused
    (APPLICATION_OPEN): the desk decides that one."""
    with transaction.atomic():
        miniprogram = (
            MiniProgram.objects.select_for_update().select_related("subject").get(pk=miniprogram.pk)
        )
        require_eligible(miniprogram)
        if open_application(miniprogram) is not None:
            raise PlatformError(MerchantError.APPLICATION_OPEN)
        merchant, key = create_merchant(miniprogram, shown=True)
        audit.record(
            actor,
            "merchant.provision",
            target=merchant,
            appid=miniprogram.appid,
            after={"mch_id": merchant.mch_id, "key_version": merchant.key_version},
        )
    return merchant, key


def _staff_only(actor: Actor) -> None:
    if actor.kind not in ("staff", "system"):
        raise PlatformError(MerchantError.STAFF_ONLY)


def merchant_suspend(*, actor: Actor, merchant: Merchant, reason: str) -> Merchant:
    """Platform staff stop a merchant: the sandbox answers its requests NOAUTH."""
    from miniport.payments.models import MerchantState

    _staff_only(actor)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reason")
    with transaction.atomic():
        moved = Merchant.objects.filter(pk=merchant.pk, state=MerchantState.ACTIVE).update(
            state=MerchantState.SUSPENDED
        )
        if not moved:
            raise PlatformError(MerchantError.MERCHANT_SUSPENDED)
        merchant.refresh_from_db()
        audit.record(
            actor,
            "merchant.suspend",
            target=merchant,
            appid=_appid_of(merchant),
            before={"state": MerchantState.ACTIVE},
            after={"state": merchant.state, "reason": reason},
        )
    return merchant


def _appid_of(merchant: Merchant) -> str:
    """The AppID of the merchant's mini program; the platform merchant has none."""
    return merchant.miniprogram.appid if merchant.miniprogram is not None else ""


def merchant_resume(*, actor: Actor, merchant: Merchant) -> Merchant:
    """Platform staff let a suspended merchant trade again."""
    from miniport.payments.models import MerchantState

    _staff_only(actor)
    with transaction.atomic():
        moved = Merchant.objects.filter(pk=merchant.pk, state=MerchantState.SUSPENDED).update(
            state=MerchantState.ACTIVE
        )
        if not moved:
            raise PlatformError(MerchantError.MERCHANT_ACTIVE)
        merchant.refresh_from_db()
        audit.record(
            actor,
            "merchant.resume",
            target=merchant,
            appid=_appid_of(merchant),
            before={"state": MerchantState.SUSPENDED},
            after={"state": merchant.state},
        )
    return merchant
