"""The review desk: the queue's filters and the notes and reasons of a decision; views
in `ops/views/reviews.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.ops.forms.common import _any
from miniport.review import registry
from miniport.review.models import REASONS_MAX_LENGTH, ReviewState

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
        state_field.choices = list(ReviewState.choices) + [(ANY_STATE, _("any"))]

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


class ReviewRejectForm(ReviewNoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Refused above what the review keeps, never cut short; one reason per line.
        self.fields["reason"] = forms.CharField(
            label=_("Reasons, one per line"),
            max_length=REASONS_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.order_fields(["reason", "note"])
