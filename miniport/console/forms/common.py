"""What the console's forms share: coded messages and policy values in help texts, the
bounded text field, and putting a service's refusal on the field it names.

Forms only parse and render input; every rule is checked by a service, whose coded
errors land on the field they name (`attach_error`).
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from miniport.core import policy
from miniport.core.errors import ErrorCode, PlatformError
from miniport.web.forms import add_platform_error


def _coded(code: ErrorCode) -> str:
    return code.message()


# A coded message in the language active when it is shown.
coded_message = lazy(_coded, str)


def _policy_text(text: str | Promise, **keys: str) -> str:
    return str(text).format(**{name: policy.value(key) for name, key in keys.items()})


policy_text = lazy(_policy_text, str)


def _policy_size_text(text: str | Promise, **keys: str) -> str:
    return str(text).format(
        **{name: filesizeformat(policy.value(key)) for name, key in keys.items()}
    )


# A help text naming policy values that are byte counts, said as sizes ("2.0 MB").
policy_size_text = lazy(_policy_size_text, str)


def option_labels(choices) -> list[tuple[str, str | Promise]]:
    """Choices whose labels are a model's lower-case words (they are also said within
    sentences, "..., approved."), with the first letter of each label capitalised for
    the options of a select or the radios of a form; translated when rendered."""
    return [(value, capfirst(label)) for value, label in choices]


def text_field(max_length: int, **extra) -> forms.CharField:
    # Required-ness is the services' rule; the form only bounds the size of the input.
    return forms.CharField(required=False, max_length=max_length, **extra)


def appid_field(**extra) -> forms.CharField:
    """The AppID of a mini program to associate: an empty field asks for one on the field
    (the services would answer the wire's "invalid appid" or "no such mini program: ",
    which name nothing the user typed); whether the AppID exists is the services' answer."""
    return forms.CharField(
        max_length=40,
        label="AppID",
        error_messages={"required": _("Enter the AppID of the mini program.")},
        **extra,
    )


def new_password_field(label: str | Promise) -> forms.CharField:
    """A password being chosen (REG-1's rule in its help text); services check the rule."""
    return text_field(
        128,
        label=label,
        strip=False,
        help_text=policy_text(
            _("Letters, digits or English symbols, at least {min} characters, case-sensitive."),
            min="registration.password_min_length",
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def password_confirm_field() -> forms.CharField:
    return text_field(
        128,
        label=_("Confirm password"),
        strip=False,
        help_text=_("Enter the password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def attach_error(form: forms.Form, error: PlatformError) -> None:
    """The coded message on the field it names; errors about hidden or absent fields go
    on top of the form."""
    field = form.fields.get(error.field or "")
    if field is not None and isinstance(field.widget, forms.HiddenInput):
        form.add_error(None, error.message())
    else:
        add_platform_error(form, error)
