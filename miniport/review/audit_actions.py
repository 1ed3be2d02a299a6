"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "review.open": _("Review opened"),
        "review.claim": _("Review claimed"),
        "review.release": _("Review released"),
        "review.approve": _("Review approved"),
        "review.reject": _("Review rejected"),
        "review.withdraw": _("Review withdrawn"),
        "review.delay": _("Review delayed"),
        "review.resume": _("Review back in the queue"),
    },
    families={
        "review": _("Review action"),
    },
)
