"""The upload key form (B-10); views in `console/views/upload_keys.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from miniport.console.forms.common import text_field
from miniport.miniprograms.services.upload_keys import NAME_MAX


class UploadKeyForm(forms.Form):
    name = text_field(
        NAME_MAX,
        label=gettext_lazy("Key name"),
        help_text=gettext_lazy("For example the CI system that will use it."),
    )
