"""WeChat Pay forms (PAY-1): the merchant application, its supplement, the order search
and the bill's day; views in `console/views/payments.py` and `console/views/orders.py`.

Forms only parse and bound the input; the merchant services check every rule and their
refusals land on the field they name (`attach`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import attach_error, text_field
from miniport.core.errors import PlatformError
from miniport.payments.merchants import documents as docs
from miniport.payments.models import TradeState

IMAGE_HELP = _("An image (PNG, JPEG, GIF or BMP) of the document.")


class _DocumentUploads(forms.Form):
    """One upload field per document (`doc_<key>`), and the way back from a refusal
    about a document to its field."""

    def add_document_fields(self, *, required_marks: bool) -> None:
        for key, label, required in docs.DOCUMENTS:
            suffix = " *" if required and required_marks else ""
            self.fields[f"doc_{key}"] = forms.FileField(
                label=f"{label}{suffix}", required=False, help_text=IMAGE_HELP
            )

    def uploads(self) -> dict:
        return {
            key: self.cleaned_data.get(f"doc_{key}")
            for key, _label, _required in docs.DOCUMENTS
            if self.cleaned_data.get(f"doc_{key}") is not None
        }

    def attach(self, error: PlatformError) -> None:
        if error.field == docs.FIELD:
            named = str(error.params.get("document", ""))
            for key, label, _required in docs.DOCUMENTS:
                if named == str(label):
                    self.add_error(f"doc_{key}", error.message())
                    return
        attach_error(self, error)


class MerchantApplicationForm(_DocumentUploads):
    business_name = text_field(100, label=_("Business name"))
    business_category = text_field(60, label=_("Business category"))
    service_phone = text_field(20, label=_("Customer service phone"))
    contact_name = text_field(64, label=_("Contact person"))
    contact_email = text_field(254, label=_("Contact email"))
    settlement_account_name = text_field(100, label=_("Settlement account name"))
    settlement_bank = text_field(100, label=_("Bank of the settlement account"))
    settlement_account_number = text_field(
        40,
        label=_("Settlement account number"),
        help_text=_("8 to 30 digits. Kept encrypted; only the last four digits are shown."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_document_fields(required_marks=True)

    def service_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name, "")
            for name in self.fields
            if not name.startswith("doc_")
        }


class MerchantSupplementForm(_DocumentUploads):
    note = text_field(
        300,
        label=_("Note to the reviewer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_document_fields(required_marks=False)


class OrderSearchForm(forms.Form):
    q = text_field(
        64,
        label=_("Order number"),
        help_text=_("Merchant order number (out_trade_no) or transaction number."),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *TradeState.choices],
    )


class BillForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
