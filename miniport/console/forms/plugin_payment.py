"""Plugin payment forms (PLG-10): the application (mode, sub-merchant or online service
and proof documents) and the supplement the reviewer asks for. The payment services check
every rule; their refusals land on the field they name (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.plugins.models import PluginPaymentMode

PROOF_FIELDS = ("proof_1", "proof_2", "proof_3", "proof_4")
PROOF_HELP = _("An image (PNG, JPEG, GIF or BMP) or a PDF file.")


class _Proofs(forms.Form):
    """The form's own fields, then one optional upload field per proof document."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(PROOF_FIELDS, start=1):
            self.fields[name] = forms.FileField(
                label=_("Proof document %(number)s") % {"number": number},
                required=False,
                help_text=PROOF_HELP,
            )

    def uploads(self) -> list:
        return [self.cleaned_data[name] for name in PROOF_FIELDS if self.cleaned_data.get(name)]


class PaymentApplicationForm(_Proofs):
    mode = forms.ChoiceField(label=_("Mode"), choices=PluginPaymentMode.choices)
    sub_mch_id = forms.CharField(
        label=_("Sub-merchant number"),
        max_length=13,
        required=False,
        help_text=_("Service-provider mode: the merchant number bound to this mini program."),
    )
    online_service = forms.CharField(
        label=_("Online service"),
        max_length=300,
        required=False,
        help_text=_(
            "Ordinary mode: the online service already selling these goods (official "
            "account, website, app or mini program)."
        ),
    )


class PaymentSupplementForm(_Proofs):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
