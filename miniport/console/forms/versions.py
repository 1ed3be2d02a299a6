"""Version management forms (VER-1); views in `console/views/versions.py`.

The upload form only parses input: the version number and note are bounded to what the
stored columns hold, the archive is any file. Every rule (required version number,
lengths, the whole package validation) is `version_upload`'s, whose coded refusals land
on the field they name; a package refusal (it names the entry and the rule) lands on the
archive field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import attach_error, policy_size_text, text_field
from miniport.core import policy
from miniport.core.errors import PlatformError

ARCHIVE = "archive"
# What the form reads of a text field: well above the policy's limits, so that the
# service, not the form, names the rule a long version number or note breaks.
_INPUT_BOUND = 2000


class UploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Code package (zip)"),
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        help_text=policy_size_text(
            _(
                "A zip of the mini program's folder with app.json at its root; the console "
                "reads at most {limit}."
            ),
            limit="console.upload_max_bytes",
        ),
    )
    user_version = text_field(_INPUT_BOUND, label=_("Version number"))
    user_desc = text_field(
        _INPUT_BOUND, label=_("Project note"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A package over the cap never reaches the view behind the front (nginx answers
        # 413 with its own page and the form is lost): file-size-check.js says so on the
        # field before the file is sent.
        limit = policy.value("console.upload_max_bytes")
        self.fields["archive"].widget.attrs.update(
            {
                "data-max-bytes": str(limit),
                "data-too-large": _(
                    "This file is larger than %(mb)s MB, the most the console takes: upload "
                    "it with the miniport command instead."
                )
                % {"mb": f"{limit / (1024 * 1024):.0f}"},
            }
        )


def attach_upload_error(form: UploadForm, error: PlatformError) -> None:
    """A refusal of the upload on its field; one naming no field of the form is about the
    package (an entry and the rule it broke) and goes on the archive field."""
    if error.field in form.fields:
        attach_error(form, error)
    else:
        form.add_error(ARCHIVE, error.message())


def oversize_form(limit: int, form_class: type[UploadForm] = UploadForm) -> UploadForm:
    """The form (`form_class`) of an upload refused unread (larger than `limit`): nothing
    of the request was read, the archive field says why."""
    form = form_class(data={})
    form.is_valid()
    form.errors.clear()
    form.errors[ARCHIVE] = form.error_class(
        [
            _("The upload is larger than %(limit)s: the console did not read it.")
            % {"limit": filesizeformat(limit)}
        ]
    )
    return form
