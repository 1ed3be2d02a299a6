"""Template helpers of the ops desk: the navigation, money and masked personal numbers."""

from __future__ import annotations

import json

from django import template
from django.urls import reverse

from miniport.accounts.models import RegistrationStatus
from miniport.core import masking
from miniport.ops import presentation
from miniport.ops.nav import NAV

register = template.Library()


@register.inclusion_tag("ops/_nav.html", takes_context=True)
def ops_nav(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "ops" else ""
    items = [
        {
            "label": item.label,
            "href": reverse(item.url_name),
            "active": current.startswith(item.section),
        }
        for item in NAV
    ]
    return {"items": items}


@register.filter
def yuan(fen) -> str:
    return presentation.yuan(fen)


@register.filter
def masked(value, keep: str = "3,4") -> str:
    head, _sep, tail = str(keep).partition(",")
    return masking.mask(value, int(head or 0), int(tail or 0))


@register.filter
def status_label(value) -> str:
    """A registration status value in words (history rows store the raw value)."""
    try:
        return str(RegistrationStatus(value).label)
    except ValueError:
        return str(value)


@register.filter
def as_json(value) -> str:
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
