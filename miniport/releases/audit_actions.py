"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "code.upload": _("Code uploaded"),
        "code.uploaded": _("Code uploaded"),
        "code.experience_set": _("Experience version set"),
        "code.submit": _("Code submitted for review"),
        "code.submitted": _("Code submitted for review"),
        "code.withdraw": _("Review submission withdrawn"),
        "code.speed_up": _("Review speed-up requested"),
        "code.release": _("Version released"),
        "code.gray_release": _("Gray release started"),
        "code.gray_changed": _("Gray release changed"),
        "code.gray_revert": _("Gray release cancelled"),
        "code.rollback": _("Version rolled back"),
        "code.visit_status": _("Service status changed"),
        "code.template_add": _("Code template added"),
        "code.template_delete": _("Code template deleted"),
    },
    families={
        "code": _("Version action"),
    },
)
