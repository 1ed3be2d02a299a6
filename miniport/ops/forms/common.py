"""What the ops desk's forms share: the "any" choice that leaves a filter open."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _any(choices) -> list[tuple[str, str]]:
    return [("", _("any"))] + list(choices)
