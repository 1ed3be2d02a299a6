"""Readable names of the payment sandbox's audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "pay.order_paid": _("Order paid"),
    }
)
