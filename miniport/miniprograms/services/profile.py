"""Mini program information: name, short name, introduction (INF-1..INF-3, INF-5); the
avatar (INF-4) is in `services.avatar`.

Every change goes through one of these services whichever surface asks (console or
server API), so both draw on the same quota counters. A refused change stores
nothing: checks and the quota are taken inside one transaction, and an image is only
written to storage once every check has passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, MiniProgramCategory, NameReview, ReviewStatus
from miniport.miniprograms.services import images, media

RESERVED_WORD = "小程序"
STAFF_KINDS = frozenset({"staff", "system"})
AVATAR_FORMATS = frozenset({images.PNG, images.JPEG})

NAME_BEFORE_RELEASE = "name.changes_before_release"
# Seed 004 states the yearly allowance after release for personal accounts only;
# organizations get the same row until an operator or a seed says otherwise.
NAME_AFTER_RELEASE = "name.changes_per_year_after_release_personal"
SHORT_NAME_RULE = "short_name.changes_per_year"
AVATAR_RULE = "avatar.changes_per_year"
INTRODUCTION_RULE = "introduction.changes_per_month"
CATEGORY_RULE = "categories.additions_per_month"
# setnickname's naming material (wechat-api 7.2), each a temporary media_id.
NAMING_MATERIAL = ("id_card", "license") + tuple(f"naming_other_stuff_{n}" for n in range(1, 6))


def quota_scope(miniprogram: MiniProgram) -> str:
    return f"miniprogram:{miniprogram.appid}"


# --- INF-1: when information may be completed -------------------------------------


def info_lock(miniprogram: MiniProgram) -> ErrorCode | None:
    """Why information cannot be edited yet, or None. Personal subjects edit at once;
    remittance-verified organizations once the remittance arrived (registration
    active); certification-verified ones only after certification (seed 001)."""
    subject = miniprogram.subject
    if subject.verification_method == "certification" and subject.certified_at is None:
        return MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED
    if subject.verification_method == "remittance" and subject.registration.status != "active":
        return MiniProgramError.INFO_LOCKED_UNTIL_VERIFIED
    return None


def ensure_info_editable(miniprogram: MiniProgram, *, field: str | None = None) -> None:
    code = info_lock(miniprogram)
    if code is not None:
        raise PlatformError(code, field=field)


def lock_miniprogram(miniprogram: MiniProgram) -> MiniProgram:
    """The mini program row, locked for the rest of the transaction (PostgreSQL; SQLite
    serialises writers with IMMEDIATE transactions)."""
    return (
        MiniProgram.objects.select_for_update(of=("self",))
        .select_related("subject", "subject__registration")
        .get(pk=miniprogram.pk)
    )


def require_staff(actor: Actor) -> None:
    if actor.kind not in STAFF_KINDS:
        raise PlatformError(CoreError.PERMISSION_DENIED)


# --- remaining changes (INF-8, getaccountbasicinfo) -------------------------------


@dataclass(frozen=True)
class Allowance:
    rule: str
    window: str
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def _allowance(miniprogram: MiniProgram, rule: str, window: str) -> Allowance:
    return Allowance(
        rule=rule,
        window=window,
        limit=policy.value(rule),
        used=quotas.used(quota_scope(miniprogram), rule, window),
    )


def name_rule(miniprogram: MiniProgram) -> tuple[str, str]:
    """INF-2: two changes in all before the first release, then a yearly allowance."""
    if miniprogram.first_released_at is None:
        return NAME_BEFORE_RELEASE, "ever"
    return NAME_AFTER_RELEASE, "year"


def allowances(miniprogram: MiniProgram) -> dict[str, Allowance]:
    rule, window = name_rule(miniprogram)
    return {
        "name": _allowance(miniprogram, rule, window),
        "short_name": _allowance(miniprogram, SHORT_NAME_RULE, "year"),
        "avatar": _allowance(miniprogram, AVATAR_RULE, "year"),
        "introduction": _allowance(miniprogram, INTRODUCTION_RULE, "month"),
        "categories": _allowance(miniprogram, CATEGORY_RULE, "month"),
    }


def pending_name_review(miniprogram: MiniProgram) -> NameReview | None:
    return NameReview.objects.filter(miniprogram=miniprogram, status=ReviewStatus.PENDING).first()


# --- INF-2: name -------------------------------------------------------------------


def _only_digits_and_symbols(text: str) -> bool:
    # Chinese characters count as letters (str.isalpha), so "风陨" passes and "2024!!" does not.
    return not any(ch.isalpha() for ch in text)


def _display_name_clean(raw: str, *, rules: str, error: ErrorCode, field: str) -> str:
    """Names and short names follow the same rules, each with its own length bounds
    (`<rules>.min_length`, `<rules>.max_length`) and its own error."""
    value = " ".join((raw or "").split())
    low, high = policy.value(f"{rules}.min_length"), policy.value(f"{rules}.max_length")
    if not value:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if not low <= len(value) <= high:
        raise PlatformError(
            error,
            field=field,
            reason=_("use %(min)s to %(max)s characters") % {"min": low, "max": high},
        )
    if RESERVED_WORD in value:
        raise PlatformError(error, field=field, reason=_("it must not contain “小程序”"))
    if _only_digits_and_symbols(value):
        raise PlatformError(
            error,
            field=field,
            reason=_("it must not consist of digits and symbols only"),
        )
    return value


def name_clean(raw: str, *, field: str = "name") -> str:
    return _display_name_clean(raw, rules="name", error=MiniProgramError.NAME_INVALID, field=field)


def name_taken(name: str, *, exclude: MiniProgram | None = None) -> bool:
    """Held by another mini program, or waiting for review for anyone."""
    holders = MiniProgram.objects.filter(name__iexact=name)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    return (
        holders.exists()
        or NameReview.objects.filter(
            requested_name__iexact=name, status=ReviewStatus.PENDING
        ).exists()
    )


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


def name_request(*, actor: Actor, miniprogram: MiniProgram, name: str) -> NameReview:
    """INF-2: ask for a name. It takes effect only when an operator approves. Setting
    the first name is free; every later request uses one change, given back if the
    review is rejected."""
    return _name_request(actor, miniprogram, name, material=None)


def name_request_with_material(
    *, actor: Actor, miniprogram: MiniProgram, name: str, material: Mapping[str, str]
) -> NameReview:
    """INF-2 the server API's way (setnickname): the request carries naming material
    (`NAMING_MATERIAL` → media_id), which reviewers see with the request."""
    return _name_request(actor, miniprogram, name, material=material)


def _name_request(
    actor: Actor, miniprogram: MiniProgram, name: str, *, material: Mapping[str, str] | None
) -> NameReview:
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="name")
        if pending_name_review(mp) is not None:
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
            with transaction.atomic():
                review = NameReview.objects.create(
                    miniprogram=mp,
                    requested_name=clean,
                    material={
                        "media": {key: item["media_id"] for key, item in kept.items()},
                        "files": {key: item["file"] for key, item in kept.items()},
                        "charged": charged,
                    },
                    created_at=clock.now(),
                )
        except IntegrityError:
            # A concurrent request won the race; the constraints say which one.
            if pending_name_review(mp) is not None:
                raise PlatformError(MiniProgramError.NAME_REVIEW_PENDING, field="name")
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


def naming_material(review: NameReview) -> list[str]:
    """The naming material a review carries, in setnickname's order."""
    files = (review.material or {}).get("files") or {}
    return [name for name in NAMING_MATERIAL if name in files]


def naming_material_image(review: NameReview, name: str) -> tuple[bytes, str] | None:
    """The bytes and image format of one naming document, for reviewers, or None."""
    files = (review.material or {}).get("files") or {}
    if name not in NAMING_MATERIAL or name not in files:
        return None
    return media.kept_read(files[name])


def lock_undecided(row, undecided_status: str):
    """The review row (a name or a category review), locked, while it still awaits its
    decision; a decided one cannot be decided again."""
    locked = type(row).objects.select_for_update().get(pk=row.pk)
    if locked.status != undecided_status:
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=locked.status, action="decide")
    return locked


def reason_max_length() -> int:
    """The longest rejection reason: what the review rows can store."""
    widths = (
        model._meta.get_field("reason").max_length for model in (NameReview, MiniProgramCategory)
    )
    return min(int(width) for width in widths if width)


def rejection_reason(reason: str) -> str:
    """An operator's rejection needs a reason, one the review row can hold whole."""
    reason = (reason or "").strip()
    if not reason:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="reason")
    longest = reason_max_length()
    if len(reason) > longest:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="reason",
            reason=_("at most %(max)s characters") % {"max": longest},
        )
    return reason


def name_review_approve(*, actor: Actor, review: NameReview) -> NameReview:
    require_staff(actor)
    with transaction.atomic():
        review = lock_undecided(review, ReviewStatus.PENDING)
        mp = lock_miniprogram(review.miniprogram)
        before = mp.name
        mp.name = review.requested_name
        try:
            with transaction.atomic():
                mp.save(update_fields=["name"])
        except IntegrityError:
            # Someone outside the review flow took the name meanwhile.
            raise PlatformError(MiniProgramError.NAME_TAKEN, field="name")
        review.status = ReviewStatus.APPROVED
        review.decided_at = clock.now()
        review.decided_by = actor.label
        review.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            actor,
            "profile.name_approve",
            target=review,
            appid=mp.appid,
            before={"name": before},
            after={"name": mp.name},
        )
        events.emit(
            "miniprogram.name_audit",
            {"appid": mp.appid, "audit_id": review.pk, "ret": 3, "nickname": mp.name, "reason": ""},
            appid=mp.appid,
        )
    return review


def name_review_reject(*, actor: Actor, review: NameReview, reason: str) -> NameReview:
    require_staff(actor)
    reason = rejection_reason(reason)
    with transaction.atomic():
        review = lock_undecided(review, ReviewStatus.PENDING)
        mp = review.miniprogram
        charged = (review.material or {}).get("charged")
        # The change is given back in the window it was taken from; a request decided
        # after that window closed has nothing left to give back.
        if charged and quotas.window_key(charged["window"]) == charged["key"]:
            quotas.release(quota_scope(mp), charged["rule"], window=charged["window"])
        review.status = ReviewStatus.REJECTED
        review.reason = reason
        review.decided_at = clock.now()
        review.decided_by = actor.label
        review.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        audit.record(
            actor,
            "profile.name_reject",
            target=review,
            appid=mp.appid,
            after={"requested_name": review.requested_name, "reason": review.reason},
        )
        events.emit(
            "miniprogram.name_audit",
            {
                "appid": mp.appid,
                "audit_id": review.pk,
                "ret": 2,
                "nickname": review.requested_name,
                "reason": review.reason,
            },
            appid=mp.appid,
        )
    return review


# --- INF-3: short name -------------------------------------------------------------


def short_name_clean(raw: str, *, field: str = "short_name") -> str:
    return _display_name_clean(
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
