"""Service categories (INF-6).

A mini program picks first/second-level pairs from the catalog of its kind of
subject. Non-sensitive categories are approved at once; sensitive ones need
qualification material and wait for an operator. At most `categories.max` in all,
`categories.additions_per_month` additions a month; a category under review cannot
be deleted; only a rejected one may have its certificates replaced.

A sensitive category needs one document per qualification its catalog entry names
(`qualify.exter_list[].inner_list[].name`), keyed by that name. The documents are
uploaded as temporary media; when the category is added (or its certificates are
replaced) they are copied into permanent storage, so reviewers can open them for as
long as the category exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgram, MiniProgramCategory
from miniport.miniprograms.services import images, media
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


# Category ids on the wire: JSON integers, or strings of ASCII digits (wechat-api 16.11).
_DIGITS = re.compile(r"[0-9]{1,10}")
# The id columns are 32-bit integers; a larger number names no category.
_ID_MAX = 2**31 - 1
# The certificate key used when a sensitive category names no qualification.
GENERIC_QUALIFICATION = "qualification"


def _as_int(value, *, field_name: str) -> int:
    """A whole number: an int, or a string of ASCII digits. Floats (1.9, 1e3, inf),
    booleans, other digit systems ("²", "١") and out-of-range numbers are 53303."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field=field_name)
    if not 0 <= number <= _ID_MAX:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field=field_name)
    return number


def required_qualifications(pair: catalog.Pair | None) -> tuple[str, ...]:
    """The documents a category asks for, one each; none for a non-sensitive one."""
    if pair is None or not pair.sensitive:
        return ()
    return pair.second.qualifications or (GENERIC_QUALIFICATION,)


def resolve_pair(miniprogram: MiniProgram, first, second) -> catalog.Pair:
    """The catalog pair, or 53302 when it belongs to another kind of subject, or 53303."""
    first_id = _as_int(first, field_name="category")
    second_id = _as_int(second, field_name="category")
    pair = catalog.catalog_for(miniprogram.subject).pair(first_id, second_id)
    if pair is None:
        if catalog.in_any_catalog(first_id, second_id):
            raise PlatformError(MiniProgramError.CATEGORY_NOT_ALLOWED, field="category")
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    return pair


def _certificate_items(certificates: Iterable | None) -> list[tuple[str, object]]:
    """The (key, value) pairs of `[{"key", "value"}]`, or 53303 for any other shape."""
    if certificates is None:
        return []
    if not isinstance(certificates, list | tuple):
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
    items = []
    for item in certificates:
        if not isinstance(item, dict):
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        key, value = item.get("key"), item.get("value")
        if not isinstance(key, str) or not key.strip() or value in (None, ""):
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        items.append((key.strip(), value))
    return items


def _clean_certificates(
    miniprogram: MiniProgram,
    pair: catalog.Pair | None,
    certificates: Iterable | None,
    keeper: media.Keeper,
) -> list[dict]:
    """One uploaded document per qualification the category names, keyed by that name,
    each copied into permanent storage. A non-sensitive category keeps none."""
    items = _certificate_items(certificates)
    required = required_qualifications(pair)
    if not required:
        return []
    named = set(required) if pair is not None and pair.second.qualifications else None
    by_key: dict[str, object] = {}
    for key, value in items:
        if named is not None and key not in named:
            raise PlatformError(
                MiniProgramError.CATEGORY_QUALIFICATION_UNKNOWN,
                field="certificates",
                qualification=key,
            )
        if key in by_key:
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        by_key[key] = value
    if not by_key:
        raise PlatformError(
            MiniProgramError.CATEGORY_MATERIAL_REQUIRED,
            field="certificates",
            qualification=required[0],
        )
    if named is not None:
        for name in required:
            if name not in by_key:
                raise PlatformError(
                    MiniProgramError.CATEGORY_QUALIFICATION_MISSING,
                    field="certificates",
                    qualification=name,
                )
    order = {name: n for n, name in enumerate(required)}
    clean = []
    for key in sorted(by_key, key=lambda k: order.get(k, len(order))):
        stored = media.media_get(miniprogram, by_key[key], field="certificates")
        clean.append(
            {
                "key": key,
                "value": stored.media_id,
                "file": keeper.keep(stored, field="certificates"),
            }
        )
    return clean


def _kept_files(certificates) -> list[str]:
    files = (item.get("file") for item in certificates or [] if isinstance(item, dict))
    return [name for name in files if isinstance(name, str)]


def certificate_image(category: MiniProgramCategory, index: int) -> tuple[bytes, str] | None:
    """The bytes and image format of a category's certificate for reviewers, or None.
    Reads the permanent copy; rows from before copies were kept fall back to the
    temporary media while it lasts."""
    certificates = category.certificates or []
    if not 0 <= index < len(certificates) or not isinstance(certificates[index], dict):
        return None
    item = certificates[index]
    if item.get("file"):
        return media.kept_read(item["file"])
    try:
        stored = media.media_get(category.miniprogram, item.get("value"))
    except PlatformError:
        return None
    fmt = images.sniff(stored.data)
    return (stored.data, fmt) if fmt else None


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
            certificates = _clean_certificates(mp, pair, addition.certificates, keeper)
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
                        status=CategoryStatus.REVIEWING
                        if pair.sensitive
                        else CategoryStatus.APPROVED,
                        certificates=certificates,
                        created_at=now,
                        decided_at=None if pair.sensitive else now,
                    )
            except IntegrityError:
                raise PlatformError(MiniProgramError.CATEGORY_DUPLICATE, field="category")
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
            first_id=_as_int(first, field_name="category"),
            second_id=_as_int(second, field_name="category"),
        )
        .first()
    )
    if row is None:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    return row


def category_delete(*, actor: Actor, miniprogram: MiniProgram, first, second) -> None:
    with transaction.atomic():
        mp = lock_miniprogram(miniprogram)
        ensure_info_editable(mp, field="category")
        row = _own_category(mp, first, second)
        if row.status == CategoryStatus.REVIEWING:
            raise PlatformError(MiniProgramError.CATEGORY_UNDER_REVIEW, field="category")
        label = f"{row.first_name} > {row.second_name}"
        audit.record(
            actor,
            "categories.delete",
            target=row,
            appid=mp.appid,
            before={"category": label, "status": row.status},
        )
        kept = _kept_files(row.certificates)
        first_id, second_id = row.first_id, row.second_id
        row.delete()
        transaction.on_commit(lambda: media.kept_delete(kept))
        events.emit(
            "miniprogram.category_deleted",
            {"appid": mp.appid, "first": first_id, "second": second_id},
            appid=mp.appid,
        )


def category_pair(miniprogram: MiniProgram, row: MiniProgramCategory) -> catalog.Pair:
    """The catalog pair of a category that is set. One under review or rejected is
    sensitive even if the catalog changed since; gone from it, it asks for one document."""
    pair = catalog.catalog_for(miniprogram.subject).pair(row.first_id, row.second_id)
    if pair is not None and (pair.sensitive or row.status == CategoryStatus.APPROVED):
        return pair
    return _sensitive_stand_in(row)


def _sensitive_stand_in(row: MiniProgramCategory) -> catalog.Pair:
    """A category no longer in the catalog: sensitive, asking for one document."""

    def node(id_: int, name: str, level: int) -> catalog.Category:
        return catalog.Category(
            id=id_,
            name=name,
            level=level,
            father=0,
            children=(),
            sensitive=True,
            qualifications=(),
            remark="",
            raw={},
        )

    return catalog.Pair(
        node(row.first_id, row.first_name, 1), node(row.second_id, row.second_name, 2)
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
        clean = _clean_certificates(mp, category_pair(mp, row), certificates, keeper)
        replaced = _kept_files(row.certificates)
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
            after={"status": row.status, "certificates": [item["key"] for item in clean]},
        )
        transaction.on_commit(lambda: media.kept_delete(replaced))
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
