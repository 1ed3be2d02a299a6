"""The captcha box of the sign-up form: django-simple-captcha's widget, shown as one
labelled text box (a `<label for>` of its own, not a fieldset legend) beside an image
whose alternative text is in the page's language."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django.utils.translation import gettext_lazy as _

from miniport.accounts.errors import AccountError
from miniport.console.forms.common import coded_message
from miniport.core.errors import CoreError


class CaptchaInput(CaptchaTextInput):
    template_name = "console/forms/captcha.html"
    # Only one of the two inputs is visible (the other carries the key): the field's
    # label points at the answer box instead of wrapping both in a fieldset.
    use_fieldset = False


def captcha_field() -> CaptchaField:
    """The captcha of the console's public forms (sign-up, forgot password), refusing
    with the platform's coded messages."""
    return CaptchaField(
        label=_("Captcha"),
        widget=CaptchaInput(),
        error_messages={
            "invalid": coded_message(AccountError.CAPTCHA_INVALID),
            "required": coded_message(CoreError.FIELD_REQUIRED),
            "incomplete": coded_message(CoreError.FIELD_REQUIRED),
        },
    )
