"""Open platform forms (OPN-1): the AppID of a mini program to bind, and the documents of
the developer qualification certification. The services check every rule; their
refusals land on the field they name (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DOCUMENT_FIELDS = ("document_1", "document_2", "document_3")


class AppIdForm(forms.Form):
    appid = forms.CharField(
        label=_("AppID of the mini program"),
        max_length=32,
        help_text=_("Its administrator confirms the binding by scan."),
    )


class CertificationForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(DOCUMENT_FIELDS, start=1):
            self.fields[name] = forms.FileField(
                label=_("Qualification document %(number)s") % {"number": number},
                required=number == 1,
                help_text=_("An image (PNG, JPEG, GIF or BMP)."),
            )

    def uploads(self) -> list:
        return [self.cleaned_data[name] for name in DOCUMENT_FIELDS if self.cleaned_data.get(name)]
