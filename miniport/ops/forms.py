"""Forms of the ops desk. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    Registration,
    RegistrationStatus,
    SubjectType,
    VerificationMethod,
)
from miniport.core import policy
from miniport.review import registry
from miniport.review.models import REASONS_MAX_LENGTH, ReviewState


def _any(choices) -> list[tuple[str, str]]:
    return [("", _("any"))] + list(choices)


class StaffLoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), max_length=128, widget=forms.PasswordInput)


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(RegistrationStatus.choices)
    )
    subject_type = forms.ChoiceField(
        label=_("Subject type"), required=False, choices=_any(SubjectType.choices)
    )
    method = forms.ChoiceField(
        label=_("Verification method"), required=False, choices=_any(VerificationMethod.choices)
    )
    q = forms.CharField(label=_("Email or subject name"), required=False, max_length=100)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class FailForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class StatementUploadForm(forms.Form):
    """A bank statement CSV (UTF-8): date, payer account name, amount in yuan, reference."""

    statement = forms.FileField(label=_("Bank statement (CSV)"), allow_empty_file=True)

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        limit = policy.value("registration.statement_max_bytes")
        # Checked before reading, so an oversized upload is never loaded into memory.
        if upload.size > limit:
            raise forms.ValidationError(AccountError.STATEMENT_TOO_LARGE.message(limit=limit))
        data = upload.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(AccountError.STATEMENT_NOT_UTF8.message())
        if not text.strip():
            raise forms.ValidationError(AccountError.STATEMENT_EMPTY.message())
        return text

    @property
    def filename(self) -> str:
        upload = self.files.get("statement")
        return getattr(upload, "name", "") or ""


class PendingRemittanceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Registration) -> str:
        subject = getattr(obj, "subject", None)
        remittance = getattr(obj, "remittance", None)
        parts = [obj.account.email, subject.name if subject else ""]
        if remittance is not None:
            parts.append(remittance.reference)
        return " · ".join(p for p in parts if p)


class LineAssignForm(forms.Form):
    # Only registrations still waiting for their remittance can take a payment.
    # (Querysets are lazy and copied per form, so each form sees the current rows.)
    registration = PendingRemittanceChoice(
        label=_("Registration"),
        queryset=Registration.objects.filter(status=RegistrationStatus.PENDING_REMITTANCE)
        .select_related("account", "subject", "remittance")
        .order_by("-confirmed_at", "-id"),
        empty_label=_("choose the registration this payment belongs to"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class LineDismissForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=300)


class PolicyOverrideForm(forms.Form):
    # The value is checked by the service (a whole number, 0 or more), not here,
    # so the one rule lives in one place.
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    value = forms.CharField(label=_("Value"), max_length=30, required=False)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    appid = forms.CharField(label=_("AppID"), required=False, max_length=32)


# --- the review desk ----------------------------------------------------------------

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
