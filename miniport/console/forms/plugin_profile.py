"""Plugin basic and development information forms (PLG-1..PLG-5); views in
`console/views/plugin_profile.py`.

The forms only parse input and bound its size; every rule (name, introduction, contact,
add method, category, avatar, server domains, Token) is the plugin development
services', whose coded refusals land on the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import attach_error, policy_text, text_field
from miniport.core.errors import PlatformError
from miniport.plugins.models import AddMethod

_INPUT_BOUND = 2000


class PluginBasicForm(forms.Form):
    """Enabling (PLG-3) and editing (PLG-5) share the basic information fields."""

    name = text_field(
        _INPUT_BOUND,
        label=_("Plugin name"),
        help_text=policy_text(
            _("{min} to {max} characters, unique among plugins and mini programs."),
            min="plugin.name_min_length",
            max="plugin.name_max_length",
        ),
    )
    introduction = text_field(
        _INPUT_BOUND,
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=policy_text(
            _("{min} to {max} characters."),
            min="plugin.introduction_min_length",
            max="plugin.introduction_max_length",
        ),
    )
    add_method = forms.ChoiceField(
        label=_("Add method"), choices=AddMethod.choices, initial=AddMethod.SEARCH
    )
    service_contact = text_field(_INPUT_BOUND, label=_("Customer service contact"))
    category = forms.ChoiceField(label=_("Service category"), required=False)

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(choice.key, choice.display_label) for choice in categories]

    def category_ids(self) -> tuple[str | None, str | None]:
        first, _sep, second = (self.cleaned_data.get("category") or "").partition(":")
        return (first or None, second or None)


class PluginEditForm(PluginBasicForm):
    avatar = forms.FileField(
        label=_("Plugin avatar"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG or JPEG; stored square, without metadata."),
    )


class PluginDevForm(forms.Form):
    server_domains = text_field(
        _INPUT_BOUND * 4,
        label=_("Server domains"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=policy_text(
            _("One https:// domain a line, at most {max}."), max="plugin.server_domains_max"
        ),
    )
    token = text_field(
        _INPUT_BOUND,
        label=_("Token"),
        help_text=policy_text(
            _("{min} to {max} letters or digits; leave blank for none."),
            min="plugin.token_min_length",
            max="plugin.token_max_length",
        ),
    )

    def domains(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("server_domains") or "").splitlines()
        ]


def attach_plugin_error(form: forms.Form, error: PlatformError) -> None:
    if error.field in form.fields:
        attach_error(form, error)
    else:
        form.add_error(None, error.message())
