"""Temporary media (wechat-api 7.5, `/cgi-bin/media/upload`): files a mini program
uploads once and then names by `media_id` (a new avatar, category qualifications,
naming material); and review material (wechat-api 4.13, `/wxa/uploadmedia`: images and
mp4 videos for a submission's preview_info).

No table is needed: the media_id carries its upload time and a random part, and the
file lives in Django's default storage under the mini program's AppID, so a media_id
of another mini program, a forged one or an expired one simply finds nothing.

A media_id remembers which upload made it (its origin) by where its file is stored:
temporary media under `media/<appid>/`, review material under `media/<appid>/review/`.
Whoever takes a media_id names the origins and types it accepts (`media_get`); any
other is an invalid media_id (40007), as WeChat answers an `/wxa/uploadmedia` id at
modifyheadimage (7.5). By default only temporary images are taken.

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
from miniport.miniprograms.services import images, videos

IMAGE = "image"
VIDEO = "video"
# What `/cgi-bin/media/upload` takes (its `?type=`).
TYPES = (IMAGE,)
# What WeChat accepts as temporary image media.
IMAGE_FORMATS = frozenset({images.PNG, images.JPEG, images.GIF, images.BMP})
# What `/wxa/uploadmedia` accepts as review images (wechat-api 4.13: png, jpeg, jpg, gif).
REVIEW_IMAGE_FORMATS = frozenset({images.PNG, images.JPEG, images.GIF})

# Which upload made a media_id.
TEMPORARY = "temporary"  # /cgi-bin/media/upload (wechat-api 7.5) and the console's uploads
REVIEW = "review"  # /wxa/uploadmedia (wechat-api 4.13): review material
ORIGINS = (TEMPORARY, REVIEW)
# The types each origin stores.
_ORIGIN_TYPES = {TEMPORARY: (IMAGE,), REVIEW: (IMAGE, VIDEO)}
# Where each origin's files live under a mini program's folder ("" is the folder itself:
# temporary media were stored there before origins were told apart).
_ORIGIN_FOLDERS = {TEMPORARY: "", REVIEW: "review/"}
_MEDIA_ID = re.compile(r"^([0-9a-f]{8,12})_([A-Za-z0-9_-]{20,64})\Z")
_ROOT = "media"
# Permanent copies: kept/<appid>/<random>.<ext>, never guessable, never user-named.
_KEPT_ROOT = "kept"
_KEPT_NAME = re.compile(r"^kept/[A-Za-z0-9_-]{1,32}/[A-Za-z0-9_-]{16,64}\.(png|jpg|gif|bmp|mp4)\Z")
_KEPT_VIDEO_SUFFIX = f".{videos.EXTENSION}"


@dataclass(frozen=True)
class Media:
    media_id: str
    type: str
    created_at: datetime
    data: bytes
    # Which upload made it (TEMPORARY or REVIEW).
    origin: str = TEMPORARY

    def as_wire(self) -> dict:
        return {
            "type": self.type,
            "media_id": self.media_id,
            "created_at": int(self.created_at.timestamp()),
        }


def _path(appid: str, media_id: str, origin: str = TEMPORARY) -> str:
    return f"{_ROOT}/{appid}/{_ORIGIN_FOLDERS[origin]}{media_id}"


def claims_video(upload) -> bool:
    """Whether an upload opens as an ISO base media file (an mp4 by intent): the
    review material it is checked as. Reads its first bytes and rewinds it."""
    if isinstance(upload, bytes | bytearray):
        return videos.claims_iso_bmff(bytes(upload[:8]))
    if hasattr(upload, "seek"):
        upload.seek(0)
    head = upload.read(8)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return videos.claims_iso_bmff(head or b"")


def media_upload(
    *,
    actor: Actor,
    miniprogram,
    upload,
    media_type: str,
    field: str = "media",
    origin: str = TEMPORARY,
    max_bytes: int | None = None,
) -> Media:
    """Store one media file of `origin` after checking it by content (`max_bytes`: the
    cap its origin's caller reads, media.image_max_bytes by default). An image is
    re-encoded from its pixels, so EXIF (camera, place), text chunks and comments are
    not kept; a video (review material only) must be an mp4 and is stored as sent."""
    if origin not in _ORIGIN_TYPES or media_type not in _ORIGIN_TYPES[origin]:
        raise PlatformError(MiniProgramError.MEDIA_TYPE_INVALID, field="type")
    cap = max_bytes if max_bytes is not None else policy.value("media.image_max_bytes")
    data = images.read_capped(upload, cap, field=field)
    if media_type == VIDEO:
        fmt = videos.inspect(data, field=field)
        clean = data
    else:
        inspected = images.inspect(
            data,
            formats=REVIEW_IMAGE_FORMATS if origin == REVIEW else IMAGE_FORMATS,
            field=field,
            max_side=policy.value("media.image_max_side_pixels"),
        )
        fmt = inspected.format
        clean = images.reencode(inspected, field=field)
    created = clock.now()
    media_id = f"{int(created.timestamp()):x}_{ids.new_token(24)}"
    default_storage.save(_path(miniprogram.appid, media_id, origin), ContentFile(clean))
    audit.record(
        actor,
        "media.upload",
        target=miniprogram,
        appid=miniprogram.appid,
        after={
            "media_id": media_id,
            "type": media_type,
            "origin": origin,
            "format": fmt,
            "bytes": len(data),
        },
    )
    return Media(media_id=media_id, type=media_type, created_at=created, data=clean, origin=origin)


def _created_at(match: re.Match, field: str) -> datetime:
    """The upload time a media_id carries; one no clock could have written is invalid."""
    try:
        return datetime.fromtimestamp(int(match.group(1), 16), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)


def media_get(
    miniprogram,
    media_id,
    *,
    field: str = "media_id",
    origins: tuple[str, ...] = (TEMPORARY,),
    types: tuple[str, ...] = (IMAGE,),
) -> Media:
    """The stored media of this mini program made by one of `origins` and of one of
    `types`, or INVALID_MEDIA_ID (40007): a media_id from another upload, or a video
    where an image is wanted, is as invalid there as a forged one."""
    match = _MEDIA_ID.match(media_id) if isinstance(media_id, str) else None
    if not match:
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    created = _created_at(match, field)
    if clock.now() - created > timedelta(days=policy.value("media.ttl_days")):
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    for origin in origins:
        path = _path(miniprogram.appid, media_id, origin)
        if default_storage.exists(path):
            break
    else:
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    kind = VIDEO if origin == REVIEW and videos.sniff(data) else IMAGE
    if kind not in types:
        raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
    return Media(media_id=media_id, type=kind, created_at=created, data=data, origin=origin)


def media_discard(miniprogram, media_id: str) -> None:
    """Remove a media file again (an upload whose action was refused)."""
    if isinstance(media_id, str) and _MEDIA_ID.match(media_id):
        for origin in ORIGINS:
            default_storage.delete(_path(miniprogram.appid, media_id, origin))


# --- permanent copies --------------------------------------------------------------


class Keeper:
    """Permanent copies of temporary media made for one action, all or nothing: used as
    a context manager around the action's transaction, it removes the copies again
    when the action is refused."""

    def __init__(self, miniprogram) -> None:
        self.miniprogram = miniprogram
        self.stored: list[str] = []

    def keep(self, media: Media, *, field: str) -> str:
        """Copy checked media into permanent storage; returns the stored name (a
        video's ends in `.mp4`, see `kept_is_video`)."""
        if media.type == VIDEO:
            if videos.sniff(media.data) is None:
                raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
            extension = videos.EXTENSION
        else:
            fmt = images.sniff(media.data)
            if fmt is None:
                raise PlatformError(MiniProgramError.INVALID_MEDIA_ID, field=field)
            extension = images.extension(fmt)
        name = default_storage.save(
            f"{_KEPT_ROOT}/{self.miniprogram.appid}/{ids.new_token(24)}.{extension}",
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


def kept_is_video(name) -> bool:
    """Whether a permanent copy's name is a video's (review material)."""
    return isinstance(name, str) and name.endswith(_KEPT_VIDEO_SUFFIX)


def kept_read(name, *, allow_video: bool = False) -> tuple[bytes, str] | None:
    """A permanent copy's bytes and image format (or videos.MP4 for a video, when
    `allow_video`), or None when there is none."""
    if not isinstance(name, str) or not _KEPT_NAME.match(name):
        return None
    video = kept_is_video(name)
    if video and not allow_video:
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    fmt = videos.sniff(data) if video else images.sniff(data)
    return (data, fmt) if fmt else None


def kept_delete(names) -> None:
    """Remove permanent copies that nothing shows any more."""
    for name in names:
        if isinstance(name, str) and _KEPT_NAME.match(name):
            default_storage.delete(name)
