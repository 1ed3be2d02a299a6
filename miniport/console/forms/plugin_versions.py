"""Plugin version forms (PLG-7, PLG-8); views in `console/views/plugin_versions.py`.

The forms only parse input and bound its size; every rule (the package validation,
version number and note lengths, category, tags, images, description) is the plugin
versions services', whose coded refusals land on the field they name (a package refusal
on the archive field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import (
    attach_error,
    policy_size_text,
    policy_text,
    text_field,
)
from miniport.console.forms.submission import ScreenshotsField
from miniport.console.forms.versions import UploadForm
from miniport.core.errors import PlatformError
from miniport.plugins.development.catalog import category_label

_INPUT_BOUND = 2000


class PluginUploadForm(UploadForm):
    """The version upload form with the plugin's archive (plugin.json at its root) and
    the plugin's version number rule (x.y.z, higher than the latest release) told."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_version"].help_text = _(
            "Three numbers x.y.z, such as 1.0.0, higher than the latest released version."
        )

    archive = forms.FileField(
        label=_("Plugin code package (zip)"),
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        help_text=policy_size_text(
            _(
                "A zip of the plugin project with plugin.json at its root; the console "
                "reads at most {limit}."
            ),
            limit="console.upload_max_bytes",
        ),
    )


# Said on the version field when no version is chosen: whether one could be.
VERSION_REQUIRED = _("Choose the version to submit.")
NO_VERSION_TO_SUBMIT = _(
    "Every uploaded version has been released: upload a new version to submit it for review."
)


class PluginSubmitForm(forms.Form):
    """`versions` are the (pk, version number) of the uploads that may be submitted, the
    choices of the version field; which version may be submitted is the service's rule
    (its refusal lands on the field)."""

    version = forms.IntegerField(
        label=_("Version"),
        widget=forms.Select,
        error_messages={"required": VERSION_REQUIRED, "invalid": VERSION_REQUIRED},
    )
    category = forms.ChoiceField(label=_("Service category"), required=False)
    tags = text_field(
        _INPUT_BOUND,
        label=_("Tags"),
        help_text=policy_text(
            _("Separated by spaces or commas: at most {n} tags of {chars} characters each."),
            n="plugin_version.max_tags",
            chars="plugin_version.max_tag_chars",
        ),
    )
    description = text_field(
        _INPUT_BOUND * 5,
        label=_("Plugin description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=policy_text(
            _("What the plugin does, for the reviewer and its users. At most {n} characters."),
            n="plugin_version.max_description_chars",
        ),
    )
    preview_images = ScreenshotsField(
        label=_("Preview images"),
        required=False,
        help_text=policy_text(
            _("PNG, JPEG, GIF or BMP: at least one, at most {n}."),
            n="plugin_version.max_preview_images",
        ),
    )

    def __init__(self, *args, categories=(), versions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (f"{first}/{second}", category_label(first, second)) for first, second in categories
        ]
        version = self.fields["version"]
        version.widget.choices = [(pk, number) for pk, number in versions]  # type: ignore[attr-defined]
        if not versions:
            # An empty list says why there is nothing to choose, before and after a post.
            version.help_text = NO_VERSION_TO_SUBMIT
            version.error_messages["required"] = NO_VERSION_TO_SUBMIT


def attach_submit_error(form: PluginSubmitForm, error: PlatformError) -> None:
    if error.field in form.fields:
        attach_error(form, error)
    else:
        form.add_error(None, error.message())
