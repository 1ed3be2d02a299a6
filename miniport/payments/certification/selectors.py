"""Reads about certification: a mini program's applications, the renewal window, the
review of an application."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import formats, timezone

from miniport.accounts.models import Subject, SubjectType
from miniport.core import clock, policy
from miniport.miniprograms.models import MiniProgram
from miniport.payments.models import (
    CERTIFICATION_OPEN_STATES,
    CertificationApplication,
)
from miniport.review.models import Review

KIND = "certification"


def open_application(miniprogram: MiniProgram) -> CertificationApplication | None:
    """The application in progress (waiting for the fee, under review, waiting for more
    material), at most one."""
    return (
        CertificationApplication.objects.select_related("fee_order")
        .filter(miniprogram=miniprogram, state__in=CERTIFICATION_OPEN_STATES)
        .first()
    )


def latest_application(miniprogram: MiniProgram) -> CertificationApplication | None:
    return (
        CertificationApplication.objects.select_related("fee_order")
        .filter(miniprogram=miniprogram)
        .order_by("-id")
        .first()
    )


def application_by_pk(pk) -> CertificationApplication | None:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        CertificationApplication.objects.select_related(
            "miniprogram", "miniprogram__subject", "fee_order"
        )
        .filter(pk=number)
        .first()
    )


def review_of(application: CertificationApplication) -> Review | None:
    """The latest review of an application (one per application: it opens when the fee is
    paid)."""
    return Review.objects.filter(kind=KIND, target_id=str(application.pk)).order_by("-id").first()


def reviews_of(applications) -> dict[int, Review]:
    """`review_of` for a page of applications, by application id, in one query."""
    keys = [str(application.pk) for application in applications]
    latest: dict[int, Review] = {}
    for review in Review.objects.filter(kind=KIND, target_id__in=keys).order_by("id"):
        latest[int(review.target_id)] = review  # the newest last
    return latest


def renewal_window_days() -> int:
    return policy.value("certification.renewal_window_days")


def renewal_opens_at(subject: Subject) -> datetime | None:
    """When a certified subject may start renewing; None when never certified."""
    if subject.certified_until is None:
        return None
    return subject.certified_until - timedelta(days=renewal_window_days())


def renewal_open(subject: Subject) -> bool:
    """A subject once certified may renew within the window before expiry, or after it."""
    opens = renewal_opens_at(subject)
    return opens is not None and clock.now() >= opens


def may_certify(subject: Subject) -> bool:
    """CER-1: every subject type but personal."""
    return subject.subject_type != SubjectType.PERSONAL


def must_certify(subject: Subject) -> bool:
    """CER-1: government, media and other organisations must certify (REG-7); an
    enterprise that chose certification as its verification must too (REG-6b)."""
    return subject.subject_type in (
        SubjectType.GOVERNMENT,
        SubjectType.MEDIA,
        SubjectType.OTHER,
    ) or (subject.verification_method == "certification")


def day(moment: datetime | None) -> str:
    """A moment as the local date (YYYY-MM-DD), for messages and facts."""
    return formats.date_format(timezone.localtime(moment), "Y-m-d") if moment else ""
