"""Plugin documentation form (PLG-6): the zip of the doc/ folder. The docs services check
everything; their refusals land on the field (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DocUploadForm(forms.Form):
    doc = forms.FileField(
        label=_("Documentation folder (zip)"),
        help_text=_(
            "A zip of the doc folder: README.md (UTF-8) and its PNG, JPEG or GIF images. "
            "Images from the network are not allowed."
        ),
    )
