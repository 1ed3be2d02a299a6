"""The payer's decision on the phone payment page; view in `mobile/views/pay.py`."""

from __future__ import annotations

from django import forms

CONFIRM, CANCEL = "confirm", "cancel"


class PayDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (CANCEL, CANCEL)])
