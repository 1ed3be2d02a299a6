"""The email login form (REG-10); views in `console/views/login.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import text_field


class LoginForm(forms.Form):
    email = text_field(
        254,
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = text_field(
        128,
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        # Labels without a colon, as on the console's other forms and the desk's sign-in.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
