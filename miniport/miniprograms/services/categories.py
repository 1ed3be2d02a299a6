"""Service categories (INF-6).

A mini program picks first/second-level pairs from the catalog of its kind of
subject. Non-sensitive categories are approved at once; sensitive ones need
qualification material (`services.qualifications`) and open a review of kind
"category" (`miniprograms.review_kinds` applies the operator's decision). At most
`categories.max` in all, `categories.additions_per_month` additions a month; a
category under review cannot be deleted; only a rejected one may have its
certificates replaced, which opens a new review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgram, MiniProgramCategory
from miniport.miniprograms.selectors import CATEGORY_KIND, categories_of
from miniport.miniprograms.services import media
from miniport.miniprograms.services.info import (
    CATEGORY_RULE,
    ensure_info_editable,
    lock_miniprogram,
    quota_scope,
    require_staff,
)
from miniport.miniprograms.services.naming import rejection_reason
from miniport.miniprograms.services.qualifications import (
    GENERIC_QUALIFICATION,
    as_int,
    category_pair,
    certificate_image,
    clean_certificates,
    kept_files,
    required_qualifications,
    resolve_pair,
)
from miniport.review import services as reviews
from miniport.review.models import Review

__all__ = [
    "GENERIC_QUALIFICATION",
    "WIRE_STATUS",
    "Addition",
    "categories_add",
    "categories_of",
    "category_add",
    "category_add_with_upload",
    "category_delete",
    "category_modify",
    "category_modify_with_upload",
    "category_pair",
    "category_review_approve",
    "category_review_reject",
    "certificate_image",
    "ensure_category_deletable",
    "required_qualifications",
    "resolve_pair",
]

# WeChat's audit_status numbers (wechat-api 8.4).
WIRE_STATUS: dict[str, int] = {
    CategoryStatus.PENDING: 1,
    CategoryStatus.REJECTED: 2,
    CategoryStatus.APPROVED: 3,
}


def review_material(row: MiniProgramCategory) -> dict:
    """What the reviewer sees of a category besides its documents."""
    return {
        "category": f"{row.first_name} > {row.second_name}",
        "first_id": row.first_id,
        "second_id": row.second_id,
        "qualifications": [item["key"] for item in row.certificates or []],
    }


def _open_review(actor: Actor, mp: MiniProgram, row: MiniProgramCategory) -> Review:
    return reviews.review_open(
        actor=actor,
        kind=CATEGORY_KIND,
        target_id=row.pk,
        appid=mp.appid,
        material=review_material(row),
    )


@dataclass(frozen=True)
class Addition:
    first: int
    second: int
    # [{"key": qualification name, "value": media_id}] as in the server API.
    certificates: list[dict] = field(default_factory=list)


def categories_add(
    *, actor: Actor, miniprogram: MiniProgram, additions: list[Addition]
) -> list[MiniProgramCategory]:
    """Add one or more categories, all or none."""
    if not additions:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    created: list[MiniProgramCategory] = []
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")
        existing = set(
            MiniProgramCategory.objects.filter(miniprogram=mp).values_list("first_id", "second_id")
        )
        limit = policy.value("categories.max")
        now = clock.now()
        for addition in additions:
            pair = resolve_pair(mp, addition.first, addition.second)
            key = (pair.first.id, pair.second.id)
            if key in existing:
                raise PlatformError(MiniProgramError.CATEGORY_DUPLICATE, field="category")
            if len(existing) + 1 > limit:
                raise PlatformError(MiniProgramError.CATEGORY_LIMIT, field="category", limit=limit)
            certificates = clean_certificates(mp, pair, addition.certificates, keeper)
            quotas.consume(
                quota_scope(mp),
                CATEGORY_RULE,
                window="month",
                error=MiniProgramError.CATEGORY_MONTHLY_QUOTA,
                field="category",
            )
            try:
                with transaction.atomic():
                    row = MiniProgramCategory.objects.create(
                        miniprogram=mp,
                        first_id=pair.first.id,
                        second_id=pair.second.id,
                        first_name=pair.first.name,
                        second_name=pair.second.name,
                        status=CategoryStatus.PENDING
                        if pair.sensitive
                        else CategoryStatus.APPROVED,
                        certificates=certificates,
                        created_at=now,
                        decided_at=None if pair.sensitive else now,
                    )
            except IntegrityError:
                raise PlatformError(MiniProgramError.CATEGORY_DUPLICATE, field="category")
            if pair.sensitive:
                _open_review(actor, mp, row)
            existing.add(key)
            created.append(row)
            audit.record(
                actor,
                "categories.add",
                target=row,
                appid=mp.appid,
                after={
                    "category": pair.label,
                    "status": row.status,
                    "certificates": [item["key"] for item in certificates],
                },
            )
            events.emit(
                "miniprogram.category_added",
                {
                    "appid": mp.appid,
                    "first": row.first_id,
                    "second": row.second_id,
                    "status": row.status,
                },
                appid=mp.appid,
            )
    return created


def category_add(
    *, actor: Actor, miniprogram: MiniProgram, first, second, certificates: list[dict] | None = None
) -> MiniProgramCategory:
    return categories_add(
        actor=actor,
        miniprogram=miniprogram,
        additions=[Addition(first=first, second=second, certificates=list(certificates or []))],
    )[0]


def _with_uploads(miniprogram: MiniProgram, actor: Actor, uploads: Mapping[str, object], action):
    """Run `action(certificates)` with the uploaded qualification files (qualification
    name → file), all or nothing: a refusal rolls the uploads' audit rows back and
    removes the stored files. A refused file names its qualification."""
    uploaded: list[str] = []
    try:
        with transaction.atomic():
            certificates: list[dict] = []
            for qualification, upload in uploads.items():
                if upload is None:
                    continue
                try:
                    stored = media.media_upload(
                        actor=actor,
                        miniprogram=miniprogram,
                        upload=upload,
                        media_type=media.IMAGE,
                        field="certificates",
                    )
                except PlatformError as error:
                    raise PlatformError(
                        error.code,
                        field="certificates",
                        **{**error.params, "qualification": qualification},
                    )
                uploaded.append(stored.media_id)
                certificates.append({"key": qualification, "value": stored.media_id})
            return action(certificates)
    finally:
        # The temporary uploads were only the way in: accepted ones were copied.
        for media_id in uploaded:
            media.media_discard(miniprogram, media_id)


def category_add_with_upload(
    *, actor: Actor, miniprogram: MiniProgram, first, second, uploads: Mapping[str, object]
) -> MiniProgramCategory:
    """The console's way: one file per qualification comes with the request."""
    return _with_uploads(
        miniprogram,
        actor,
        uploads,
        lambda certificates: category_add(
            actor=actor,
            miniprogram=miniprogram,
            first=first,
            second=second,
            certificates=certificates,
        ),
    )


def category_modify_with_upload(
    *, actor: Actor, miniprogram: MiniProgram, first, second, uploads: Mapping[str, object]
) -> MiniProgramCategory:
    return _with_uploads(
        miniprogram,
        actor,
        uploads,
        lambda certificates: category_modify(
            actor=actor,
            miniprogram=miniprogram,
            first=first,
            second=second,
            certificates=certificates,
        ),
    )


def _own_category(mp: MiniProgram, first, second) -> MiniProgramCategory:
    row = (
        MiniProgramCategory.objects.select_for_update()
        .filter(
            miniprogram=mp,
            first_id=as_int(first, field_name="category"),
            second_id=as_int(second, field_name="category"),
        )
        .first()
    )
    if row is None:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    return row


def ensure_category_deletable(miniprogram: MiniProgram, row: MiniProgramCategory) -> None:
    """The refusal of deleting this category of the mini program now, if any: its
    information is locked (not certified or verified yet), or the category is under
    review. `category_delete` asks this under its lock; the console's confirmation page
    asks it too, so it refuses what the deletion would."""
    ensure_info_editable(miniprogram, field="category")
    if row.status == CategoryStatus.PENDING:
        raise PlatformError(MiniProgramError.CATEGORY_UNDER_REVIEW, field="category")


def category_delete(*, actor: Actor, miniprogram: MiniProgram, first, second) -> None:
    with transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")  # said before naming the category
        row = _own_category(mp, first, second)
        ensure_category_deletable(mp, row)
        label = f"{row.first_name} > {row.second_name}"
        audit.record(
            actor,
            "categories.delete",
            target=row,
            appid=mp.appid,
            before={"category": label, "status": row.status},
        )
        kept = kept_files(row.certificates)
        first_id, second_id = row.first_id, row.second_id
        row.delete()
        transaction.on_commit(lambda: media.kept_delete(kept))
        events.emit(
            "miniprogram.category_deleted",
            {"appid": mp.appid, "first": first_id, "second": second_id},
            appid=mp.appid,
        )


def category_modify(
    *, actor: Actor, miniprogram: MiniProgram, first, second, certificates: list[dict]
) -> MiniProgramCategory:
    """Replace the certificates of a rejected category; it goes back to review."""
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")
        row = _own_category(mp, first, second)
        if row.status != CategoryStatus.REJECTED:
            raise PlatformError(MiniProgramError.CATEGORY_NOT_REJECTED, field="category")
        clean = clean_certificates(mp, category_pair(mp, row), certificates, keeper)
        replaced = kept_files(row.certificates)
        before = {"status": row.status, "reason": row.reason}
        row.certificates = clean
        row.status = CategoryStatus.PENDING
        row.reason = ""
        row.decided_at = None
        row.save(update_fields=["certificates", "status", "reason", "decided_at"])
        _open_review(actor, mp, row)
        audit.record(
            actor,
            "categories.modify",
            target=row,
            appid=mp.appid,
            before=before,
            after={"status": row.status, "certificates": [item["key"] for item in clean]},
        )
        transaction.on_commit(lambda: media.kept_delete(replaced))
        events.emit(
            "miniprogram.category_resubmitted",
            {"appid": mp.appid, "first": row.first_id, "second": row.second_id},
            appid=mp.appid,
        )
    return row


def _open_review_of(category: MiniProgramCategory) -> Review:
    review = selectors.category_review(category)
    if review is None:
        # A category never sent to review (a non-sensitive one) has nothing to decide.
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    return review


def category_review_approve(*, actor: Actor, category: MiniProgramCategory) -> MiniProgramCategory:
    """Approve the category's review: the review machine's move, applied by the kind."""
    require_staff(actor)
    reviews.review_approve(actor=actor, review=_open_review_of(category))
    return MiniProgramCategory.objects.get(pk=category.pk)


def category_review_reject(
    *, actor: Actor, category: MiniProgramCategory, reason: str
) -> MiniProgramCategory:
    require_staff(actor)
    reason = rejection_reason(reason)
    reviews.review_reject(actor=actor, review=_open_review_of(category), reasons=[reason])
    return MiniProgramCategory.objects.get(pk=category.pk)
