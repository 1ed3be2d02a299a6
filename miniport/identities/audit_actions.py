"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "identity.create": _("Identity created"),
        "identity.sign_in": _("Signed in on the phone"),
        "identity.sign_in_throttled": _("Phone sign-in throttled"),
        "identity.sign_up": _("Signed up on the phone"),
        "identity.signup_sms_sent": _("Sign-up SMS code sent"),
        "qr_ticket.confirm": _("Scan confirmed"),
        "qr_ticket.deny": _("Scan denied"),
    },
    families={
        "identity": _("Identity action"),
        "qr_ticket": _("Scan action"),
    },
)
