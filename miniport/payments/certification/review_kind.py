"""The review kind "certification" (CER-1): the target is the application, opened when its
fee is paid. Approving certifies the subject (`subject_certify`: one more term, and a
registration waiting for certification is verified and opens); rejecting closes the
application with the reasons (a new one may follow); delaying asks for more material,
whose reasons the applicant sees, and the applicant's supplement resumes the review.

The callbacks run inside the review machine's transaction, after the review moved; a
callback that refuses rolls the whole decision back. A reviewer who belongs to the mini
program is refused by the machine (`is_member`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.accounts.services.certification import subject_certify
from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.masking import mask
from miniport.miniprograms import selectors as mp_selectors
from miniport.payments.certification import documents as docs
from miniport.payments.certification.selectors import KIND, application_by_pk, day
from miniport.payments.models import (
    CertificationApplication,
    CertificationKind,
    CertificationState,
)
from miniport.review import registry
from miniport.review.models import Review

DECIDABLE = (CertificationState.UNDER_REVIEW, CertificationState.MATERIAL_REQUESTED)


def _application(review: Review) -> CertificationApplication | None:
    return application_by_pk(review.target_id)


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews the certification of a mini program he belongs to."""
    application = _application(review)
    return application is not None and mp_selectors.actor_is_member(application.miniprogram, actor)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def describe(review: Review) -> registry.Description:
    application = _application(review)
    if application is None:
        return registry.Description(title=_("Certification"), appid=review.appid)
    mp = application.miniprogram
    subject = mp.subject
    renewal = application.kind == CertificationKind.RENEWAL
    title = (
        _("Certification renewal of %(name)s") if renewal else _("Certification of %(name)s")
    ) % {"name": subject.name}
    facts = [
        (_("Mini program"), mp.name or mp.appid),
        (_("Subject"), subject.name),
        (_("Subject type"), subject.get_subject_type_display()),
        (_("Unified social credit code"), subject.credit_code or "—"),
        (_("Application"), application.get_kind_display()),
        (_("Contact"), f"{application.contact_name} {mask(application.contact_phone)}"),
        (_("Fee"), _("%(amount)s yuan") % {"amount": _yuan(application.fee_fen)}),
        (
            _("Fee paid"),
            f"{application.get_fee_channel_display()} {application.fee_reference}".strip() or "—",
        ),
    ]
    if subject.certified_until is not None:
        facts.append((_("Certified until"), day(subject.certified_until)))
    return registry.Description(
        title=title,
        appid=mp.appid,
        summary=" · ".join([subject.get_subject_type_display(), application.get_kind_display()]),
        facts=tuple(facts),
        documents=tuple(
            (str(n), docs.label(str(item.get("key", ""))))
            for n, item in enumerate(application.documents or [])
            if isinstance(item, dict)
        ),
    )


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    application = _application(review)
    if application is None or not key.isascii() or not key.isdigit():
        return None
    items = application.documents or []
    index = int(key)
    return docs.read(items[index]) if 0 <= index < len(items) else None


def _locked(review: Review) -> CertificationApplication:
    application = (
        CertificationApplication.objects.select_for_update(of=("self",))
        .select_related("miniprogram", "miniprogram__subject")
        .filter(pk=int(review.target_id))
        .first()
    )
    if application is None:
        raise PlatformError(CoreError.NOT_FOUND)
    if application.state not in DECIDABLE:
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=application.state, action="decide")
    return application


def _decide(
    review: Review, actor: Actor, to: str, action: str, event: str, reasons: list[str]
) -> CertificationApplication:
    application = _locked(review)
    before = application.state
    application.state = to
    application.reasons = "\n".join(reasons)
    if to != CertificationState.MATERIAL_REQUESTED:
        application.decided_at = clock.now()
    application.save(update_fields=["state", "reasons", "decided_at"])
    appid = application.miniprogram.appid
    audit.record(
        actor,
        action,
        target=application,
        appid=appid,
        before={"state": before},
        after={"state": to, "reason": application.reasons, "review": review.pk},
    )
    events.emit(
        event,
        {
            "application": application.pk,
            "kind": application.kind,
            "reason": application.reasons,
            "review": review.pk,
        },
        appid=appid,
    )
    return application


def approve(review: Review, actor: Actor) -> None:
    application = _decide(
        review,
        actor,
        CertificationState.APPROVED,
        "certification.approve",
        "certification.approved",
        [],
    )
    subject_certify(actor=actor, subject=application.miniprogram.subject, note=review.note)


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decide(
        review,
        actor,
        CertificationState.REJECTED,
        "certification.reject",
        "certification.rejected",
        reasons,
    )


def ask_for_material(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decide(
        review,
        actor,
        CertificationState.MATERIAL_REQUESTED,
        "certification.material_request",
        "certification.material_requested",
        reasons,
    )


KIND_ENTRY = registry.Kind(
    key=KIND,
    label=gettext_lazy("Certification"),
    describe=describe,
    approve=approve,
    reject=reject,
    is_member=is_member,
    delay=ask_for_material,
    delay_label=gettext_lazy("Ask for more material"),
    document=document,
)


def register_kind() -> None:
    registry.register(KIND_ENTRY)
