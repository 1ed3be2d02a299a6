"""The captcha box of the sign-up form: django-simple-captcha's widget, shown as one
labelled text box (a `<label for>` of its own, not a fieldset legend) beside an image
whose alternative text is in the page's language."""

from __future__ import annotations

from captcha.fields import CaptchaTextInput


class CaptchaInput(CaptchaTextInput):
    template_name = "console/forms/captcha.html"
    # Only one of the two inputs is visible (the other carries the key): the field's
    # label points at the answer box instead of wrapping both in a fieldset.
    use_fieldset = False
