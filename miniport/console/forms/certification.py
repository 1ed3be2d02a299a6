"""Settings › Basic settings › Certification (CER-1, CER-2): the application (contact and
the documents the subject type needs, one file field per document) and the supplement
the reviewer asked for. Views in `console/views/certification.py`. The form only parses;
the service checks every rule and its refusal lands on the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import text_field
from miniport.core import policy
from miniport.payments.certification import documents

_ACCEPT = "image/png,image/jpeg,application/pdf"


def _megabytes() -> str:
    size = policy.value("certification.document_max_bytes") / (1024 * 1024)
    return f"{size:.1f}".removesuffix(".0")


def _file_field(key: str, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=str(documents.LABELS[key]),
        required=False,  # the service says which are missing, on their fields
        help_text=gettext("PNG, JPEG or PDF, at most %(mb)s MB.") % {"mb": _megabytes()}
        if required
        else _("Optional. PNG, JPEG or PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": _ACCEPT}),
    )


class _DocumentsForm(forms.Form):
    def __init__(self, *args, subject_type: str, keys: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        required = documents.required_for(subject_type)
        for key in keys:
            self.fields[key] = _file_field(key, required=key in required)
        self.document_keys = keys

    def uploads(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.document_keys}


class ApplyForm(_DocumentsForm):
    contact_name = text_field(64, label=_("Contact name"))
    contact_phone = text_field(
        20,
        label=_("Contact phone"),
        help_text=_("A mainland mobile number the reviewer may call."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, subject_type: str, **kwargs):
        super().__init__(
            *args, subject_type=subject_type, keys=documents.allowed_for(subject_type), **kwargs
        )


class SupplementForm(_DocumentsForm):
    def __init__(self, *args, subject_type: str, **kwargs):
        super().__init__(
            *args, subject_type=subject_type, keys=documents.allowed_for(subject_type), **kwargs
        )
        for field in self.fields.values():
            field.help_text = _("PNG, JPEG or PDF.")
