"""The forms of "forgot account or password" (issue 10 item 2); views in
`console/views/recovery.py`."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.console.forms.captcha import CaptchaInput
from miniport.console.forms.common import coded_message, policy_text, text_field
from miniport.core.errors import CoreError


class ForgotPasswordForm(forms.Form):
    email = text_field(
        254,
        label=_("Email"),
        help_text=_("The email you log in with."),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
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


class ResetPasswordForm(forms.Form):
    password = text_field(
        128,
        label=_("New password"),
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
