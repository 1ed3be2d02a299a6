"""Forms of plugin usage (PLG-9, PLG-11, B-9): the search and the application of the
using mini program, the owner's answers and approval policy. Rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from miniport.console.forms.common import coded_message, option_labels, text_field
from miniport.core.errors import CoreError
from miniport.plugins.models import ApprovalPolicy
from miniport.plugins.usage.services import REASON_MAX


class PluginSearchForm(forms.Form):
    q = text_field(60, label=gettext_lazy("Plugin name"))
    appid = text_field(32, label=gettext_lazy("Plugin AppID"))
    category = forms.CharField(required=False, label=gettext_lazy("Service category"))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def category_ids(self) -> tuple[int | None, int | None]:
        raw = (self.cleaned_data.get("category") or "").strip()
        first, _, second = raw.partition("-")
        try:
            ids = int(first), int(second)
        except ValueError:
            return None, None
        # Category ids are small; a number past the database's integer is no category.
        return ids if all(0 < value < 2**31 for value in ids) else (None, None)


class PluginApplyForm(forms.Form):
    """The application of one search result: the console asks for a reason (the server
    API's is optional), said with the platform's own required-field message."""

    plugin_appid = forms.CharField(
        max_length=32,
        widget=forms.HiddenInput,
        error_messages={"required": coded_message(CoreError.FIELD_REQUIRED)},
    )
    reason = forms.CharField(
        required=True,
        max_length=REASON_MAX,
        label=gettext_lazy("Reason for applying"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": coded_message(CoreError.FIELD_REQUIRED)},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        required=True,
        max_length=REASON_MAX,
        label=gettext_lazy("Reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PolicyForm(forms.Form):
    approval_policy = forms.ChoiceField(
        choices=option_labels(ApprovalPolicy.choices),
        label=gettext_lazy("How applications are answered"),
        widget=forms.RadioSelect,
    )
    allowlist = forms.CharField(
        required=False,
        max_length=20000,
        label=gettext_lazy("Allowlist of AppIDs"),
        help_text=gettext_lazy(
            "One AppID per line; applications from these mini programs are approved at once."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
