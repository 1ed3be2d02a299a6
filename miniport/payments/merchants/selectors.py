"""Reading merchants (PAY-1): a mini program's merchant, its applications and their
reviews."""

from __future__ import annotations

from miniport.miniprograms.models import MiniProgram
from miniport.payments.models import (
    MERCHANT_OPEN_STATES,
    Merchant,
    MerchantApplication,
)
from miniport.review.models import Review

MERCHANT_KIND = "merchant"


def merchant_of(miniprogram: MiniProgram) -> Merchant | None:
    """The mini program's merchant, or None when it has none (yet)."""
    if miniprogram is None or miniprogram.pk is None:
        return None
    return Merchant.objects.filter(miniprogram=miniprogram).first()


def merchant_by_mch_id(mch_id: str) -> Merchant | None:
    return Merchant.objects.select_related("miniprogram").filter(mch_id=mch_id).first()


def open_application(miniprogram: MiniProgram) -> MerchantApplication | None:
    """The application under review or waiting for material (one at most)."""
    return MerchantApplication.objects.filter(
        miniprogram=miniprogram, state__in=MERCHANT_OPEN_STATES
    ).first()


def latest_application(miniprogram: MiniProgram) -> MerchantApplication | None:
    """The newest application, whatever its state (what the console shows)."""
    return MerchantApplication.objects.filter(miniprogram=miniprogram).order_by("-id").first()


def application_review(application: MerchantApplication | None) -> Review | None:
    """The newest review of an application."""
    if application is None:
        return None
    return (
        Review.objects.filter(kind=MERCHANT_KIND, target_id=str(application.pk))
        .order_by("-id")
        .first()
    )
