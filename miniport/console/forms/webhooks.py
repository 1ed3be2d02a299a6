"""Webhook forms (B-6); views in `console/views/webhooks.py`. The service checks the URL
and the event selection."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("URL"),
        max_length=500,
        help_text=gettext_lazy("An http:// or https:// address that receives the events."),
    )
    events = forms.CharField(
        label=gettext_lazy("Events"),
        max_length=300,
        required=False,
        initial="*",
        help_text=gettext_lazy(
            "Event names or patterns joined by |, such as code.* or code.audit_fail; "
            "* for every event."
        ),
    )
