"""INF-6: sensitive categories need qualification material and an operator's review;
under review they cannot be deleted; a rejected one may only get new certificates."""

from __future__ import annotations

import pytest

from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory
from miniport.miniprograms.services import categories, media
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,  # noqa: F401
    image_bytes,
    snapshot,
    staff_actor_fixture,  # noqa: F401
)

MEDICAL = (8, 801)


@pytest.fixture
def licence(company_app):
    uploaded = media.media_upload(
        actor=actor_of(company_app),
        miniprogram=company_app,
        upload=image_bytes("JPEG"),
        media_type="image",
    )
    return [{"key": "医疗机构执业许可证", "value": uploaded.media_id}]


def add(mp, certificates=None):
    return categories.category_add(
        actor=actor_of(mp),
        miniprogram=mp,
        first=MEDICAL[0],
        second=MEDICAL[1],
        certificates=certificates,
    )


def refused(mp, call, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    assert snapshot(mp) == before


def test_a_sensitive_category_without_material_is_refused(company_app):
    """INF-6: 53311."""
    refused(company_app, lambda: add(company_app), MiniProgramError.CATEGORY_MATERIAL_REQUIRED)


def test_a_certificate_must_name_an_uploaded_media_file(company_app):
    fake = [{"key": "医疗机构执业许可证", "value": "64b0f000_" + "a" * 32}]
    refused(company_app, lambda: add(company_app, fake), MiniProgramError.INVALID_MEDIA_ID)


def test_a_sensitive_category_waits_for_review_then_is_approved(company_app, licence, staff_actor):
    """INF-6: status under review → approved."""
    row = add(company_app, licence)
    assert row.status == CategoryStatus.PENDING
    categories.category_review_approve(actor=staff_actor, category=row)
    assert MiniProgramCategory.objects.get(pk=row.pk).status == CategoryStatus.APPROVED


def test_a_category_under_review_cannot_be_deleted(company_app, licence):
    """INF-6: 53308."""
    add(company_app, licence)
    refused(
        company_app,
        lambda: categories.category_delete(
            actor=actor_of(company_app),
            miniprogram=company_app,
            first=MEDICAL[0],
            second=MEDICAL[1],
        ),
        MiniProgramError.CATEGORY_UNDER_REVIEW,
    )


def test_rejection_keeps_the_reason_and_new_certificates_send_it_back_to_review(
    company_app, licence, staff_actor
):
    """INF-6: rejected with a reason; modify replaces the certificates of a rejected one."""
    row = add(company_app, licence)
    categories.category_review_reject(actor=staff_actor, category=row, reason="许可证已过期")
    row.refresh_from_db()
    assert (row.status, row.reason) == (CategoryStatus.REJECTED, "许可证已过期")
    categories.category_modify(
        actor=actor_of(company_app),
        miniprogram=company_app,
        first=MEDICAL[0],
        second=MEDICAL[1],
        certificates=licence,
    )
    row.refresh_from_db()
    assert (row.status, row.reason) == (CategoryStatus.PENDING, "")


def test_only_a_rejected_category_can_be_modified(company_app, licence):
    """INF-6: 53307."""
    add(company_app, licence)
    refused(
        company_app,
        lambda: categories.category_modify(
            actor=actor_of(company_app),
            miniprogram=company_app,
            first=MEDICAL[0],
            second=MEDICAL[1],
            certificates=licence,
        ),
        MiniProgramError.CATEGORY_NOT_REJECTED,
    )


def test_a_rejected_category_can_be_deleted(company_app, licence, staff_actor):
    row = add(company_app, licence)
    categories.category_review_reject(actor=staff_actor, category=row, reason="材料不清晰")
    categories.category_delete(
        actor=actor_of(company_app), miniprogram=company_app, first=8, second=801
    )
    assert not MiniProgramCategory.objects.filter(pk=row.pk).exists()


def test_rejecting_needs_a_reason(company_app, licence, staff_actor):
    row = add(company_app, licence)
    refused(
        company_app,
        lambda: categories.category_review_reject(actor=staff_actor, category=row, reason=""),
        CoreError.FIELD_REQUIRED,
    )
