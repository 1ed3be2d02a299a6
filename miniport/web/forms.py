"""Rendering a PlatformError in a Django form: the message goes on the named field."""

from __future__ import annotations

from django import forms

from miniport.core.errors import PlatformError


def add_platform_error(form: forms.Form, error: PlatformError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message())
