"""The mini program's avatar (INF-4): PNG or JPEG judged by content, within the size and
pixel caps, cropped when asked, re-encoded without metadata, avatar.changes_per_year a
year; the console and modifyheadimage share this service and its quota."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_noop

from miniport.core import ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError, Translatable
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import images
from miniport.miniprograms.services.profile import (
    AVATAR_FORMATS,
    AVATAR_RULE,
    ensure_info_editable,
    lock_miniprogram,
    quota_scope,
    record_profile_change,
    refresh_field,
)

Box = tuple[float, float, float, float]


def _check_box(box: Box | None) -> Box | None:
    if box is None:
        return None
    x1, y1, x2, y2 = box
    if not (0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1):
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field="avatar",
            reason=Translatable(gettext_noop("invalid crop box")),
        )
    return box


def avatar_prepare(upload, *, box: Box | None = None) -> tuple[bytes, str]:
    """Check an avatar by content and re-encode it; nothing is stored."""
    data = images.read_capped(upload, policy.value("avatar.max_bytes"), field="avatar")
    inspected = images.inspect(
        data,
        formats=AVATAR_FORMATS,
        field="avatar",
        min_side=policy.value("avatar.min_side_pixels"),
        max_side=policy.value("avatar.max_side_pixels"),
    )
    box = _check_box(box)
    side = policy.value("avatar.output_side_pixels")
    clean = images.square_reencode(inspected, side=side, field="avatar", box=box)
    if box is not None:
        # A crop box smaller than the minimum side would be upscaled into a blur.
        x1, y1, x2, y2 = box
        kept = min((x2 - x1) * inspected.width, (y2 - y1) * inspected.height)
        if kept < policy.value("avatar.min_side_pixels"):
            raise PlatformError(
                MiniProgramError.IMAGE_INVALID,
                field="avatar",
                reason=Translatable(gettext_noop("the crop box is too small")),
            )
    return clean, images.extension(inspected.format)


def avatar_change(
    *, actor: Actor, miniprogram: MiniProgram, upload, box: Box | None = None
) -> MiniProgram:
    """INF-4: a PNG or JPEG, judged by content, stored as a clean square."""
    ensure_info_editable(miniprogram, field="avatar")
    clean, ext = avatar_prepare(upload, box=box)
    stored: str | None = None
    try:
        with transaction.atomic():
            mp = lock_miniprogram(miniprogram)
            ensure_info_editable(mp, field="avatar")
            quotas.consume(
                quota_scope(mp),
                AVATAR_RULE,
                window="year",
                error=MiniProgramError.AVATAR_QUOTA,
                field="avatar",
            )
            previous = mp.avatar.name or ""
            stored = default_storage.save(
                f"avatars/{mp.appid}-{ids.new_token(12)}.{ext}", ContentFile(clean)
            )
            mp.avatar.name = stored
            mp.save(update_fields=["avatar"])
            record_profile_change(actor, mp, "avatar", previous, stored)
            if previous:
                transaction.on_commit(lambda: default_storage.delete(previous))
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    refresh_field(miniprogram, mp, "avatar")
    return mp
