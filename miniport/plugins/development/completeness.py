"""PLG-5: a plugin's basic information is complete when it has a name, an avatar, an
introduction, an add method and a customer service contact."""

from __future__ import annotations

from miniport.plugins.models import Plugin

# The PLG-5 fields in the order the console's checklist shows them.
COMPLETENESS_FIELDS: tuple[str, ...] = (
    "name",
    "avatar",
    "introduction",
    "add_method",
    "service_contact",
)


def plugin_is_complete(plugin: Plugin) -> list[str]:
    """The names of the PLG-5 fields this plugin still lacks; empty when complete."""
    missing: list[str] = []
    for field in COMPLETENESS_FIELDS:
        value = getattr(plugin, field)
        if not value or (isinstance(value, str) and not value.strip()):
            missing.append(field)
    return missing
