"""The version management page's review and online cards fill themselves: the partials
`console/versions/_review.html` and `_online.html` load their context here when the page
that includes them did not pass it (`review`, `online`), so any page of a console
session may show them."""

from __future__ import annotations

from typing import Any

from django import template

from miniport.console.views.release import online_context
from miniport.console.views.submission import review_context

register = template.Library()


@register.simple_tag(takes_context=True)
def review_card(context) -> dict[str, Any]:
    """VER-5: `console.views.submission.review_context` of the page's request."""
    return review_context(context["request"])


@register.simple_tag(takes_context=True)
def online_card(context) -> dict[str, Any]:
    """VER-7: `console.views.release.online_context` of the page's request."""
    return online_context(context["request"])
