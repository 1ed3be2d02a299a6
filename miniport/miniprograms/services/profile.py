"""Mini program information: name, short name, introduction (INF-1..INF-3, INF-5); the
avatar (INF-4) is in `services.avatar`.

Every change goes through one of these services whichever surface asks (console or
server API), so both draw on the same quota counters. A refused change stores
nothing: checks and the quota are taken inside one transaction, and an image is only
written to storage once every check has passed.

What the changes share lives in `services.info`, the name and its review in
`services.naming`; both are re-exported here, where the surfaces look for them.
"""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.selectors import pending_name_review
from miniport.miniprograms.services import images
from miniport.miniprograms.services.info import (
    AVATAR_RULE,
    CATEGORY_RULE,
    INTRODUCTION_RULE,
    NAME_AFTER_RELEASE,
    NAME_BEFORE_RELEASE,
    SHORT_NAME_RULE,
    STAFF_KINDS,
    Allowance,
    allowances,
    ensure_info_editable,
    info_lock,
    lock_miniprogram,
    name_rule,
    quota_scope,
    require_staff,
)
from miniport.miniprograms.services.naming import (
    NAMING_MATERIAL,
    RESERVED_WORD,
    display_name_clean,
    name_check,
    name_clean,
    name_request,
    name_request_with_material,
    name_review_approve,
    name_review_reject,
    name_taken,
    naming_material,
    naming_material_image,
    naming_material_required,
    reason_max_length,
    rejection_reason,
    requested_name,
)

__all__ = [
    "AVATAR_FORMATS",
    "AVATAR_RULE",
    "CATEGORY_RULE",
    "INTRODUCTION_RULE",
    "NAME_AFTER_RELEASE",
    "NAME_BEFORE_RELEASE",
    "NAMING_MATERIAL",
    "RESERVED_WORD",
    "SHORT_NAME_RULE",
    "STAFF_KINDS",
    "Allowance",
    "allowances",
    "ensure_info_editable",
    "info_lock",
    "introduction_change",
    "introduction_clean",
    "lock_miniprogram",
    "name_check",
    "name_clean",
    "name_request",
    "name_request_with_material",
    "name_review_approve",
    "name_review_reject",
    "name_rule",
    "name_taken",
    "naming_material",
    "naming_material_image",
    "naming_material_required",
    "pending_name_review",
    "quota_scope",
    "reason_max_length",
    "record_profile_change",
    "refresh_field",
    "rejection_reason",
    "require_staff",
    "requested_name",
    "short_name_change",
    "short_name_clean",
]

AVATAR_FORMATS = frozenset({images.PNG, images.JPEG})


# --- INF-3: short name -------------------------------------------------------------


def short_name_clean(raw: str, *, field: str = "short_name") -> str:
    return display_name_clean(
        raw, rules="short_name", error=MiniProgramError.SHORT_NAME_INVALID, field=field
    )


def short_name_change(*, actor: Actor, miniprogram: MiniProgram, short_name: str) -> MiniProgram:
    return _text_change(
        actor,
        miniprogram,
        "short_name",
        short_name_clean(short_name),
        rule=SHORT_NAME_RULE,
        window="year",
        quota_error=MiniProgramError.SHORT_NAME_QUOTA,
    )


# --- INF-5: introduction -----------------------------------------------------------


def introduction_clean(raw: str, *, field: str = "introduction") -> str:
    value = (raw or "").strip()
    low, high = policy.value("introduction.min_length"), policy.value("introduction.max_length")
    if not low <= len(value) <= high:
        raise PlatformError(MiniProgramError.INTRODUCTION_LENGTH, field=field, min=low, max=high)
    return value


def introduction_change(
    *, actor: Actor, miniprogram: MiniProgram, introduction: str
) -> MiniProgram:
    return _text_change(
        actor,
        miniprogram,
        "introduction",
        introduction_clean(introduction),
        rule=INTRODUCTION_RULE,
        window="month",
        quota_error=MiniProgramError.SIGNATURE_QUOTA,
    )


# --- shared ------------------------------------------------------------------------


def _text_change(
    actor: Actor,
    miniprogram: MiniProgram,
    field: str,
    value: str,
    *,
    rule: str,
    window: str,
    quota_error: ErrorCode,
) -> MiniProgram:
    """Store an already cleaned text field: editable, actually different, and within
    its quota, or nothing is stored."""
    with transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field=field)
        if getattr(mp, field) == value:
            raise PlatformError(MiniProgramError.VALUE_UNCHANGED, field=field)
        quotas.consume(quota_scope(mp), rule, window=window, error=quota_error, field=field)
        before = getattr(mp, field)
        setattr(mp, field, value)
        mp.save(update_fields=[field])
        record_profile_change(actor, mp, field, before, value)
    refresh_field(miniprogram, mp, field)
    return mp


def record_profile_change(actor: Actor, mp: MiniProgram, field: str, before, after) -> None:
    audit.record(
        actor,
        f"profile.{field}_change",
        target=mp,
        appid=mp.appid,
        before={field: before},
        after={field: after},
    )
    events.emit("miniprogram.profile_changed", {"appid": mp.appid, "field": field}, appid=mp.appid)


def refresh_field(original: MiniProgram, fresh: MiniProgram, field: str) -> None:
    """Keep the caller's instance in step with what was stored."""
    setattr(original, field, getattr(fresh, field))
