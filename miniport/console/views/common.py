"""Small helpers shared by the console views."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.web.forms import add_platform_error


def actor_of(account) -> Actor:
    return Actor.for_account(account)


def attach_error(form: forms.Form, error: PlatformError) -> None:
    """The coded message on the field it names; errors about hidden or absent fields go
    on top of the form."""
    field = form.fields.get(error.field or "")
    if field is not None and isinstance(field.widget, forms.HiddenInput):
        form.add_error(None, error.message())
    else:
        add_platform_error(form, error)


def refused(request, error: PlatformError, *, back_url: str, back_label: str, status: int = 409):
    """A page for an action the platform refused outright (e.g. editing a confirmed subject)."""
    context = {
        "error": error,
        "message": error.message(),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "console/refused.html", context, status=status)
