"""The sign-up form of the phone pages (issue 10 item 1); views in `mobile/views/signup.py`.

The form only bounds what it reads; the rules (WeChat ID, password, phone and its SMS
code, name and ID number) are the identities domain's (`identities.signup`), whose
refusals land on the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.core.branding import with_superapp_name


class SignUpForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}
        ),
    )
    sms_code = forms.CharField(
        label=_("SMS verification code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    wechat_id = forms.CharField(
        label=with_superapp_name(_("%(app)s ID")),
        max_length=40,
        help_text=_("6 to 20 letters, digits, _ or -, starting with a letter."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Confirm the password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    real_name = forms.CharField(
        label=_("Name on the ID card"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    # What the sign-up action reads, in the order the page asks for it.
    SIGN_UP_FIELDS = (
        "wechat_id",
        "password",
        "password_confirm",
        "phone",
        "sms_code",
        "real_name",
        "id_number",
    )


class SendCodeForm(forms.Form):
    """The phone alone, for the "get code" button of the same page."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
