"""Developer qualification certification of an open account (OPN-1): the owner uploads
documents from a mini program console of the subject, the ops desk approves or rejects
them (review kind "open_certification"); only a certified account binds from the console.

Documents are images checked by content and re-encoded from their pixels (the checks of
every uploaded document: `miniprograms.services.images`), kept like the merchants'
documents, stored as `[{"key": "d1", "name": shown name, "file": storage name}]`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.links.open_platform import services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import Certification, OpenAccount
from miniport.links.open_platform.selectors import OPEN_CERTIFICATION_KIND
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import images, media
from miniport.review import registry
from miniport.review import services as review_services
from miniport.review.models import Review
from miniport.review.selectors import target_row

FIELD = "documents"


def _shown(upload, number: int) -> str:
    name = str(getattr(upload, "name", "") or f"document {number}")
    return re.sub(r"[\x00-\x1f\x7f]", "", name.rsplit("/", 1)[-1])[:80] or f"document {number}"


def _clean(upload) -> bytes:
    data = images.read_capped(upload, policy.value("media.image_max_bytes"), field=FIELD)
    inspected = images.inspect(
        data,
        formats=media.IMAGE_FORMATS,
        field=FIELD,
        max_side=policy.value("media.image_max_side_pixels"),
    )
    return images.reencode(inspected, field=FIELD)


def certification_submit(
    *,
    actor: Actor,
    account: OpenAccount,
    miniprogram: MiniProgram,
    documents: Iterable[object] | None,
) -> Review:
    """Submit the documents for review. Refused while one is under review or after
    approval (CERTIFICATION_OPEN), without documents (DOCUMENTS_REQUIRED), with more than
    `open.certification_max_documents` (TOO_MANY_DOCUMENTS), or when one is not an image
    (the image checks' code, naming the field). All or nothing."""
    given = [upload for upload in (documents or []) if upload not in (None, b"")]
    if account.certification in (Certification.PENDING, Certification.CERTIFIED):
        raise PlatformError(OpenError.CERTIFICATION_OPEN)
    if not given:
        raise PlatformError(OpenError.DOCUMENTS_REQUIRED, field=FIELD)
    limit = policy.value("open.certification_max_documents")
    if len(given) > limit:
        raise PlatformError(OpenError.TOO_MANY_DOCUMENTS, field=FIELD, limit=limit)
    cleaned = [(_shown(upload, n), _clean(upload)) for n, upload in enumerate(given, start=1)]
    with media.Keeper(miniprogram) as keeper, transaction.atomic():
        kept = []
        for number, (shown, data) in enumerate(cleaned, start=1):
            stored = media.Media(media_id="", type=media.IMAGE, created_at=clock.now(), data=data)
            kept.append(
                {"key": f"d{number}", "name": shown, "file": keeper.keep(stored, field=FIELD)}
            )
        moved = OpenAccount.objects.filter(
            pk=account.pk, certification__in=(Certification.NONE, Certification.REJECTED)
        ).update(certification=Certification.PENDING, documents=kept, reasons="")
        if not moved:
            raise PlatformError(OpenError.CERTIFICATION_OPEN)
        review = review_services.review_open(
            actor=actor,
            kind=OPEN_CERTIFICATION_KIND,
            target_id=account.pk,
            appid=miniprogram.appid,
            material={"open_appid": account.open_appid},
        )
        audit.record(
            actor,
            "open.certification_submit",
            target=account,
            appid=miniprogram.appid,
            after={"documents": len(kept)},
        )
    account.refresh_from_db()
    return review


# --- the review kind --------------------------------------------------------------------------


def _account(review: Review, *, lock: bool = False) -> OpenAccount | None:
    return target_row(
        review, OpenAccount.objects.select_related("subject", "created_by"), lock=lock
    )


def _pending(review: Review) -> OpenAccount:
    account = _account(review, lock=True)
    if account is None:
        raise PlatformError(CoreError.NOT_FOUND)
    if account.certification != Certification.PENDING:
        raise PlatformError(
            CoreError.ILLEGAL_TRANSITION, state=account.certification, action="decide"
        )
    return account


def describe(review: Review) -> registry.Description:
    account = _account(review)
    title = _("Developer qualification certification")
    if account is None:
        return registry.Description(title=title, appid=review.appid)
    return registry.Description(
        title=f"{title}: {account.open_appid}",
        appid=review.appid,
        summary=account.subject.name or account.open_appid,
        facts=(
            (_("Open platform account"), account.open_appid),
            (_("Subject"), account.subject.name or "—"),
            (_("Subject type"), account.subject.get_subject_type_display()),
            (_("Bound apps"), str(account.bound_count)),
        ),
        documents=tuple(
            (str(item["key"]), str(item.get("name") or item["key"]))
            for item in account.documents or []
            if isinstance(item, dict) and item.get("key")
        ),
    )


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    account = _account(review)
    if account is None:
        return None
    for item in account.documents or []:
        if isinstance(item, dict) and item.get("key") == key:
            return media.kept_read(item.get("file"))
    return None


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews an account created by a mini program he belongs to."""
    account = _account(review)
    if account is None or account.created_by is None:
        return False
    return mp_selectors.actor_is_member(account.created_by, actor)


def approve(review: Review, actor: Actor) -> None:
    services.certification_decided(actor=actor, account=_pending(review), approved=True, reasons=[])


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    services.certification_decided(
        actor=actor, account=_pending(review), approved=False, reasons=reasons
    )


def withdraw(review: Review, actor: Actor) -> None:
    account = _pending(review)
    account.certification = Certification.NONE
    account.save(update_fields=["certification"])


KIND = registry.Kind(
    key=OPEN_CERTIFICATION_KIND,
    label=gettext_lazy("Developer qualification certification"),
    describe=describe,
    approve=approve,
    reject=reject,
    is_member=is_member,
    withdraw=withdraw,
    document=document,
)


def register_kind() -> None:
    registry.register(KIND)
