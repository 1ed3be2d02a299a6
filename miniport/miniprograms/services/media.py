"""Temporary media (wechat-api 7.5, `/cgi-bin/media/upload`): files a mini program
uploads once and then names by `media_id` (a new avatar, category qualifications,
naming material).

No table is needed: the media_id carries its upload time and a random part, and the
file lives in Django's default storage under the mini program's AppID, so a media_id
of another mini program, a forged one or an expired one simply finds nothing.

Temporary media lives `media.ttl_days`. What must outlive it (the qualification
documents of a category, the naming material of a name review) is copied into
permanent storage by a `Keeper` when the action that names it is taken; reviewers
read those copies with `kept_read`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from miniport.core import audit, clock, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import images

IMAGE = "image"
TYPES = (IMAGE,)
# What WeChat accepts as temporary image media.
IMAGE_FORMATS = frozenset({images.PNG, images.JPEG, images.GIF, images.BMP})
_MEDIA_ID = re.compile(r"^([0-9a-f]{8,12})_([A-Za-z0-9_-]{20,64})\Z")
_ROOT = "media"
# Permanent copies: kept/<appid>/<random>.<ext>, never guessable, never user-named.
_KEPT_ROOT = "kept"
_KEPT_NAME = re.compile(r"^kept/[A-Za-z0-9_-]{1,32}/[A-Za-z0-9_-]{16,64}\.(png|jpg|gif|bmp)\Z")


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
    """Store one temporary media file after checking it by content. The file is
    re-encoded from its pixels, so EXIF (camera, place), text chunks and comments are
    not kept."""
    if media_type not in TYPES:
        raise PlatformError(MiniProgramError.MEDIA_TYPE_INVALID, field="type")
    data = images.read_capped(upload, policy.value("media.image_max_bytes"), field=field)
    inspected = images.inspect(
        data,
        formats=IMAGE_FORMATS,
        field=field,
        max_side=policy.value("media.image_max_side_pixels"),
    )
    clean = images.reencode(inspected, field=field)
    created = clock.now()
    media_id = f"{int(created.timestamp()):x}_{ids.new_token(24)}"
    default_storage.save(_path(miniprogram.appid, media_id), ContentFile(clean))
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
    return Media(media_id=media_id, type=media_type, created_at=created, data=clean)


def _created_at(match: re.Match, field: str) -> datetime:
    """The upload time a media_id carries; one no clock could have written is invalid."""
    try:
        return datetime.fromtimestamp(int(match.group(1), 16), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)


def media_get(miniprogram, media_id, *, field: str = "media_id") -> Media:
    """The stored media of this mini program, or INVALID_MEDIA_ID (40007)."""
    match = _MEDIA_ID.match(media_id) if isinstance(media_id, str) else None
    if not match:
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    created = _created_at(match, field)
    if clock.now() - created > timedelta(days=policy.value("media.ttl_days")):
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    path = _path(miniprogram.appid, media_id)
    if not default_storage.exists(path):
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    return Media(media_id=media_id, type=IMAGE, created_at=created, data=data)


def media_discard(miniprogram, media_id: str) -> None:
    """Remove a media file again (an upload whose action was refused)."""
    if isinstance(media_id, str) and _MEDIA_ID.match(media_id):
        default_storage.delete(_path(miniprogram.appid, media_id))


# --- permanent copies --------------------------------------------------------------


class Keeper:
    """Permanent copies of temporary media made for one action, all or nothing: used as
    a context manager around the action's transaction, it removes the copies again
    when the action is refused."""

    def __init__(self, miniprogram) -> None:
        self.miniprogram = miniprogram
        self.stored: list[str] = []

    def keep(self, media: Media, *, field: str) -> str:
        """Copy checked media into permanent storage; returns the stored name."""
        fmt = images.sniff(media.data)
        if fmt is None:
            raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
        name = default_storage.save(
            f"{_KEPT_ROOT}/{self.miniprogram.appid}/{ids.new_token(24)}.{images.extension(fmt)}",
            ContentFile(media.data),
        )
        self.stored.append(name)
        return name

    def __enter__(self) -> Keeper:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            for name in self.stored:
                default_storage.delete(name)
            self.stored.clear()


def kept_read(name) -> tuple[bytes, str] | None:
    """A permanent copy's bytes and image format, or None when there is none."""
    if not isinstance(name, str) or not _KEPT_NAME.match(name):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    fmt = images.sniff(data)
    return (data, fmt) if fmt else None


def kept_delete(names) -> None:
    """Remove permanent copies that nothing shows any more."""
    for name in names:
        if isinstance(name, str) and _KEPT_NAME.match(name):
            default_storage.delete(name)
