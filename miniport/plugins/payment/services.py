"""A plugin's payment (PLG-10): the owner applies in service-provider mode (a
sub-merchant, an existing active merchant, bound to the owner mini program) or in
ordinary mode (the online service and proof documents); the ops desk reviews it as the
kind "plugin_payment" (approve, reject with reasons, ask for more material, which the
owner adds with `plugin_payment_supplement`).

Refusals (`PluginPaymentError` unless noted), after which nothing changed:
- the owner mini program of a personal subject: PERSONAL_SUBJECT (always);
- the owner without an active payment merchant: NO_MERCHANT;
- an application under review or waiting for material: APPLICATION_OPEN; one approved:
  ALREADY_APPROVED (the database's constraints decide under concurrency);
- an unknown mode: MODE_INVALID;
- service-provider mode: sub_mch_id missing (CoreError.FIELD_REQUIRED) or naming no
  active merchant: SUB_MERCHANT_NOT_FOUND;
- ordinary mode: online service missing (FIELD_REQUIRED) or too long (FIELD_INVALID),
  no document (DOCUMENTS_REQUIRED), too many (TOO_MANY_DOCUMENTS), one neither an image
  nor a clean PDF (DOCUMENT_INVALID naming it);
- a supplement when no application waits for material: NO_APPLICATION.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from miniport.accounts.models import SubjectType
from miniport.core import audit, clock
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.services import media
from miniport.payments.merchants.selectors import merchant_by_mch_id
from miniport.payments.models import MerchantState
from miniport.plugins.models import (
    Plugin,
    PluginPaymentApplication,
    PluginPaymentMode,
    PluginPaymentState,
)
from miniport.plugins.payment import documents as docs
from miniport.plugins.payment.errors import PluginPaymentError
from miniport.plugins.payment.selectors import (
    PLUGIN_PAYMENT_KIND,
    application_review,
    approved_application,
    open_application,
    owner_has_active_merchant,
)
from miniport.review import services as review_services

ONLINE_SERVICE_MAX = 300


def require_eligible(plugin: Plugin) -> None:
    """PLG-10: never for a personal subject; only with the owner's active merchant; not
    while an application is open or approved."""
    if plugin.owner.subject.subject_type == SubjectType.PERSONAL:
        raise PlatformError(PluginPaymentError.PERSONAL_SUBJECT)
    if not owner_has_active_merchant(plugin):
        raise PlatformError(PluginPaymentError.NO_MERCHANT)
    if open_application(plugin) is not None:
        raise PlatformError(PluginPaymentError.APPLICATION_OPEN)
    if approved_application(plugin) is not None:
        raise PlatformError(PluginPaymentError.ALREADY_APPROVED)


def active_sub_merchant(sub_mch_id: str):
    merchant = merchant_by_mch_id(sub_mch_id) if sub_mch_id else None
    if merchant is None or merchant.state != MerchantState.ACTIVE:
        return None
    return merchant


def plugin_payment_apply(
    *,
    actor: Actor,
    plugin: Plugin,
    mode: str,
    sub_mch_id: str = "",
    online_service: str = "",
    documents: Iterable[object] | None = None,
) -> PluginPaymentApplication:
    """PLG-10: apply for the plugin's payment; the application goes to the review desk."""
    require_eligible(plugin)
    if mode not in PluginPaymentMode.values:
        raise PlatformError(PluginPaymentError.MODE_INVALID, field="mode", mode=str(mode)[:30])
    sub_mch_id = (sub_mch_id or "").strip()
    online_service = " ".join((online_service or "").split())
    if mode == PluginPaymentMode.SERVICE_PROVIDER:
        if not sub_mch_id:
            raise PlatformError(CoreError.FIELD_REQUIRED, field="sub_mch_id")
        if active_sub_merchant(sub_mch_id) is None:
            raise PlatformError(
                PluginPaymentError.SUB_MERCHANT_NOT_FOUND,
                field="sub_mch_id",
                sub_mch_id=sub_mch_id[:20],
            )
        online_service, documents = "", None
    else:
        sub_mch_id = ""
        if not online_service:
            raise PlatformError(CoreError.FIELD_REQUIRED, field="online_service")
        if len(online_service) > ONLINE_SERVICE_MAX:
            raise PlatformError(
                CoreError.FIELD_INVALID, field="online_service", reason=f"≤ {ONLINE_SERVICE_MAX}"
            )
    with media.Keeper(plugin) as keeper, transaction.atomic():
        kept = docs.store_documents(documents, keeper) if mode == PluginPaymentMode.ORDINARY else []
        try:
            with transaction.atomic():
                application = PluginPaymentApplication.objects.create(
                    plugin=plugin,
                    mode=mode,
                    sub_mch_id=sub_mch_id,
                    online_service=online_service,
                    documents=kept,
                    submitted_by=actor.label,
                    created_at=clock.now(),
                )
        except IntegrityError:
            raise PlatformError(PluginPaymentError.APPLICATION_OPEN) from None
        review = review_services.review_open(
            actor=actor,
            kind=PLUGIN_PAYMENT_KIND,
            target_id=application.pk,
            appid=plugin.appid,
            material={"application": application.pk, "mode": mode},
        )
        application.review = review
        application.save(update_fields=["review"])
        audit.record(
            actor,
            "plugin.payment_apply",
            target=application,
            appid=plugin.appid,
            after={
                "mode": mode,
                "sub_mch_id": sub_mch_id,
                "owner": plugin.owner.appid,
                "documents": [item["name"] for item in kept],
            },
        )
    return application


def plugin_payment_supplement(
    *,
    actor: Actor,
    plugin: Plugin,
    documents: Iterable[object] | None = None,
    note: str = "",
) -> PluginPaymentApplication:
    """PLG-10: answer the reviewer's request for more material: documents are added, the
    note kept with the review, and the review goes back to the queue."""
    with media.Keeper(plugin) as keeper, transaction.atomic():
        application = (
            PluginPaymentApplication.objects.select_for_update()
            .filter(plugin=plugin, state=PluginPaymentState.MATERIAL_REQUESTED)
            .first()
        )
        review = application_review(application) if application else None
        if application is None or review is None:
            raise PlatformError(PluginPaymentError.NO_APPLICATION)
        note = " ".join((note or "").split())[:300]
        current = list(application.documents or [])
        added = docs.store_documents(documents, keeper, required=False, first_key=len(current) + 1)
        if not added and not note:
            raise PlatformError(CoreError.FIELD_REQUIRED, field=docs.FIELD)
        application.documents = [*current, *added]
        application.state = PluginPaymentState.UNDER_REVIEW
        application.save(update_fields=["documents", "state"])
        review_services.review_resume(
            actor=actor,
            review=review,
            material={"supplement": {"note": note, "documents": [i["name"] for i in added]}},
        )
        audit.record(
            actor,
            "plugin.payment_supplement",
            target=application,
            appid=plugin.appid,
            after={"documents": [item["name"] for item in added], "note": note},
        )
    return application


def plugin_payment_withdraw(*, actor: Actor, plugin: Plugin) -> PluginPaymentApplication:
    """The owner takes an open application back (its review is withdrawn)."""
    application = open_application(plugin)
    review = application_review(application) if application else None
    if application is None or review is None:
        raise PlatformError(PluginPaymentError.NO_APPLICATION)
    review_services.review_withdraw(actor=actor, review=review)
    application.refresh_from_db()
    return application
