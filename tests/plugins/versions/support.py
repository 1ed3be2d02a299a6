"""Helpers of the plugin versions tests (PLG-7, PLG-8): uploads, submissions, the desk's
decisions, and the snapshot a refused action must leave as it was."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.plugins.models import PluginRelease, PluginSubmission, PluginVersion
from miniport.plugins.versions import services
from miniport.releases.models import CodePackage
from miniport.review import services as review_services
from miniport.review.models import Review
from tests.plugins.makers import Owner, plugin_zip
from tests.releases.version_support import stored_files

REVIEWER = Actor("staff", "4401", "reviewer@miniport.example")


def png(size: tuple[int, int] = (64, 48), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(owner: Owner, user_version: str = "1.0.0", *, data: bytes | None = None, **more):
    assert owner.plugin is not None
    return services.plugin_version_upload(
        actor=more.pop("actor", owner.developer_actor),
        plugin=owner.plugin,
        archive=io.BytesIO(data if data is not None else plugin_zip(user_version)),
        user_version=user_version,
        user_desc=more.pop("user_desc", f"note {user_version}"),
        **more,
    )


def submit(owner: Owner, version=None, **fields: Any) -> PluginSubmission:
    assert owner.plugin is not None
    values: dict[str, Any] = {
        "category": "工具/信息查询",
        "tags": "查询 工具",
        "preview_images": [png()],
        "description": "查询天气的插件",
    }
    values.update(fields)
    return services.plugin_version_submit_for_review(
        actor=owner.admin_actor,
        plugin=owner.plugin,
        version=version if version is not None else upload(owner),
        **values,
    )


def review_of(submission: PluginSubmission) -> Review:
    submission.refresh_from_db()
    assert submission.review is not None
    return submission.review


def approve(submission: PluginSubmission) -> PluginSubmission:
    review_services.review_approve(actor=REVIEWER, review=review_of(submission))
    submission.refresh_from_db()
    return submission


def kept_files() -> list[str]:
    """The permanent copies of images (preview images among them)."""
    root = os.path.join(getattr(default_storage, "location", ""), "kept")
    if not os.path.isdir(root):
        return []
    return sorted(
        os.path.join(folder, name) for folder, _d, names in os.walk(root) for name in names
    )


def snapshot() -> dict:
    """What a refused action must leave as it was."""
    return {
        "packages": sorted(CodePackage.objects.values_list("sha256", "storage_name")),
        "versions": sorted(PluginVersion.objects.values_list("id", "user_version")),
        "submissions": sorted(PluginSubmission.objects.values_list("id", "state")),
        "releases": sorted(PluginRelease.objects.values_list("id", "user_version")),
        "reviews": sorted(Review.objects.values_list("id", "state")),
        "audit": AuditEntry.objects.count(),
        "events": OutboxEvent.objects.count(),
        "files": stored_files(),
        "kept": kept_files(),
    }


def refused(call, code, **params) -> PlatformError:
    """Run `call`, expect the coded refusal and nothing changed."""
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code, caught.value
    for key, value in params.items():
        assert caught.value.params.get(key) == value, caught.value.params
    assert snapshot() == before
    return caught.value
