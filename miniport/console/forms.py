"""Console forms. They only parse and render input; every rule is checked by the
accounts services, whose coded errors land on the field they name."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.accounts.models import VerificationMethod
from miniport.accounts.selectors import yuan
from miniport.accounts.subject_types import SUBJECT_TYPES, methods_for
from miniport.core import policy
from miniport.core.errors import CoreError, ErrorCode


def _coded(code: ErrorCode) -> str:
    return code.message()


# A coded message in the language active when it is shown.
coded_message = lazy(_coded, str)


def _policy_text(text: str | Promise, **keys: str) -> str:
    return str(text).format(**{name: policy.value(key) for name, key in keys.items()})


policy_text = lazy(_policy_text, str)


def _text(max_length: int, **extra) -> forms.CharField:
    # Required-ness is the services' rule; the form only bounds the size of the input.
    return forms.CharField(required=False, max_length=max_length, **extra)


class RegisterForm(forms.Form):
    """REG-1: the account form (seed 004, "帐号信息")."""

    email = _text(
        254,
        label=_("Email"),
        help_text=_(
            "Used as the login account. Use an email that is not registered on the official "
            "account platform or the open platform and not bound to a personal account."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = _text(
        128,
        label=_("Password"),
        strip=False,
        help_text=policy_text(
            _("Letters, digits or English symbols, at least {min} characters, case-sensitive."),
            min="registration.password_min_length",
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = _text(
        128,
        label=_("Confirm password"),
        strip=False,
        help_text=_("Enter the password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    captcha = CaptchaField(
        label=_("Captcha"),
        error_messages={
            "invalid": coded_message(AccountError.CAPTCHA_INVALID),
            "required": coded_message(CoreError.FIELD_REQUIRED),
            "incomplete": coded_message(CoreError.FIELD_REQUIRED),
        },
    )
    agree = forms.BooleanField(
        required=False,
        label=_(
            "I have read and agree to the 《Platform Service Agreement》 and the "
            "《Mini Program Platform Terms of Service》"
        ),
    )


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
        spec = SUBJECT_TYPES.get(subject_type)
        if spec is None:
            return
        for field in spec.fields:
            self.fields[field.key] = _text(
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


class AdminForm(forms.Form):
    """REG-5 / REG-8: the administrator (seed 004, "管理员信息")."""

    admin_name = _text(64, label=_("Administrator's ID-card name"))
    admin_id_number = _text(
        30,
        label=_("Administrator's ID number"),
        help_text=policy_text(
            _("One ID number can register at most {limit} mini programs."),
            limit="registration.id_number_max_miniprograms",
        ),
    )
    phone = _text(
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
    sms_code = _text(
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


class LoginForm(forms.Form):
    email = _text(
        254,
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = _text(
        128,
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
