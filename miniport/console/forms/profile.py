"""Basic settings forms (INF-1..INF-5): one form per field that may change, each with
its page title (`EDITS`); views in `console/views/profile.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from miniport.core import policy


class _LimitedTextForm(forms.Form):
    """One text field whose longest value comes from the policy table (`<rules>.max_length`)
    when the form is made, so an operator's override applies at once; the service
    checks the full rule."""

    field_name = ""
    rules = ""
    label: StrOrPromise = ""
    textarea = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = forms.Textarea(attrs={"rows": 4}) if self.textarea else None
        self.fields[self.field_name] = forms.CharField(
            label=self.label,
            max_length=policy.value(f"{self.rules}.max_length"),
            widget=widget,
        )


class NameForm(_LimitedTextForm):
    field_name = rules = "name"
    label = _("Mini program name")


class ShortNameForm(_LimitedTextForm):
    field_name = rules = "short_name"
    label = _("Short name")


class IntroductionForm(_LimitedTextForm):
    field_name = rules = "introduction"
    label = _("Introduction")
    textarea = True


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Avatar"),
        help_text=_("PNG or JPEG; it is cropped to a square."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )


EDITS = {
    "name": (NameForm, _("Change the name")),
    "short_name": (ShortNameForm, _("Change the short name")),
    "avatar": (AvatarForm, _("Change the avatar")),
    "introduction": (IntroductionForm, _("Change the introduction")),
}
