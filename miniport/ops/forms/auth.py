"""The staff sign-in form; views in `ops/views/auth.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), max_length=128, widget=forms.PasswordInput)
