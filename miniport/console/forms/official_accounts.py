"""Forms of the official-account console and of the mini program's official accounts
(OA-1, OA-3). They only parse input; the services check every rule and their refusals
land on the field they name (`attach_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import appid_field, text_field
from miniport.links.official_accounts import menu as menus
from miniport.links.official_accounts.services import INTRODUCTION_MAX, NAME_MAX


class ProfileForm(forms.Form):
    name = text_field(NAME_MAX * 2, label=_("Name"))
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=INTRODUCTION_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppIdForm(forms.Form):
    appid = appid_field()


KINDS = (("", _("(no button)")), ("view", _("Web page")), ("miniprogram", _("Mini program")))


class MenuForm(forms.Form):
    """One row of fields per button the policy allows: its kind, name, URL (the web
    page, or the fallback of a mini program button), mini program and page path."""

    def __init__(self, *args, buttons: int, linked: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [("", "—"), *linked]
        for i in range(buttons):
            self.fields[f"button_{i}_type"] = forms.ChoiceField(
                label=_("Kind"), choices=KINDS, required=False
            )
            self.fields[f"button_{i}_name"] = forms.CharField(
                label=_("Button name"), required=False, max_length=120
            )
            self.fields[f"button_{i}_url"] = forms.CharField(
                label=_("Web page or fallback URL"), required=False, max_length=menus.URL_MAX * 2
            )
            self.fields[f"button_{i}_appid"] = forms.ChoiceField(
                label=_("Mini program"), choices=choices, required=False
            )
            self.fields[f"button_{i}_pagepath"] = forms.CharField(
                label=_("Page path"), required=False, max_length=menus.PAGEPATH_MAX * 2
            )
            self.rows.append(
                [
                    self[f"button_{i}_{part}"]
                    for part in ("type", "name", "url", "appid", "pagepath")
                ]
            )

    @staticmethod
    def initial_for(buttons: list[dict[str, str]]) -> dict[str, str]:
        initial = {}
        for i, button in enumerate(buttons):
            for part in ("type", "name", "url", "appid", "pagepath"):
                initial[f"button_{i}_{part}"] = button.get(part, "")
        return initial

    def buttons(self, count: int) -> list[dict[str, Any]]:
        """The buttons entered, rows without a kind left out."""
        data = self.cleaned_data
        found = []
        for i in range(count):
            kind = data.get(f"button_{i}_type") or ""
            if not kind:
                continue
            button = {
                part: data.get(f"button_{i}_{part}") or ""
                for part in ("name", "url", "appid", "pagepath")
            }
            found.append({"type": kind, **button})
        return found
