"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "policy.override_set": _("Policy value overridden"),
        "policy.override_clear": _("Policy override cleared"),
    },
    families={},
)
