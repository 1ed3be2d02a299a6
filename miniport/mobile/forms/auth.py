"""The identity sign-in form; views in `mobile/views/auth.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.core.branding import with_superapp_name


class SignInForm(forms.Form):
    wechat_id = forms.CharField(
        label=with_superapp_name(_("%(app)s ID")),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
