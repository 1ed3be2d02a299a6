"""Readable names of the merchants' audit actions (issue 10 item 5). No row names an API
key: a reveal or a rotation records the key's version only."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "merchant.apply": _("Payment application submitted"),
        "merchant.supplement": _("Payment application material added"),
        "merchant.approve": _("Merchant opened"),
        "merchant.reject": _("Payment application rejected"),
        "merchant.material_request": _("More material asked for the payment application"),
        "merchant.withdraw": _("Payment application withdrawn"),
        "merchant.provision": _("Merchant provisioned"),
        "merchant.key_reveal": _("Merchant API key shown"),
        "merchant.key_rotate": _("Merchant API key rotated"),
        "merchant.suspend": _("Merchant suspended"),
        "merchant.resume": _("Merchant resumed"),
    }
)
