"""Readable names of the plugin usage audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "plugin.apply": _("Plugin usage applied for"),
        "plugin.application_agree": _("Plugin usage application approved"),
        "plugin.application_refuse": _("Plugin usage application refused"),
        "plugin.application_delete": _("Plugin usage application deleted"),
        "plugin.unbind": _("Plugin unbound"),
        "plugin.policy_update": _("Plugin approval policy changed"),
    }
)
