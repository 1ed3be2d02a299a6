"""Temporary media (wechat-api 7.5, `/cgi-bin/media/upload`): files a mini program
uploads once and then names by `media_id` (a new avatar, category qualifications,
naming material).

No table is needed: the media_id carries its upload time and a random part, and the
file lives in Django's default storage under the mini program's AppID, so a media_id
of another mini program, a forged one or an expired one simply finds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from miniport.core import audit, clock, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms.services import images

IMAGE = "image"
TYPES = (IMAGE,)
# What WeChat accepts as temporary image media.
IMAGE_FORMATS = frozenset({"PNG", "JPEG", "GIF", "BMP"})
_MEDIA_ID = re.compile(r"^([0-9a-f]{8,12})_([A-Za-z0-9_-]{20,64})$")
_ROOT = "media"


@dataclass(frozen=True)
class Media:
    media_id: str
    type: str
    created_at: datetime
    data: bytes

    def as_wire(self) -> dict:
        return {
            "type": self.type,
            "media_id": self.media_id,
            "created_at": int(self.created_at.timestamp()),
        }


def _path(appid: str, media_id: str) -> str:
    return f"{_ROOT}/{appid}/{media_id}"


def media_upload(
    *, actor: Actor, miniprogram, upload, media_type: str, field: str = "media"
) -> Media:
    """Store one temporary media file after checking it by content."""
    if media_type not in TYPES:
        raise PlatformError(ErrorCode.MEDIA_TYPE_INVALID, field="type")
    data = images.read_capped(upload, policy.value("media.image_max_bytes"), field=field)
    inspected = images.inspect(
        data, formats=IMAGE_FORMATS, field=field, max_side=policy.value("avatar.max_side_pixels")
    )
    created = clock.now()
    media_id = f"{int(created.timestamp()):x}_{ids.new_token(24)}"
    default_storage.save(_path(miniprogram.appid, media_id), ContentFile(inspected.data))
    audit.record(
        actor,
        "media.upload",
        target=miniprogram,
        appid=miniprogram.appid,
        after={
            "media_id": media_id,
            "type": media_type,
            "format": inspected.format,
            "bytes": len(data),
        },
    )
    return Media(media_id=media_id, type=media_type, created_at=created, data=inspected.data)


def media_get(miniprogram, media_id, *, field: str = "media_id") -> Media:
    """The stored media of this mini program, or INVALID_MEDIA_ID (40007)."""
    match = _MEDIA_ID.match(str(media_id or ""))
    if not match:
        raise PlatformError(ErrorCode.INVALID_MEDIA_ID, field=field)
    created = datetime.fromtimestamp(int(match.group(1), 16), tz=UTC)
    if clock.now() - created > timedelta(days=policy.value("media.ttl_days")):
        raise PlatformError(ErrorCode.INVALID_MEDIA_ID, field=field)
    path = _path(miniprogram.appid, media_id)
    if not default_storage.exists(path):
        raise PlatformError(ErrorCode.INVALID_MEDIA_ID, field=field)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    return Media(media_id=media_id, type=IMAGE, created_at=created, data=data)


def media_discard(miniprogram, media_id: str) -> None:
    """Remove a media file again (an upload whose action was refused)."""
    if _MEDIA_ID.match(str(media_id or "")):
        default_storage.delete(_path(miniprogram.appid, media_id))
