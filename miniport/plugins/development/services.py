"""Named writes of plugin development (PLG-1..PLG-5)."""

from __future__ import annotations

from miniport.plugins.development.completeness import COMPLETENESS_FIELDS, plugin_is_complete

__all__ = ["COMPLETENESS_FIELDS", "plugin_is_complete"]
