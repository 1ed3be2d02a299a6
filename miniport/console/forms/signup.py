"""The account form of the sign-up (REG-1); views in `console/views/signup.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.captcha import captcha_field
from miniport.console.forms.common import (
    new_password_field,
    password_confirm_field,
    text_field,
)


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
    password = new_password_field(_("Password"))
    password_confirm = password_confirm_field()
    captcha = captcha_field()
    agree = forms.BooleanField(
        required=False,
        label=_("I have read and agree to the Platform Service Agreement and the Privacy Policy"),
    )
