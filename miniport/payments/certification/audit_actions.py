"""Readable names of certification's audit actions, for the audit pages."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "certification.apply": _("Certification applied for"),
        "certification.fee_order": _("Certification fee order made"),
        "certification.fee_paid": _("Certification fee paid"),
        "certification.fee_remittance": _("Certification fee remittance recorded"),
        "certification.approve": _("Certification approved"),
        "certification.reject": _("Certification rejected"),
        "certification.material_request": _("More certification material requested"),
        "certification.supplement": _("Certification material added"),
        "certification.reminder": _("Certification expiry reminder sent"),
        "certification.withdraw": _("Certification application withdrawn"),
    },
    families={"certification": _("Certification action")},
    fields={
        "fee_channel": _("Fee channel"),
        "fee_reference": _("Fee reference"),
        "documents": _("Documents"),
        "certified_until": _("Certified until"),
    },
)
