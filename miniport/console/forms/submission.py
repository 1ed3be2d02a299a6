"""Submit for review (VER-3, VER-4, B-4) and the release actions (VER-6, B-5); views in
`console/views/submission.py` and `console/views/release.py`.

The submission form is a fixed set of `submit.max_items` item-group rows (no script
needed): a row left empty is no group. Pages come from the development version's
package, categories from the mini program's approved categories. The test-account
fields exist only while the entry is open (`needs_test_account`, VER-4). Every rule
(counts, lengths, pages, categories, the test account) is the submit service's; the
form bounds input sizes, turns the rows into the service's item groups and keeps the
screenshots checked at the first step as temporary media ids.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import policy_text
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.models import MiniProgramCategory

# A page path, tags or a title longer than this is no input the service could accept;
# the form bounds what it reads, the service names the rule.
_INPUT_BOUND = 500


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Several image files in one input; each is checked by content by the media service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleImageInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/bmp"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def category_value(category: MiniProgramCategory) -> str:
    return f"{category.first_id}:{category.second_id}"


class SubmitForm(forms.Form):
    """VER-3: item groups, description, feedback, screenshots; VER-4: the test account."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Version description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=policy_text(
            _("What this version does, for the reviewer. At most {n} characters."),
            n="submit.max_description_chars",
        ),
    )
    feedback = forms.CharField(
        label=_("Feedback to the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=policy_text(
            _("Anything the reviewer should know. At most {n} characters."),
            n="submit.max_feedback_chars",
        ),
    )
    screenshots = ScreenshotsField(
        label=_("Preview screenshots"),
        required=False,
        help_text=policy_text(
            _("At most {n} images (PNG, JPEG, GIF or BMP); each is checked and re-encoded."),
            n="submit.max_screenshots",
        ),
    )
    # The screenshots accepted at the checking step, as temporary media ids.
    shots = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    privacy_declared = forms.BooleanField(
        label=_("The privacy guidelines cover the privacy-sensitive APIs the code calls"),
        required=False,
    )

    def __init__(self, *args, pages=(), categories=(), test_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = int(policy.value("submit.max_items"))
        self.test_account = test_account
        self.categories = {category_value(c): c for c in categories}
        page_choices = [("", "—")] + [(page, page) for page in pages]
        category_choices = [("", "—")] + [
            (value, catalog.label_in(c.first_name, c.second_name))
            for value, c in self.categories.items()
        ]
        for row in range(1, self.rows + 1):
            self.fields[f"item{row}_address"] = forms.ChoiceField(
                label=_("Page"), required=False, choices=page_choices
            )
            self.fields[f"item{row}_category"] = forms.ChoiceField(
                label=_("Category"), required=False, choices=category_choices
            )
            self.fields[f"item{row}_tag"] = forms.CharField(
                label=_("Tags"),
                required=False,
                max_length=_INPUT_BOUND,
                help_text=policy_text(
                    _("Separated by spaces: at most {n} tags of at most {chars} characters."),
                    n="submit.max_tags",
                    chars="submit.max_tag_chars",
                ),
            )
            self.fields[f"item{row}_title"] = forms.CharField(
                label=_("Title"),
                required=False,
                max_length=_INPUT_BOUND,
                help_text=policy_text(
                    _("Titles: at most {n} characters."), n="submit.max_title_chars"
                ),
            )
        if test_account:
            self.fields["test_account"] = forms.CharField(
                label=_("Test account"), required=False, max_length=_INPUT_BOUND
            )
            self.fields["test_password"] = forms.CharField(
                label=_("Test password"), required=False, max_length=_INPUT_BOUND
            )
            self.fields["test_note"] = forms.CharField(
                label=_("Note on the test account"),
                required=False,
                max_length=_INPUT_BOUND,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def item_rows(self) -> list[dict[str, Any]]:
        """The rows' bound fields, for the template."""
        return [
            {
                "number": row,
                "fields": [
                    self[f"item{row}_{name}"] for name in ("address", "category", "tag", "title")
                ],
            }
            for row in range(1, self.rows + 1)
        ]

    def items(self) -> list[dict[str, Any]]:
        """The filled rows as the service's item groups (empty rows are no group)."""
        data = self.cleaned_data
        groups = []
        for row in range(1, self.rows + 1):
            values = {
                name: data.get(f"item{row}_{name}") or ""
                for name in ("address", "category", "tag", "title")
            }
            if not any(str(v).strip() for v in values.values()):
                continue
            group: dict[str, Any] = {
                "address": values["address"],
                "tag": values["tag"],
                "title": values["title"],
            }
            category = self.categories.get(values["category"])
            if category is not None:
                group.update(
                    first_class=category.first_name,
                    second_class=category.second_name,
                    first_id=category.first_id,
                    second_id=category.second_id,
                )
            groups.append(group)
        return groups

    def account(self) -> dict[str, str] | None:
        """The test account as the service takes it (None while the entry is closed)."""
        if not self.test_account:
            return None
        data = self.cleaned_data
        account = {
            "account": data.get("test_account", ""),
            "password": data.get("test_password", ""),
            "note": data.get("test_note", ""),
        }
        # Nothing filled in is no test account (the service says whether one is needed).
        return account if any(str(v).strip() for v in account.values()) else None

    def media_ids(self) -> list[str]:
        return [part for part in (self.cleaned_data.get("shots") or "").split(",") if part]


class GrayForm(forms.Form):
    """B-5: the share of users who get the approved version; it only goes up."""

    # Text: the service names the rule (a whole number from 0 to 100, only upward).
    percentage = forms.CharField(
        label=_("Gray percentage"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    members_first = forms.BooleanField(
        label=_("Project members and experience members first"), required=False
    )

    # The gray release service names the percentage by its wire name.
    SERVICE_FIELDS = {"gray_percentage": "percentage"}

    def attach(self, error: PlatformError) -> bool:
        """The service's refusal on the field it names; False when it names none of
        this form's fields (the refusal is about something else: the page says it)."""
        field = self.SERVICE_FIELDS.get(error.field or "")
        if field is None:
            return False
        if field not in self.errors:  # the form's own word on the input stands
            self.add_error(field, error.message())
        return True


class VisitForm(forms.Form):
    """Pause or resume the service; the confirmation page sends `confirmed`."""

    open = forms.TypedChoiceField(
        choices=(("1", _("open")), ("0", _("paused"))), coerce=lambda v: v == "1"
    )
    confirmed = forms.BooleanField(required=True)


class RollbackForm(forms.Form):
    """B-5: one of the listed released versions (`release` is its release row)."""

    release = forms.IntegerField(widget=forms.HiddenInput)
