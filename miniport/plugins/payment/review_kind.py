"""The review kind "plugin_payment" (PLG-10): a plugin's application for payment on the
ops desk. Approving gives the plugin its payment (FP-4), provided the owner's merchant is
still active (and, in service-provider mode, the sub-merchant); rejecting keeps the
reasons; delaying asks for more material, added with `plugin_payment_supplement`.

The callbacks run inside the review machine's transaction; one that refuses rolls the
whole decision back."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors as mp_selectors
from miniport.payments.merchants.selectors import merchant_of
from miniport.plugins.models import (
    PLUGIN_PAYMENT_OPEN_STATES,
    PluginPaymentApplication,
    PluginPaymentMode,
    PluginPaymentState,
)
from miniport.plugins.payment import documents as docs
from miniport.plugins.payment.errors import PluginPaymentError
from miniport.plugins.payment.selectors import PLUGIN_PAYMENT_KIND, owner_has_active_merchant
from miniport.plugins.payment.services import active_sub_merchant
from miniport.review import registry
from miniport.review.models import Review
from miniport.review.selectors import target_row


def _application(review: Review, *, lock: bool = False) -> PluginPaymentApplication | None:
    rows = PluginPaymentApplication.objects.select_related(
        "plugin", "plugin__owner", "plugin__owner__subject"
    )
    return target_row(review, rows, lock=lock)


def _open_application(review: Review) -> PluginPaymentApplication:
    application = _application(review, lock=True)
    if application is None:
        raise PlatformError(CoreError.NOT_FOUND)
    if application.state not in PLUGIN_PAYMENT_OPEN_STATES:
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=application.state, action="decide")
    return application


def describe(review: Review) -> registry.Description:
    application = _application(review)
    if application is None:
        return registry.Description(title=_("Plugin payment application"), appid=review.appid)
    plugin = application.plugin
    owner = plugin.owner
    merchant = merchant_of(owner)
    facts: list[tuple[str, str]] = [
        (_("Plugin"), f"{plugin.name} ({plugin.appid})"),
        (_("Mini program"), f"{owner.name or '—'} ({owner.appid})"),
        (_("Subject"), owner.subject.name or "—"),
        (_("Subject type"), owner.subject.get_subject_type_display()),
        (
            _("Merchant"),
            f"{merchant.mch_id} ({merchant.get_state_display()})" if merchant else "—",
        ),
        (_("Mode"), application.get_mode_display()),
    ]
    if application.mode == PluginPaymentMode.SERVICE_PROVIDER:
        facts.append((_("Sub-merchant"), application.sub_mch_id))
    else:
        facts.append((_("Online service"), application.online_service))
    return registry.Description(
        title=_("Plugin payment application: %(name)s") % {"name": plugin.name},
        appid=review.appid,
        summary=f"{plugin.name} · {application.get_mode_display()}",
        facts=tuple(facts),
        documents=tuple(
            (str(item["key"]), str(item.get("name") or item["key"]))
            for item in application.documents or []
            if isinstance(item, dict) and item.get("key")
        ),
    )


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    application = _application(review)
    if application is None:
        return None
    return docs.document_file(application.documents, key)


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews a plugin of a mini program he belongs to."""
    application = _application(review)
    if application is None:
        return False
    return mp_selectors.actor_is_member(application.plugin.owner, actor)


def approve(review: Review, actor: Actor) -> None:
    application = _open_application(review)
    plugin = application.plugin
    if not owner_has_active_merchant(plugin):
        raise PlatformError(PluginPaymentError.NO_MERCHANT)
    if (
        application.mode == PluginPaymentMode.SERVICE_PROVIDER
        and active_sub_merchant(application.sub_mch_id) is None
    ):
        raise PlatformError(
            PluginPaymentError.SUB_MERCHANT_NOT_FOUND, sub_mch_id=application.sub_mch_id
        )
    application.state = PluginPaymentState.APPROVED
    application.decided_at = clock.now()
    application.reasons = ""
    application.save(update_fields=["state", "decided_at", "reasons"])
    audit.record(
        actor,
        "plugin.payment_approve",
        target=application,
        appid=plugin.appid,
        after={"state": application.state, "mode": application.mode},
    )


def _close(review: Review, actor: Actor, state: str, action: str, reasons: list[str]) -> None:
    application = _open_application(review)
    application.state = state
    application.reasons = "\n".join(reasons)
    if state != PluginPaymentState.MATERIAL_REQUESTED:
        application.decided_at = clock.now()
    application.save(update_fields=["state", "reasons", "decided_at"])
    audit.record(
        actor,
        action,
        target=application,
        appid=application.plugin.appid,
        after={"state": state, "reasons": application.reasons},
    )


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    _close(review, actor, PluginPaymentState.REJECTED, "plugin.payment_reject", reasons)


def delay(review: Review, actor: Actor, reasons: list[str]) -> None:
    """Ask for more material: the application waits for the owner's supplement."""
    _close(
        review,
        actor,
        PluginPaymentState.MATERIAL_REQUESTED,
        "plugin.payment_material_request",
        reasons,
    )


def withdraw(review: Review, actor: Actor) -> None:
    _close(review, actor, PluginPaymentState.WITHDRAWN, "plugin.payment_withdraw", [])


KIND = registry.Kind(
    key=PLUGIN_PAYMENT_KIND,
    label=gettext_lazy("Plugin payment application"),
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
