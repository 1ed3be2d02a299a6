"""The audit log's filters and keyset position (B-7); views in `ops/views/audit.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    appid = forms.CharField(label=_("AppID"), required=False, max_length=32)
    # The page older than `before` or newer than `after` (entry ids).
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
