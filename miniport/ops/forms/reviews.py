"""The review desk: the queue's filters and the notes, reasons and screenshots of a
decision; views in `ops/views/reviews.py`.

A rejection takes coded reasons (the kind's `reason_choices`, several may be picked) and
free text, one reason per line: at least one of the two. Screenshots are optional
images, checked by their content (format and size before decoding) and re-encoded from
their pixels (`miniprograms.services.images`), at most `SCREENSHOTS_MAX`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images
from miniport.ops.forms.common import _any, option_labels
from miniport.review import registry
from miniport.review.models import REASONS_MAX_LENGTH, ReviewState
from miniport.review.services import SCREENSHOTS_MAX

SCREENSHOT_FORMATS = frozenset({images.PNG, images.JPEG})

# The state filter's value for "every state" ("" would be the same as no filter, which
# means the open reviews).
ANY_STATE = "all"


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    appid = forms.CharField(label=_("AppID"), required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        state_field = self.fields["state"]
        assert isinstance(kind_field, forms.ChoiceField)
        assert isinstance(state_field, forms.ChoiceField)
        kind_field.choices = _any((kind.key, kind.label) for kind in registry.kinds())
        state_field.choices = option_labels([*ReviewState.choices, (ANY_STATE, _("any"))])

    def filters(self) -> dict[str, str]:
        """What the queue selector takes; the open reviews when no state is chosen."""
        data = self.cleaned_data
        state = data.get("state") or ReviewState.PENDING
        return {
            "kind": data.get("kind") or "",
            "state": "" if state == ANY_STATE else state,
            "appid": (data.get("appid") or "").strip(),
        }


class ReviewNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Zero or more uploaded images, each checked and re-encoded: (bytes, format)."""

    widget = MultipleImageInput(attrs={"accept": "image/png,image/jpeg"})

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > SCREENSHOTS_MAX:
            raise forms.ValidationError(
                _("At most %(max)s screenshots."), params={"max": SCREENSHOTS_MAX}
            )
        checked = []
        for upload in uploads:
            try:
                data_bytes = images.read_capped(
                    upload, policy.value("ops.review_screenshot_bytes"), field="screenshots"
                )
                inspected = images.inspect(
                    data_bytes,
                    formats=SCREENSHOT_FORMATS,
                    field="screenshots",
                    max_side=policy.value("ops.review_screenshot_side"),
                )
                checked.append((images.reencode(inspected, field="screenshots"), inspected.format))
            except PlatformError as error:
                name = getattr(upload, "name", "")
                raise forms.ValidationError(f"{name}: {error.message()}") from None
        return checked


class CodedRejectForm(ReviewNoteForm):
    """A rejection with coded reasons (the kind's catalog), free text, or both, and the
    reviewer's screenshots."""

    reason_keys = forms.MultipleChoiceField(
        label=_("Reasons from the catalog"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Other reasons, one per line"),
        required=False,
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    screenshots = ScreenshotsField(label=_("Screenshots"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason_keys"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(choices)
        self.order_fields(["reason_keys", "reason", "screenshots", "note"])

    def clean(self):
        """The missing or too long reasons are said on the reason field, where the
        reviewer writes them (the catalog's boxes stand above it)."""
        data = super().clean() or {}
        keys = list(data.get("reason_keys") or [])
        lines = [line for line in (data.get("reason") or "").splitlines() if line.strip()]
        if "reason" in self.errors:
            return data
        if not keys and not lines:
            message = (
                _("Pick a reason from the catalog or write one.")
                if self.fields["reason_keys"].choices  # type: ignore[attr-defined]
                else _("Write the reason for the rejection.")
            )
            self.add_error("reason", message)
        elif len("\n".join(keys + lines)) > REASONS_MAX_LENGTH:
            self.add_error(
                "reason",
                forms.ValidationError(
                    _("The reasons may have at most %(max)s characters."),
                    params={"max": REASONS_MAX_LENGTH},
                ),
            )
        else:
            data["reasons"] = keys + lines
        return data


class ReviewDelayForm(ReviewNoteForm):
    """Why the decision takes longer (the review stays open)."""

    reason = forms.CharField(
        label=_("Why the review is delayed"),
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the review is delayed.")},
    )
    screenshots = ScreenshotsField(label=_("Screenshots"), required=False)

    def __init__(self, *args, asks_for_material: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Kinds whose delay asks the applicant for more material say so.
        if asks_for_material:
            reason = self.fields["reason"]
            reason.label = _("What material the applicant must add")
            reason.error_messages["required"] = _("Write what material the applicant must add.")
