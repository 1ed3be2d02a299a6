"""Service categories (INF-6).

A mini program picks first/second-level pairs from the catalog of its kind of
subject. Non-sensitive categories are approved at once; sensitive ones need
qualification material and wait for an operator. At most `categories.max` in all,
`categories.additions_per_month` additions a month; a category under review cannot
be deleted; only a rejected one may have its certificates replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.models import CategoryStatus, MiniProgram, MiniProgramCategory
from miniport.miniprograms.services import media
from miniport.miniprograms.services.profile import (
    CATEGORY_RULE,
    ensure_info_editable,
    lock_miniprogram,
    lock_undecided,
    quota_scope,
    rejection_reason,
    require_staff,
)

# WeChat's audit_status numbers (wechat-api 8.4).
WIRE_STATUS = {CategoryStatus.REVIEWING: 1, CategoryStatus.REJECTED: 2, CategoryStatus.APPROVED: 3}


@dataclass(frozen=True)
class Addition:
    first: int
    second: int
    # [{"key": qualification name, "value": media_id}] as in the server API.
    certificates: list[dict] = field(default_factory=list)


def _as_int(value, *, field_name: str) -> int:
    if isinstance(value, bool):
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field=field_name)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field=field_name)


def resolve_pair(miniprogram: MiniProgram, first, second) -> catalog.Pair:
    """The catalog pair, or 53302 when it belongs to another kind of subject, or 53303."""
    first_id = _as_int(first, field_name="category")
    second_id = _as_int(second, field_name="category")
    pair = catalog.catalog_for(miniprogram.subject).pair(first_id, second_id)
    if pair is None:
        if catalog.in_any_catalog(first_id, second_id):
            raise PlatformError(ErrorCode.CATEGORY_NOT_ALLOWED, field="category")
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field="category")
    return pair


def _clean_certificates(miniprogram: MiniProgram, certificates: Iterable | None) -> list[dict]:
    """Each certificate names a qualification and an uploaded media_id of this mini program."""
    if certificates is None:
        return []
    if not isinstance(certificates, list | tuple):
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field="certificates")
    clean = []
    for item in certificates:
        if not isinstance(item, dict):
            raise PlatformError(ErrorCode.CATEGORY_INVALID, field="certificates")
        key = str(item.get("key") or "").strip()[:100]
        value = str(item.get("value") or "").strip()
        if not key or not value:
            raise PlatformError(ErrorCode.CATEGORY_INVALID, field="certificates")
        media.media_get(miniprogram, value, field="certificates")
        clean.append({"key": key, "value": value})
    return clean


def categories_add(
    *, actor: Actor, miniprogram: MiniProgram, additions: list[Addition]
) -> list[MiniProgramCategory]:
    """Add one or more categories, all or none."""
    if not additions:
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field="category")
    created: list[MiniProgramCategory] = []
    with transaction.atomic():
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
                raise PlatformError(ErrorCode.CATEGORY_DUPLICATE, field="category")
            if len(existing) + 1 > limit:
                raise PlatformError(ErrorCode.CATEGORY_LIMIT, field="category", limit=limit)
            certificates = _clean_certificates(mp, addition.certificates)
            if pair.sensitive and not certificates:
                raise PlatformError(ErrorCode.CATEGORY_MATERIAL_REQUIRED, field="certificates")
            quotas.consume(
                quota_scope(mp),
                CATEGORY_RULE,
                window="month",
                error=ErrorCode.CATEGORY_MONTHLY_QUOTA,
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
                        status=CategoryStatus.REVIEWING
                        if pair.sensitive
                        else CategoryStatus.APPROVED,
                        certificates=certificates if pair.sensitive else [],
                        created_at=now,
                        decided_at=None if pair.sensitive else now,
                    )
            except IntegrityError:
                raise PlatformError(ErrorCode.CATEGORY_DUPLICATE, field="category")
            existing.add(key)
            created.append(row)
            audit.record(
                actor,
                "categories.add",
                target=row,
                appid=mp.appid,
                after={"category": pair.label, "status": row.status},
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


def _with_upload(miniprogram: MiniProgram, actor: Actor, upload, qualification: str, action):
    """Run `action(certificates)` with the uploaded qualification file, all or nothing:
    a refusal rolls the upload's audit row back and removes the stored file."""
    uploaded = None
    try:
        with transaction.atomic():
            certificates: list[dict] = []
            if upload is not None:
                uploaded = media.media_upload(
                    actor=actor,
                    miniprogram=miniprogram,
                    upload=upload,
                    media_type=media.IMAGE,
                    field="certificate",
                )
                certificates = [
                    {"key": qualification or "qualification", "value": uploaded.media_id}
                ]
            return action(certificates)
    except PlatformError:
        if uploaded is not None:
            media.media_discard(miniprogram, uploaded.media_id)
        raise


def category_add_with_upload(
    *, actor: Actor, miniprogram: MiniProgram, first, second, qualification: str = "", upload=None
) -> MiniProgramCategory:
    """The console's way: the qualification file comes with the request."""
    return _with_upload(
        miniprogram,
        actor,
        upload,
        qualification,
        lambda certificates: category_add(
            actor=actor,
            miniprogram=miniprogram,
            first=first,
            second=second,
            certificates=certificates,
        ),
    )


def category_modify_with_upload(
    *, actor: Actor, miniprogram: MiniProgram, first, second, qualification: str = "", upload=None
) -> MiniProgramCategory:
    if upload is None:
        raise PlatformError(ErrorCode.CATEGORY_MATERIAL_REQUIRED, field="certificate")
    return _with_upload(
        miniprogram,
        actor,
        upload,
        qualification,
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
            first_id=_as_int(first, field_name="category"),
            second_id=_as_int(second, field_name="category"),
        )
        .first()
    )
    if row is None:
        raise PlatformError(ErrorCode.CATEGORY_INVALID, field="category")
    return row


def category_delete(*, actor: Actor, miniprogram: MiniProgram, first, second) -> None:
    with transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")
        row = _own_category(mp, first, second)
        if row.status == CategoryStatus.REVIEWING:
            raise PlatformError(ErrorCode.CATEGORY_UNDER_REVIEW, field="category")
        label = f"{row.first_name} > {row.second_name}"
        audit.record(
            actor,
            "categories.delete",
            target=row,
            appid=mp.appid,
            before={"category": label, "status": row.status},
        )
        row.delete()
        events.emit(
            "miniprogram.category_deleted",
            {"appid": mp.appid, "first": int(first), "second": int(second)},
            appid=mp.appid,
        )


def category_modify(
    *, actor: Actor, miniprogram: MiniProgram, first, second, certificates: list[dict]
) -> MiniProgramCategory:
    """Replace the certificates of a rejected category; it goes back to review."""
    with transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")
        row = _own_category(mp, first, second)
        if row.status != CategoryStatus.REJECTED:
            raise PlatformError(ErrorCode.CATEGORY_NOT_REJECTED, field="category")
        clean = _clean_certificates(mp, certificates)
        if not clean:
            raise PlatformError(ErrorCode.CATEGORY_MATERIAL_REQUIRED, field="certificates")
        before = {"status": row.status, "reason": row.reason}
        row.certificates = clean
        row.status = CategoryStatus.REVIEWING
        row.reason = ""
        row.decided_at = None
        row.save(update_fields=["certificates", "status", "reason", "decided_at"])
        audit.record(
            actor,
            "categories.modify",
            target=row,
            appid=mp.appid,
            before=before,
            after={"status": row.status, "certificates": len(clean)},
        )
        events.emit(
            "miniprogram.category_resubmitted",
            {"appid": mp.appid, "first": row.first_id, "second": row.second_id},
            appid=mp.appid,
        )
    return row


def category_review_approve(*, actor: Actor, category: MiniProgramCategory) -> MiniProgramCategory:
    require_staff(actor)
    with transaction.atomic():
        row = lock_undecided(category, CategoryStatus.REVIEWING)
        row.status = CategoryStatus.APPROVED
        row.reason = ""
        row.decided_at = clock.now()
        row.save(update_fields=["status", "reason", "decided_at"])
        _decided(actor, row, "categories.approve", ret=3)
    return row


def category_review_reject(
    *, actor: Actor, category: MiniProgramCategory, reason: str
) -> MiniProgramCategory:
    require_staff(actor)
    reason = rejection_reason(reason)
    with transaction.atomic():
        row = lock_undecided(category, CategoryStatus.REVIEWING)
        row.status = CategoryStatus.REJECTED
        row.reason = reason
        row.decided_at = clock.now()
        row.save(update_fields=["status", "reason", "decided_at"])
        _decided(actor, row, "categories.reject", ret=2)
    return row


def _decided(actor: Actor, row: MiniProgramCategory, action: str, *, ret: int) -> None:
    appid = row.miniprogram.appid
    audit.record(
        actor,
        action,
        target=row,
        appid=appid,
        after={
            "category": f"{row.first_name} > {row.second_name}",
            "status": row.status,
            "reason": row.reason,
        },
    )
    # The category review push of wechat-api 8.2: ret 2 rejected, 3 approved.
    events.emit(
        "miniprogram.category_audit",
        {
            "appid": appid,
            "first": row.first_id,
            "second": row.second_id,
            "ret": ret,
            "reason": row.reason,
        },
        appid=appid,
    )


def categories_of(miniprogram: MiniProgram) -> list[MiniProgramCategory]:
    return list(MiniProgramCategory.objects.filter(miniprogram=miniprogram).order_by("id"))
