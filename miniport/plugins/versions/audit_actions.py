"""Readable names of the plugin versions' audit actions (PLG-7, PLG-8)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "plugin.upload": _("Plugin version uploaded"),
        "plugin.submit": _("Plugin version submitted for review"),
        "plugin.withdraw": _("Plugin review withdrawn"),
        "plugin.approve": _("Plugin version approved"),
        "plugin.reject": _("Plugin version rejected"),
        "plugin.delay": _("Plugin review delayed"),
        "plugin.release": _("Plugin version released"),
    }
)
