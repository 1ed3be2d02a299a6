"""The account form of the sign-up (REG-1); views in `console/views/signup.py`."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.console.forms.captcha import CaptchaInput
from miniport.console.forms.common import coded_message, policy_text, text_field
from miniport.core.errors import CoreError


class RegisterForm(forms.Form):
    """REG-1: the account form (seed 004, "帐号信息")."""

    email = text_field(
        254,
        label=_("Email"),
        help_text=_(
            "Used as the login account. Use an email that is not registered on the official "
            "account platform or the open platform and not bound to a personal account."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = text_field(
        128,
        label=_("Password"),
        strip=False,
        help_text=policy_text(
            _("Letters, digits or English symbols, at least {min} characters, case-sensitive."),
            min="registration.password_min_length",
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = text_field(
        128,
        label=_("Confirm password"),
        strip=False,
        help_text=_("Enter the password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    captcha = CaptchaField(
        label=_("Captcha"),
        widget=CaptchaInput(),
        error_messages={
            "invalid": coded_message(AccountError.CAPTCHA_INVALID),
            "required": coded_message(CoreError.FIELD_REQUIRED),
            "incomplete": coded_message(CoreError.FIELD_REQUIRED),
        },
    )
    agree = forms.BooleanField(
        required=False,
        label=_("I have read and agree to the Platform Service Agreement and the Privacy Policy"),
    )
