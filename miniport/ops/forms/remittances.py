"""Bank statement import and the decisions on unmatched lines (REG-6a); views in
`ops/views/remittances.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Registration, RegistrationStatus
from miniport.core import policy


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
    """Shown beside the line's assign form with the same prefix (the posted names stay
    `line<pk>-note`), so its ids carry their own start: each label focuses its own field."""

    note = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_dismiss_%s")
        super().__init__(*args, **kwargs)
