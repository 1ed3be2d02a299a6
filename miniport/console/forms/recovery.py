"""The forms of "forgot account or password" (issue 10 item 2); views in
`console/views/recovery.py`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.console.forms.captcha import captcha_field
from miniport.console.forms.common import (
    coded_message,
    new_password_field,
    password_confirm_field,
    text_field,
)
from miniport.core.errors import CoreError


class ForgotPasswordForm(forms.Form):
    email = text_field(
        254,
        label=_("Email"),
        help_text=_("The email you log in with."),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    captcha = captcha_field()

    def clean_email(self) -> str:
        """The email is required and must be an email address: the service answers any
        string alike (no enumeration), so without this an empty or malformed one would be
        "sent" a mail that goes nowhere. Both refusals say nothing about accounts."""
        email = (self.cleaned_data.get("email") or "").strip()
        if not email:
            raise ValidationError(coded_message(CoreError.FIELD_REQUIRED), code="required")
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                coded_message(AccountError.EMAIL_INVALID), code="invalid"
            ) from None
        return email


class ResetPasswordForm(forms.Form):
    password = new_password_field(_("New password"))
    password_confirm = password_confirm_field()
