"""INF-2: a mini program's name. A request opens a review of kind "name" (registered in
`miniprograms.review_kinds`); the name takes effect when an operator approves it.

Refusals: the format (NAME_INVALID, FIELD_REQUIRED; a character that prints nothing or
changes how others print, such as a zero-width space, a soft hyphen, a byte order mark or
a direction override, is refused so that no two names look alike), a name held or
waiting for review anywhere on the platform (NAME_TAKEN; names are compared by
`name_key`, so full-width and half-width forms and Latin case variants collide), a request while one is open
(NAME_REVIEW_PENDING), the change quota (NAME_QUOTA), setnickname without its
required document (NAME_MATERIAL_REQUIRED). A refused request stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from miniport.core import audit, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, ErrorCode, PlatformError, Translatable
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, MiniProgramCategory, PendingName
from miniport.miniprograms.models.base import invisible_characters, name_key
from miniport.miniprograms.services import media
from miniport.miniprograms.services.info import (
    ensure_info_editable,
    lock_miniprogram,
    name_rule,
    quota_scope,
    require_staff,
)
from miniport.review import services as reviews
from miniport.review.errors import ReviewError
from miniport.review.models import REASONS_MAX_LENGTH, Review

NAME_KIND = "name"
RESERVED_WORD = "小程序"
# setnickname's naming material (wechat-api 7.2), each a temporary media_id.
NAMING_MATERIAL = ("id_card", "license") + tuple(f"naming_other_stuff_{n}" for n in range(1, 6))


def _only_digits_and_symbols(text: str) -> bool:
    # Chinese characters count as letters (str.isalpha), so "风陨" passes and "2024!!" does not.
    return not any(ch.isalpha() for ch in text)


def refuse_invisible(text: str, *, error: ErrorCode, field: str) -> None:
    """Refuse a name with a character that prints nothing or changes how its neighbours
    print (`models.base.invisible_characters`): with one, two names look the same."""
    if invisible_characters(text):
        raise PlatformError(
            error,
            field=field,
            reason=Translatable(
                gettext_noop(
                    "it must not contain invisible or control characters"
                    " (such as zero-width spaces or direction marks)"
                )
            ),
        )


def display_name_clean(raw: str, *, rules: str, error: ErrorCode, field: str) -> str:
    """Names and short names follow the same rules, each with its own length bounds
    (`<rules>.min_length`, `<rules>.max_length`) and its own error. Leading and trailing
    whitespace goes and runs of spaces inside become one; any other character that
    prints nothing (line breaks and tabs inside included) is refused."""
    stripped = (raw or "").strip()
    value = " ".join(stripped.split())
    low, high = policy.value(f"{rules}.min_length"), policy.value(f"{rules}.max_length")
    if not value:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    refuse_invisible(stripped, error=error, field=field)
    if not low <= len(value) <= high:
        raise PlatformError(
            error,
            field=field,
            reason=Translatable(
                gettext_noop("use %(min)s to %(max)s characters"), min=low, max=high
            ),
        )
    if RESERVED_WORD in value:
        raise PlatformError(
            error, field=field, reason=Translatable(gettext_noop("it must not contain “小程序”"))
        )
    if _only_digits_and_symbols(value):
        raise PlatformError(
            error,
            field=field,
            reason=Translatable(gettext_noop("it must not consist of digits and symbols only")),
        )
    return value


def name_clean(raw: str, *, field: str = "name") -> str:
    return display_name_clean(raw, rules="name", error=MiniProgramError.NAME_INVALID, field=field)


def name_taken(name: str, *, exclude: MiniProgram | None = None) -> bool:
    """Held by another mini program, or waiting for review for anyone: compared by
    `name_key` (NFKC, case folded), so "Ｍｉｎｉ 书店" and "mini 书店" are one name."""
    key = name_key(name)
    holders = MiniProgram.objects.filter(Q(name_key=key) | Q(name__iexact=name))
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    pending = PendingName.objects.filter(Q(requested_name_key=key) | Q(requested_name__iexact=name))
    return holders.exists() or pending.exists()


def name_check(raw: str, *, miniprogram: MiniProgram | None = None, field: str = "name") -> str:
    """Format and availability of a name, without requesting it (checkwxverifynickname)."""
    name = name_clean(raw, field=field)
    if miniprogram is not None and miniprogram.name == name:
        raise PlatformError(MiniProgramError.VALUE_UNCHANGED, field=field)
    if name_taken(name, exclude=miniprogram):
        raise PlatformError(MiniProgramError.NAME_TAKEN, field=field)
    return name


def naming_material_required(miniprogram: MiniProgram) -> str:
    """The document setnickname cannot do without (wechat-api 7.2): the ID card for a
    personal subject, the business licence for an organisation."""
    return "id_card" if miniprogram.subject.subject_type == "personal" else "license"


def _keep_naming_material(
    mp: MiniProgram, material: Mapping[str, str], keeper: media.Keeper
) -> dict:
    """Check setnickname's material and copy it into permanent storage for reviewers:
    the required document (91009 without it) and any others, each a media_id of this
    mini program (40007 otherwise)."""
    given = {name: material.get(name) for name in NAMING_MATERIAL if material.get(name)}
    required = naming_material_required(mp)
    if required not in given:
        raise PlatformError(
            MiniProgramError.NAME_MATERIAL_REQUIRED, field=required, material=required
        )
    kept: dict[str, dict] = {}
    for name, media_id in given.items():
        stored = media.media_get(mp, media_id, field=name)
        kept[name] = {"media_id": stored.media_id, "file": keeper.keep(stored, field=name)}
    return kept


def name_request(*, actor: Actor, miniprogram: MiniProgram, name: str) -> Review:
    """INF-2: ask for a name. It takes effect only when an operator approves. Setting
    the first name is free; every later request uses one change, given back if the
    review is rejected."""
    return _name_request(actor, miniprogram, name, material=None)


def name_request_with_material(
    *, actor: Actor, miniprogram: MiniProgram, name: str, material: Mapping[str, str]
) -> Review:
    """INF-2 the server API's way (setnickname): the request carries naming material
    (`NAMING_MATERIAL` → media_id), which reviewers see with the request."""
    return _name_request(actor, miniprogram, name, material=material)


def _name_request(
    actor: Actor, miniprogram: MiniProgram, name: str, *, material: Mapping[str, str] | None
) -> Review:
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="name")
        if selectors.pending_name_review(mp) is not None:
            raise PlatformError(MiniProgramError.NAME_REVIEW_PENDING, field="name")
        clean = name_check(name, miniprogram=mp)
        kept = _keep_naming_material(mp, material, keeper) if material is not None else {}
        charged: dict | None = None
        if mp.name:
            rule, window = name_rule(mp)
            quotas.consume(
                quota_scope(mp),
                rule,
                window=window,
                error=MiniProgramError.NAME_QUOTA,
                field="name",
            )
            charged = {"rule": rule, "window": window, "key": quotas.window_key(window)}
        try:
            review = reviews.review_open(
                actor=actor,
                kind=NAME_KIND,
                target_id=mp.pk,
                appid=mp.appid,
                material={
                    "requested_name": clean,
                    "media": {key: item["media_id"] for key, item in kept.items()},
                    "files": {key: item["file"] for key, item in kept.items()},
                    "charged": charged,
                },
            )
        except PlatformError as error:
            if error.code == ReviewError.ALREADY_OPEN:
                # A concurrent request of this mini program won the race.
                raise PlatformError(MiniProgramError.NAME_REVIEW_PENDING, field="name")
            raise
        try:
            with transaction.atomic():
                PendingName.objects.create(miniprogram=mp, requested_name=clean, review=review)
        except IntegrityError:
            # Another mini program asked for the same name at the same moment.
            raise PlatformError(MiniProgramError.NAME_TAKEN, field="name")
        audit.record(
            actor,
            "profile.name_request",
            target=review,
            appid=mp.appid,
            before={"name": mp.name},
            after={"requested_name": clean, "charged": bool(charged), "material": sorted(kept)},
        )
        events.emit(
            "miniprogram.name_review_requested",
            {"appid": mp.appid, "audit_id": review.pk, "nickname": clean},
            appid=mp.appid,
        )
    return review


def requested_name(review: Review) -> str:
    """The name a name review asks for."""
    return str((review.material or {}).get("requested_name", ""))


def naming_material(review: Review) -> list[str]:
    """The naming material a review carries, in setnickname's order."""
    files = (review.material or {}).get("files") or {}
    return [name for name in NAMING_MATERIAL if name in files]


def naming_material_image(review: Review, name: str) -> tuple[bytes, str] | None:
    """The bytes and image format of one naming document, for reviewers, or None."""
    files = (review.material or {}).get("files") or {}
    if name not in NAMING_MATERIAL or name not in files:
        return None
    return media.kept_read(files[name])


def reason_max_length() -> int:
    """The longest rejection reason: what the review machine and the category row keep."""
    width = MiniProgramCategory._meta.get_field("reason").max_length
    return min(REASONS_MAX_LENGTH, int(width or REASONS_MAX_LENGTH))


def rejection_reason(reason: str) -> str:
    """An operator's rejection needs a reason, one the review rows can hold whole."""
    reason = (reason or "").strip()
    if not reason:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reason")
    longest = reason_max_length()
    if len(reason) > longest:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="reason",
            reason=Translatable(gettext_noop("at most %(max)s characters"), max=longest),
        )
    return reason


def name_review_approve(*, actor: Actor, review: Review) -> Review:
    """Approve a name review: the review machine's move, applied by the "name" kind."""
    require_staff(actor)
    return reviews.review_approve(actor=actor, review=review)


def name_review_reject(*, actor: Actor, review: Review, reason: str) -> Review:
    require_staff(actor)
    return reviews.review_reject(actor=actor, review=review, reasons=[rejection_reason(reason)])
