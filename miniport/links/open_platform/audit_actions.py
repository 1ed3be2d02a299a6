"""Readable names of the open platform audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "open.create": _("Open platform account created"),
        "open.bind": _("Mini program bound to an open platform account"),
        "open.unbind": _("Mini program unbound from an open platform account"),
        "open.bind_request": _("Open platform binding requested"),
        "open.certification_submit": _("Developer qualification certification submitted"),
        "open.certification_approve": _("Developer qualification certification approved"),
        "open.certification_reject": _("Developer qualification certification rejected"),
    }
)
