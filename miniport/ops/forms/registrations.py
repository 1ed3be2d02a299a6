"""Registrations seen and decided by staff (REG-6, REG-7, REG-11): the list's filters
and the verify and fail decisions; views in `ops/views/registrations.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.models import RegistrationStatus, SubjectType, VerificationMethod
from miniport.ops.forms.common import _any


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(RegistrationStatus.choices)
    )
    subject_type = forms.ChoiceField(
        label=_("Subject type"), required=False, choices=_any(SubjectType.choices)
    )
    method = forms.ChoiceField(
        label=_("Verification method"), required=False, choices=_any(VerificationMethod.choices)
    )
    q = forms.CharField(label=_("Email or subject name"), required=False, max_length=100)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class FailForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
