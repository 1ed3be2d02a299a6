"""The review kind "merchant" (PAY-1): a mini program's application for payment, on the
ops desk. Approving opens the merchant (a new mch_id and API key, the key not shown yet:
the administrator reveals it once after a scan); rejecting keeps the reasons; delaying
asks for more material, which the applicant adds with `merchant_supplement`.

The callbacks run inside the review machine's transaction, after the review moved; a
callback that refuses (the mini program's certification expired meanwhile, a merchant
made by automation meanwhile) rolls the whole decision back.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.payments.merchants import documents as docs
from miniport.payments.merchants import notifications
from miniport.payments.merchants.selectors import MERCHANT_KIND
from miniport.payments.merchants.services import create_merchant, require_eligible
from miniport.payments.models import (
    MERCHANT_OPEN_STATES,
    MerchantApplication,
    MerchantApplicationState,
)
from miniport.review import registry
from miniport.review.models import Review
from miniport.review.selectors import target_row


def _application(review: Review, *, lock: bool = False) -> MerchantApplication | None:
    rows = MerchantApplication.objects.select_related("miniprogram", "miniprogram__subject")
    return target_row(review, rows, lock=lock)


def _open_application(review: Review) -> MerchantApplication:
    application = _application(review, lock=True)
    if application is None:
        raise PlatformError(CoreError.NOT_FOUND)
    if application.state not in MERCHANT_OPEN_STATES:
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=application.state, action="decide")
    return application


def masked(number: str) -> str:
    """An account number as the desk and the console show it: the last four digits."""
    return f"•••• {number[-4:]}" if len(number) > 4 else "••••"


def describe(review: Review) -> registry.Description:
    application = _application(review)
    if application is None:
        return registry.Description(title=_("Merchant application"), appid=review.appid)
    mp = application.miniprogram
    return registry.Description(
        title=_("Merchant application: %(name)s") % {"name": application.business_name},
        appid=review.appid,
        summary=f"{mp.name or mp.appid} · {application.business_category}",
        facts=(
            (_("Mini program"), mp.name or "—"),
            (_("Subject"), mp.subject.name or "—"),
            (_("Subject type"), mp.subject.get_subject_type_display()),
            (_("Certified"), _("yes") if mp.is_certified else _("no")),
            (_("Business name"), application.business_name),
            (_("Business category"), application.business_category),
            (_("Service phone"), application.service_phone),
            (_("Contact"), f"{application.contact_name} <{application.contact_email}>"),
            (_("Settlement account name"), application.settlement_account_name),
            (_("Settlement bank"), application.settlement_bank),
            (_("Settlement account"), masked(application.settlement_account_number)),
        ),
        documents=tuple(
            (item["key"], docs.label_of(item["key"]))
            for item in application.documents or []
            if isinstance(item, dict) and item.get("key")
        ),
    )


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    application = _application(review)
    if application is None:
        return None
    return docs.document_image(application.documents, key)


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews a mini program he belongs to."""
    mp = MiniProgram.objects.filter(appid=review.appid).first() if review.appid else None
    return mp is not None and mp_selectors.actor_is_member(mp, actor)


def approve(review: Review, actor: Actor) -> None:
    application = _open_application(review)
    mp = (
        MiniProgram.objects.select_for_update()
        .select_related("subject")
        .get(pk=application.miniprogram_id)
    )
    require_eligible(mp)
    merchant, _key = create_merchant(mp)
    application.state = MerchantApplicationState.APPROVED
    application.merchant = merchant
    application.decided_at = clock.now()
    application.reasons = ""
    application.save(update_fields=["state", "merchant", "decided_at", "reasons"])
    audit.record(
        actor,
        "merchant.approve",
        target=application,
        appid=mp.appid,
        after={"mch_id": merchant.mch_id, "key_version": merchant.key_version},
    )
    events.emit(
        notifications.APPROVED,
        {"application": application.pk, "mch_id": merchant.mch_id},
        appid=mp.appid,
    )


def _close(
    review: Review,
    actor: Actor,
    state: str,
    action: str,
    reasons: list[str],
    event: str = "",
) -> None:
    application = _open_application(review)
    application.state = state
    application.reasons = "\n".join(reasons)
    if state != MerchantApplicationState.MATERIAL_REQUESTED:
        application.decided_at = clock.now()
    application.save(update_fields=["state", "reasons", "decided_at"])
    audit.record(
        actor,
        action,
        target=application,
        appid=application.miniprogram.appid,
        after={"state": state, "reasons": application.reasons},
    )
    if event:
        events.emit(
            event,
            {"application": application.pk, "reason": application.reasons},
            appid=application.miniprogram.appid,
        )


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    _close(
        review,
        actor,
        MerchantApplicationState.REJECTED,
        "merchant.reject",
        reasons,
        notifications.REJECTED,
    )


def delay(review: Review, actor: Actor, reasons: list[str]) -> None:
    """Ask for more material: the application waits for the applicant's supplement."""
    _close(
        review,
        actor,
        MerchantApplicationState.MATERIAL_REQUESTED,
        "merchant.material_request",
        reasons,
        notifications.MATERIAL_REQUESTED,
    )


def withdraw(review: Review, actor: Actor) -> None:
    _close(review, actor, MerchantApplicationState.WITHDRAWN, "merchant.withdraw", [])


KIND = registry.Kind(
    key=MERCHANT_KIND,
    label=gettext_lazy("Merchant application"),
    describe=describe,
    approve=approve,
    reject=reject,
    is_member=is_member,
    withdraw=withdraw,
    delay=delay,
    delay_label=gettext_lazy("Ask for more material"),
    document=document,
)


def register_kind() -> None:
    registry.register(KIND)
