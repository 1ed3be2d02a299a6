"""Helpers of the plugin development tests: approved categories as rows, what a refused
action must leave as it was, and the refusal with its message."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.miniprograms import catalog as platform_catalog
from miniport.miniprograms.models import MiniProgramCategory
from miniport.plugins.models import Plugin


def pair_ids(first_name: str, second_name: str) -> tuple[int, int]:
    catalog = platform_catalog.catalog(platform_catalog.NON_PERSONAL)
    for pair in catalog.pairs():
        if pair.first.name == first_name and pair.second.name == second_name:
            return pair.first.id, pair.second.id
    raise AssertionError(f"no category {first_name} > {second_name}")


def approve(mp, first_name: str, second_name: str, *, status: str = "approved"):
    """A category of `mp` in `status`, as a row (the earliest approved one is its main)."""
    first_id, second_id = pair_ids(first_name, second_name)
    return MiniProgramCategory.objects.create(
        miniprogram=mp,
        first_id=first_id,
        second_id=second_id,
        first_name=first_name,
        second_name=second_name,
        status=status,
        created_at=clock.now(),
        decided_at=clock.now(),
    )


def category_mp(provision, *pairs: tuple[str, str], subject_type: str = "enterprise"):
    """A mini program whose only categories are `pairs`, approved in this order."""
    mp = provision(subject_type).miniprogram
    MiniProgramCategory.objects.filter(miniprogram=mp).delete()
    for first, second in pairs:
        approve(mp, first, second)
    return mp


def plugin_rows() -> list[dict[str, Any]]:
    return [
        {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
        for row in Plugin.objects.order_by("id").values()
    ]


def plugin_files() -> list[str]:
    try:
        return sorted(default_storage.listdir("plugin-avatars")[1])
    except FileNotFoundError:
        return []


def snapshot() -> dict[str, Any]:
    """What a refused action must leave as it was."""
    return {
        "plugins": plugin_rows(),
        "audit": AuditEntry.objects.count(),
        "events": OutboxEvent.objects.count(),
        "avatars": plugin_files(),
    }


def refused(call, code, **params) -> PlatformError:
    """`call()` is refused with `code`; its messages in both languages are the code's."""
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        call()
    error = caught.value
    assert error.code is code, error.code
    assert error.message("zh-hans") == code.message("zh-hans", **params)
    assert error.message("en") == code.message("en", **params)
    assert snapshot() == before
    return error


def png_bytes(side: int = 200, *, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()
