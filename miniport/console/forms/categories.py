"""Service category forms (INF-6, INF-7): add a category, renew a rejected one's
qualifications; views in `console/views/categories.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import attach_error
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.services import categories as category_services


class _QualificationUploads:
    """One upload field per qualification a category asks for (`certificate_1`, ...),
    and the mapping back from a refusal about a qualification to its field."""

    fields: dict
    qualification_fields: dict[str, str]

    def add_qualification_fields(self, pair: catalog.Pair | None) -> None:
        self.qualification_fields = {}
        for n, name in enumerate(category_services.required_qualifications(pair), start=1):
            field_name = f"certificate_{n}"
            self.fields[field_name] = forms.FileField(
                label=catalog.name_in(name)
                if pair and pair.second.qualifications
                else _("Qualification"),
                required=False,
                help_text=_("An image (PNG, JPEG, GIF or BMP) of the document."),
            )
            self.qualification_fields[name] = field_name

    def uploads(self, cleaned_data: dict) -> dict:
        return {name: cleaned_data.get(field) for name, field in self.qualification_fields.items()}

    def attach(self, error: PlatformError) -> None:
        """The refusal on the upload field of the qualification it names."""
        target = self.qualification_fields.get(error.params.get("qualification", ""))
        if target is None and error.field == "certificates" and self.qualification_fields:
            target = next(iter(self.qualification_fields.values()))
        if target is not None:
            error = PlatformError(error.code, field=target, **error.params)
        attach_error(self, error)  # type: ignore[arg-type]


class CategoryAddForm(_QualificationUploads, forms.Form):
    """Pick a category; a sensitive one shows one upload per qualification it asks for
    (after choosing it, or at once with `?category=<first>:<second>`)."""

    category = forms.ChoiceField(
        label=_("Service category"),
        error_messages={"required": _("Choose a service category.")},
    )

    def __init__(self, *args, pairs: list[catalog.Pair], selected: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = {f"{p.first.id}:{p.second.id}": p for p in pairs}
        # The list starts on no category: an untouched form chooses nothing (and is
        # asked to), rather than the first category, which may be added already.
        self.fields["category"].choices = [("", "—")] + [
            (key, f"{pair.display_label}{' *' if pair.sensitive else ''}")
            for key, pair in self.pairs.items()
        ]
        self.pair = self.pairs.get(selected)
        if self.pair is not None:
            self.initial["category"] = selected
        self.add_qualification_fields(self.pair)


class CertificateForm(_QualificationUploads, forms.Form):
    """New documents for a rejected category, one per qualification."""

    def __init__(self, *args, pair: catalog.Pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_qualification_fields(pair)
