"""Readable names of the functional pages' audit actions (FP-3, FP-7)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "functional.preview_open": _("Owner's development version opened for functional pages"),
        "functional.login": _("Signed in to a plugin through its functional page"),
        "functional.pay": _("Paid through a plugin's functional page"),
    }
)
