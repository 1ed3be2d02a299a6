"""Readable names of this domain's audit actions, for the audit pages (issue 10 item 5)."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "account.register": _("Account registered"),
        "account.activate": _("Account activated"),
        "account.activation_resend": _("Activation mail sent again"),
        "account.login": _("Console login"),
        "account.login_throttled": _("Console login throttled"),
        "account.staff_create": _("Staff account created"),
        "account.password_set": _("Password set"),
        "account.password_reset_request": _("Password reset requested"),
        "account.password_reset": _("Password was reset"),
        "account.email_recovered": _("Login email recovered"),
        "registration.transition": _("Registration status changed"),
        "registration.subject_saved": _("Subject information saved"),
        "registration.sms_sent": _("Administrator SMS code sent"),
        "registration.admin_saved": _("Administrator information saved"),
        "registration.admin_check_requested": _("Administrator scan requested"),
        "registration.admin_checked": _("Administrator verified by scan"),
        "registration.confirm": _("Registration confirmed"),
        "remittance.statement_import": _("Bank statement imported"),
        "remittance.line_resolve": _("Bank statement line decided"),
        "subject.certify": _("Subject certified"),
    },
    families={
        "account": _("Account action"),
        "registration": _("Registration action"),
        "remittance": _("Remittance action"),
        "subject": _("Subject action"),
    },
)
