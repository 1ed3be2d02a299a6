"""The forms of "forgot account or password" (issue 10 item 2); views in
`console/views/recovery.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.captcha import captcha_field
from miniport.console.forms.common import (
    new_password_field,
    password_confirm_field,
    text_field,
)


class ForgotPasswordForm(forms.Form):
    email = text_field(
        254,
        label=_("Email"),
        help_text=_("The email you log in with."),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    captcha = captcha_field()


class ResetPasswordForm(forms.Form):
    password = new_password_field(_("New password"))
    password_confirm = password_confirm_field()
