"""Reading a plugin's payment (PLG-10): its applications, their reviews, and whether the
plugin may take payments now (FP-4)."""

from __future__ import annotations

from miniport.payments.merchants.selectors import merchant_of
from miniport.payments.models import MerchantState
from miniport.plugins.models import (
    PLUGIN_PAYMENT_OPEN_STATES,
    Plugin,
    PluginPaymentApplication,
    PluginPaymentState,
)
from miniport.review.models import Review
from miniport.review.selectors import latest_review

PLUGIN_PAYMENT_KIND = "plugin_payment"


def owner_has_active_merchant(plugin: Plugin) -> bool:
    """The owner mini program has a payment merchant that is not suspended."""
    merchant = merchant_of(plugin.owner)
    return merchant is not None and merchant.state == MerchantState.ACTIVE


def approved_application(plugin: Plugin) -> PluginPaymentApplication | None:
    return PluginPaymentApplication.objects.filter(
        plugin=plugin, state=PluginPaymentState.APPROVED
    ).first()


def open_application(plugin: Plugin) -> PluginPaymentApplication | None:
    """The application under review or waiting for material (one at most)."""
    return PluginPaymentApplication.objects.filter(
        plugin=plugin, state__in=PLUGIN_PAYMENT_OPEN_STATES
    ).first()


def latest_application(plugin: Plugin) -> PluginPaymentApplication | None:
    return PluginPaymentApplication.objects.filter(plugin=plugin).order_by("-id").first()


def applications(plugin: Plugin) -> list[PluginPaymentApplication]:
    return list(PluginPaymentApplication.objects.filter(plugin=plugin).order_by("-id"))


def application_review(application: PluginPaymentApplication | None) -> Review | None:
    if application is None:
        return None
    if application.review_id:
        return application.review
    return latest_review(PLUGIN_PAYMENT_KIND, application.pk)


def plugin_has_payment(plugin: Plugin | None) -> bool:
    """FP-4: the plugin's payment application is approved and its owner's merchant is
    still active (a suspended merchant takes the plugin's payment away with it)."""
    if plugin is None or plugin.pk is None:
        return False
    if not PluginPaymentApplication.objects.filter(
        plugin=plugin, state=PluginPaymentState.APPROVED
    ).exists():
        return False
    return owner_has_active_merchant(plugin)
