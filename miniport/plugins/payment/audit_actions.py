"""Readable names of the plugin payment audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "plugin.payment_apply": _("Plugin payment applied for"),
        "plugin.payment_supplement": _("Plugin payment material added"),
        "plugin.payment_approve": _("Plugin payment approved"),
        "plugin.payment_reject": _("Plugin payment rejected"),
        "plugin.payment_material_request": _("Plugin payment material requested"),
        "plugin.payment_withdraw": _("Plugin payment application withdrawn"),
    }
)
