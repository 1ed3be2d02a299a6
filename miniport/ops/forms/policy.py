"""An operator's override of one policy row (B-8); views in `ops/views/policy.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PolicyOverrideForm(forms.Form):
    # The value is checked by the service (a whole number, 0 or more), not here,
    # so the one rule lives in one place.
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    value = forms.CharField(label=_("Value"), max_length=30, required=False)
