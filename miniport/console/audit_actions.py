"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "console.member_login": _("Member login by scan"),
    },
    families={
        "console": _("Console action"),
    },
)
