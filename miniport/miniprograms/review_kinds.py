"""The review kinds of this domain, registered with the review machine from
`MiniprogramsConfig.ready()`: "name" (INF-2, the target is the mini program) and
"category" (INF-6, the target is the category row).

The callbacks run inside the review machine's transaction, after the review moved; a
callback that refuses (a name taken meanwhile) rolls the whole decision back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock, events, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import catalog, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import (
    CategoryStatus,
    MiniProgram,
    MiniProgramCategory,
    PendingName,
)
from miniport.miniprograms.selectors import CATEGORY_KIND, NAME_KIND
from miniport.miniprograms.services.info import quota_scope
from miniport.miniprograms.services.naming import (
    naming_material,
    naming_material_image,
    requested_name,
)
from miniport.miniprograms.services.qualifications import certificate_image
from miniport.review import registry
from miniport.review.models import Review

# WeChat's name and category review pushes (wechat-api 7.4, 8.2): ret 2 rejected, 3 approved.
RET_REJECTED, RET_APPROVED = 2, 3


def _target_miniprogram(review: Review) -> MiniProgram | None:
    """The mini program a review is about: by its appid, which every kind records."""
    return (
        MiniProgram.objects.select_related("subject").filter(appid=review.appid).first()
        if review.appid
        else None
    )


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews a mini program he belongs to."""
    mp = _target_miniprogram(review)
    return mp is not None and selectors.actor_is_member(mp, actor)


# --- names (INF-2) -------------------------------------------------------------------


def material_label(name: str) -> str:
    """How the desk names one kind of naming material (setnickname's fields)."""
    if name == "id_card":
        return _("ID card")
    if name == "license":
        return _("Business licence")
    return _("Other material %(n)s") % {"n": name.rsplit("_", 1)[-1]}


def _miniprograms_of(reviews) -> dict[str, MiniProgram]:
    """The mini programs `reviews` are about, by appid, in one query."""
    appids = {review.appid for review in reviews if review.appid}
    rows = MiniProgram.objects.select_related("subject").filter(appid__in=appids)
    return {mp.appid: mp for mp in rows} if appids else {}


def describe_name(review: Review) -> registry.Description:
    return _describe_name(review, _target_miniprogram(review))


def describe_names(reviews) -> list[registry.Description]:
    """`describe_name` for a page of reviews, their mini programs read at once."""
    programs = _miniprograms_of(reviews)
    return [_describe_name(review, programs.get(review.appid)) for review in reviews]


def _describe_name(review: Review, mp: MiniProgram | None) -> registry.Description:
    current = (mp.name if mp is not None else "") or "—"
    requested = requested_name(review)
    return registry.Description(
        title=_("Name “%(name)s”") % {"name": requested},
        appid=review.appid,
        summary=f"{current} → {requested}",
        facts=(
            (_("Current name"), current),
            (_("Requested name"), requested),
            (_("Subject type"), mp.subject.get_subject_type_display() if mp else "—"),
        ),
        documents=tuple((name, material_label(name)) for name in naming_material(review)),
    )


def _locked_miniprogram(review: Review) -> MiniProgram:
    mp = MiniProgram.objects.select_for_update().filter(pk=int(review.target_id)).first()
    if mp is None:
        raise PlatformError(CoreError.NOT_FOUND)
    return mp


def _give_back(review: Review, mp: MiniProgram) -> None:
    """The change a request used is given back in the window it was taken from; a
    request decided after that window closed has nothing left to give back."""
    charged = (review.material or {}).get("charged")
    if charged and quotas.window_key(charged["window"]) == charged["key"]:
        quotas.release(quota_scope(mp), charged["rule"], window=charged["window"])


def approve_name(review: Review, actor: Actor) -> None:
    mp = _locked_miniprogram(review)
    PendingName.objects.filter(review=review).delete()
    before, mp.name = mp.name, requested_name(review)
    try:
        with transaction.atomic():
            mp.save(update_fields=["name"])
    except IntegrityError:
        # Someone outside the review flow took the name meanwhile.
        raise PlatformError(MiniProgramError.NAME_TAKEN, field="name")
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
        {
            "appid": mp.appid,
            "audit_id": review.pk,
            "ret": RET_APPROVED,
            "nickname": mp.name,
            "reason": "",
        },
        appid=mp.appid,
    )


def reject_name(review: Review, actor: Actor, reasons: list[str]) -> None:
    mp = _locked_miniprogram(review)
    PendingName.objects.filter(review=review).delete()
    _give_back(review, mp)
    reason = "\n".join(reasons)
    audit.record(
        actor,
        "profile.name_reject",
        target=review,
        appid=mp.appid,
        after={"requested_name": requested_name(review), "reason": reason},
    )
    events.emit(
        "miniprogram.name_audit",
        {
            "appid": mp.appid,
            "audit_id": review.pk,
            "ret": RET_REJECTED,
            "nickname": requested_name(review),
            "reason": reason,
        },
        appid=mp.appid,
    )


def withdraw_name(review: Review, actor: Actor) -> None:
    mp = _locked_miniprogram(review)
    PendingName.objects.filter(review=review).delete()
    _give_back(review, mp)


# --- categories (INF-6) --------------------------------------------------------------


def _category(review: Review, *, lock: bool = False) -> MiniProgramCategory | None:
    rows = MiniProgramCategory.objects.select_related("miniprogram", "miniprogram__subject")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=int(review.target_id)).first()


def describe_category(review: Review) -> registry.Description:
    return _describe_category(review, _category(review), None)


def describe_categories(reviews) -> list[registry.Description]:
    """`describe_category` for a page of reviews, their rows read at once."""
    pks = [_category_pk(review) for review in reviews]
    rows = MiniProgramCategory.objects.select_related("miniprogram", "miniprogram__subject")
    by_pk = {row.pk: row for row in rows.filter(pk__in={pk for pk in pks if pk is not None})}
    found = [by_pk.get(pk) if pk is not None else None for pk in pks]
    # A review whose category row is gone is described by its mini program.
    programs = _miniprograms_of([r for r, row in zip(reviews, found, strict=True) if row is None])
    return [
        _describe_category(review, row, programs)
        for review, row in zip(reviews, found, strict=True)
    ]


def _category_pk(review: Review) -> int | None:
    target = str(review.target_id)
    return int(target) if target.isdigit() else None


def _describe_category(
    review: Review, row: MiniProgramCategory | None, programs: dict[str, MiniProgram] | None
) -> registry.Description:
    material = review.material or {}
    # Names in the page's language: the catalog carries each one's English name.
    if row is not None:
        label = catalog.label_in(row.first_name, row.second_name)
    else:
        label = str(material.get("category", ""))
    mp: MiniProgram | None
    if row is not None:
        mp = row.miniprogram
    elif programs is not None:
        mp = programs.get(review.appid)
    else:
        mp = _target_miniprogram(review)
    qualifications = [
        catalog.name_in(item.get("key", "")) for item in (row.certificates if row else []) or []
    ]
    return registry.Description(
        title=_("Category %(name)s") % {"name": label},
        appid=review.appid,
        summary=" · ".join([label, *qualifications]),
        facts=(
            (_("Mini program"), (mp.name if mp else "") or "—"),
            (_("Subject type"), mp.subject.get_subject_type_display() if mp else "—"),
            (_("Category"), label),
        ),
        documents=tuple((str(n), key) for n, key in enumerate(qualifications)),
    )


def category_document(review: Review, key: str) -> tuple[bytes, str] | None:
    row = _category(review)
    if row is None or not key.isascii() or not key.isdigit():
        return None
    return certificate_image(row, int(key))


def _decide_category(review: Review, actor: Actor, status: str, reason: str) -> None:
    row = _category(review, lock=True)
    if row is None:
        raise PlatformError(CoreError.NOT_FOUND)
    row.status, row.reason, row.decided_at = status, reason, clock.now()
    row.save(update_fields=["status", "reason", "decided_at"])
    approved = status == CategoryStatus.APPROVED
    appid = row.miniprogram.appid
    audit.record(
        actor,
        "categories.approve" if approved else "categories.reject",
        target=row,
        appid=appid,
        after={
            "category": f"{row.first_name} > {row.second_name}",
            "status": row.status,
            "reason": row.reason,
        },
    )
    events.emit(
        "miniprogram.category_audit",
        {
            "appid": appid,
            "first": row.first_id,
            "second": row.second_id,
            "category": f"{row.first_name} > {row.second_name}",
            "ret": RET_APPROVED if approved else RET_REJECTED,
            "reason": row.reason,
        },
        appid=appid,
    )


def approve_category(review: Review, actor: Actor) -> None:
    _decide_category(review, actor, CategoryStatus.APPROVED, "")


def reject_category(review: Review, actor: Actor, reasons: list[str]) -> None:
    # The review machine keeps the joined reasons within the category's reason column.
    _decide_category(review, actor, CategoryStatus.REJECTED, "\n".join(reasons))


KINDS = (
    registry.Kind(
        key=NAME_KIND,
        label=gettext_lazy("Mini program name"),
        describe=describe_name,
        describe_many=describe_names,
        approve=approve_name,
        reject=reject_name,
        is_member=is_member,
        withdraw=withdraw_name,
        document=naming_material_image,
    ),
    registry.Kind(
        key=CATEGORY_KIND,
        label=gettext_lazy("Service category"),
        describe=describe_category,
        describe_many=describe_categories,
        approve=approve_category,
        reject=reject_category,
        is_member=is_member,
        document=category_document,
    ),
)


def register_kinds() -> None:
    for kind in KINDS:
        registry.register(kind)
