"""What the ops desk's forms share: the "any" choice that leaves a filter open, and the
options of a filter said as labels."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def option_labels(choices) -> list[tuple[str, str | Promise]]:
    """Choices whose labels are a model's lower-case words (they are also said within
    sentences), with the first letter of each label capitalised for a select's options;
    translated when rendered."""
    return [(value, capfirst(label)) for value, label in choices]


def _any(choices) -> list[tuple[str, str | Promise]]:
    return [("", capfirst(_("any"))), *option_labels(choices)]
