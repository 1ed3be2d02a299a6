"""Shared helpers of the usage tests: an applicant and the actors."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.plugins.models import PluginApplication


def admin_of(miniprogram) -> Actor:
    return Actor.for_identity(miniprogram.admin_identity)


def snapshot() -> list[tuple]:
    """Every application row, to assert that a refusal changed nothing."""
    return list(
        PluginApplication.objects.order_by("id").values_list(
            "id", "plugin_id", "miniprogram_id", "status", "refuse_reason", "ended_at"
        )
    )
