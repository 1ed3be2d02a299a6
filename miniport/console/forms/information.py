"""The information registration forms (REG-4..REG-9): the subject, the administrator and
the confirmation; views in `console/views/information.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.models import VerificationMethod
from miniport.accounts.selectors import yuan
from miniport.accounts.subject_types import SUBJECT_TYPES, methods_for
from miniport.console.forms.common import coded_message, policy_text, text_field
from miniport.core import policy
from miniport.core.errors import CoreError

METHOD_LABELS = {
    VerificationMethod.REMITTANCE: _(
        "Corporate remittance: remit a small amount from the company's corporate account to "
        "the platform to verify the subject. The remittance details are shown after the subject "
        "information is submitted; the money must arrive within {days} days."
    ),
    VerificationMethod.CERTIFICATION: _(
        "Certification: verify the subject by certification, with a fee of {fee} yuan. Until "
        "certified, some functions of the mini program are unavailable."
    ),
}


def method_choices(methods: set[str]) -> list[tuple[str, str]]:
    texts = {
        VerificationMethod.REMITTANCE: str(METHOD_LABELS[VerificationMethod.REMITTANCE]).format(
            days=policy.value("registration.remittance_window_days")
        ),
        VerificationMethod.CERTIFICATION: str(
            METHOD_LABELS[VerificationMethod.CERTIFICATION]
        ).format(fee=yuan(policy.value("registration.certification_fee_fen"))),
    }
    order = (VerificationMethod.REMITTANCE, VerificationMethod.CERTIFICATION)
    return [(method.value, texts[method]) for method in order if method in methods]


class SubjectForm(forms.Form):
    """REG-4: the chosen subject type's own fields, as the subject-type table lists them."""

    country = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    subject_type = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, subject_type: str, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._subject_type = subject_type
        spec = SUBJECT_TYPES.get(subject_type)
        if spec is None:
            return
        for field in spec.fields:
            self.fields[field.key] = text_field(
                field.max_length, label=field.label, help_text=field.help
            )
        if "id_number" in self.fields:
            self.fields["id_number"].help_text = policy_text(
                _(
                    "Enter your ID card number. One ID number can register at most {limit} mini programs."
                ),
                limit="registration.id_number_max_miniprograms",
            )
        if not spec.is_personal:
            # A plain text field on purpose: a method the type may not use reaches the
            # service, which refuses it with its coded reason (REG-7).
            self.fields["verification_method"] = forms.CharField(
                required=False,
                max_length=20,
                label=_("Verification method"),
                widget=forms.RadioSelect(
                    choices=method_choices(methods_for(subject_type, country))
                ),
            )

    def required_fields(self) -> list[str]:
        """The chosen type's own fields and, for organizations, the verification method:
        the fields the service refuses when empty (REG-4)."""
        spec = SUBJECT_TYPES.get(self._subject_type)
        if spec is None:
            return []
        names = [field.key for field in spec.fields]
        if not spec.is_personal:
            names.append("verification_method")
        return names

    def flag_empty_required(self) -> None:
        """After a refusal: every required field left empty is named, so one submission
        shows them all (the service stops at its first refusal), each with the same
        "required" message (the service calls an empty ID number invalid)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name in self.required_fields():
            if name not in self.fields or str(self.data.get(name) or "").strip():
                continue
            self.errors.pop(name, None)
            self.add_error(name, str(coded_message(CoreError.FIELD_REQUIRED)))


class AdminForm(forms.Form):
    """REG-5 / REG-8: the administrator (seed 004, "管理员信息")."""

    admin_name = text_field(64, label=_("Administrator's ID-card name"))
    admin_id_number = text_field(
        30,
        label=_("Administrator's ID number"),
        help_text=policy_text(
            _("One ID number can register at most {limit} mini programs."),
            limit="registration.id_number_max_miniprograms",
        ),
    )
    phone = text_field(
        20,
        label=_("Administrator's mobile phone"),
        help_text=policy_text(
            _(
                "Enter your phone number. One phone number can register at most {limit} mini programs."
            ),
            limit="registration.phone_max_miniprograms",
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    sms_code = text_field(
        10,
        label=_("SMS verification code"),
        help_text=policy_text(
            _("Enter the {length}-digit code received by SMS."),
            length="registration.sms_code_length",
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if personal:
            # A personal subject's administrator is the person registered in the previous step.
            del self.fields["admin_name"]
            del self.fields["admin_id_number"]


class ConfirmForm(forms.Form):
    understood = forms.BooleanField(
        label=_(
            "I understand that the subject information can never be changed after confirmation."
        ),
        error_messages={
            "required": _("Tick the box to confirm that you understand this."),
        },
    )
