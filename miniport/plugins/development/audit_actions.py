"""Readable names of the plugin development audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "plugin.enable": _("Plugin enabled"),
        "plugin.basic_update": _("Plugin basic information changed"),
        "plugin.devinfo_update": _("Plugin development information changed"),
    }
)
