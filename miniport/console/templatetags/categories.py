"""Service category names in the page's language (issue 10 item 5): rows store the
catalog's Chinese names; English pages show the catalog's English ones."""

from __future__ import annotations

from django import template
from django.utils import translation

from miniport.miniprograms import catalog

register = template.Library()


@register.filter
def category_name(name: str) -> str:
    """One category's or qualification's name."""
    return catalog.name_in(name or "")


@register.filter
def category_pair(row) -> str:
    """A stored category row (`first_name`, `second_name`) as "first > second"."""
    return catalog.label_in(row.first_name, row.second_name)


@register.filter
def qualification_list(pair) -> str:
    """A catalog pair's qualifications, listed the way the page's language lists."""
    separator = ", " if (translation.get_language() or "").startswith("en") else "、"
    return separator.join(pair.display_qualifications)
