"""PAY-1: a certified mini program applies for payment; the desk approves (the merchant
opens with a mch_id and an API key), rejects with reasons or asks for more material."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.accounts.models import Subject
from miniport.core import clock
from miniport.core.errors import CoreError, PlatformError
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.selectors import latest_application, merchant_of
from miniport.payments.merchants.services import merchant_supplement, merchant_withdraw
from miniport.payments.models import (
    Merchant,
    MerchantApplication,
    MerchantApplicationState,
    MerchantKind,
)
from miniport.review import registry
from miniport.review import services as review_services
from miniport.review.models import Review, ReviewState
from tests.payments.merchants.support import (
    ACCOUNT_NUMBER,
    REVIEWER,
    apply,
    approve,
    in_audit,
    owner,
    png,
    raw_column,
    review_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(provision):
    return provision("enterprise", certified=True).miniprogram


def _nothing_written():
    return (
        MerchantApplication.objects.count(),
        Merchant.objects.count(),
        Review.objects.count(),
    ) == (0, 0, 0)


def test_pay1_a_certified_mini_program_applies_and_the_desk_sees_it(certified):
    """PAY-1: the application waits on the desk with its facts and documents."""
    application = apply(owner(certified), certified)
    assert application.state == MerchantApplicationState.UNDER_REVIEW
    review = review_of(application)
    assert review.state == ReviewState.PENDING and review.appid == certified.appid
    description = registry.get("merchant").describe(review)
    facts = dict(description.facts)
    assert ACCOUNT_NUMBER not in str(facts) and ACCOUNT_NUMBER[-4:] in str(facts)
    assert [key for key, _label in description.documents] == ["licence", "id_card"]
    data, fmt = registry.get("merchant").document(review, "licence")
    assert fmt == "PNG" and data
    assert registry.get("merchant").document(review, "nope") is None
    # The account number is sealed at rest.
    stored = raw_column(MerchantApplication, "settlement_account_number", application.pk)
    assert stored and ACCOUNT_NUMBER not in stored


@pytest.mark.parametrize("subject_type", ["personal"])
def test_pay1_personal_subjects_are_refused(provision, subject_type):
    """PAY-1: a personal mini program never opens payment; nothing is written."""
    mp = provision(subject_type).miniprogram
    with pytest.raises(PlatformError) as refused:
        apply(owner(mp), mp)
    assert refused.value.code == MerchantError.PERSONAL_SUBJECT
    assert _nothing_written()


def test_pay1_uncertified_mini_programs_are_refused(provision):
    """PAY-1: an enterprise mini program without certification is refused."""
    mp = provision("enterprise").miniprogram
    with pytest.raises(PlatformError) as refused:
        apply(owner(mp), mp)
    assert refused.value.code == MerchantError.NOT_CERTIFIED
    assert _nothing_written()


def test_pay1_an_expired_certification_is_refused(certified):
    """PAY-1 / CER-1: certification that ran out no longer lets a mini program apply."""
    Subject.objects.filter(pk=certified.subject_id).update(
        certified_until=clock.now() - timedelta(days=1)
    )
    certified.subject.refresh_from_db()
    with pytest.raises(PlatformError) as refused:
        apply(owner(certified), certified)
    assert refused.value.code == MerchantError.NOT_CERTIFIED
    assert _nothing_written()


def test_pay1_one_open_application_per_mini_program(certified):
    apply(owner(certified), certified)
    with pytest.raises(PlatformError) as refused:
        apply(owner(certified), certified)
    assert refused.value.code == MerchantError.APPLICATION_OPEN
    assert MerchantApplication.objects.count() == 1 and Review.objects.count() == 1


@pytest.mark.parametrize(
    ("docs", "code"),
    [
        ({"licence": png()}, MerchantError.DOCUMENT_MISSING),
        ({"licence": png(), "id_card": png(), "selfie": png()}, MerchantError.DOCUMENT_UNKNOWN),
    ],
)
def test_pay1_documents_are_checked(certified, docs, code):
    with pytest.raises(PlatformError) as refused:
        apply(owner(certified), certified, docs=docs)
    assert refused.value.code == code and refused.value.field == "documents"
    assert _nothing_written()


def test_pay1_a_file_that_is_no_image_is_refused_and_nothing_is_kept(certified, settings):
    import os

    with pytest.raises(PlatformError) as refused:
        apply(owner(certified), certified, docs={"licence": png(), "id_card": b"%PDF-1.4 no"})
    assert refused.value.field == "documents"
    assert _nothing_written()
    kept = os.path.join(settings.MEDIA_ROOT, "kept")
    assert not os.path.isdir(kept) or not any(files for _d, _s, files in os.walk(kept))


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"business_name": "  "}, "business_name", CoreError.FIELD_REQUIRED),
        ({"business_name": "x" * 101}, "business_name", CoreError.FIELD_INVALID),
        ({"contact_email": "not-an-email"}, "contact_email", CoreError.FIELD_INVALID),
        ({"settlement_account_number": "12ab"}, "settlement_account_number", None),
        ({"service_phone": "call me"}, "service_phone", None),
    ],
)
def test_pay1_bad_fields_are_refused_with_their_field(certified, override, field, code):
    with pytest.raises(PlatformError) as refused:
        apply(owner(certified), certified, **override)
    assert refused.value.field == field
    if code is not None:
        assert refused.value.code == code
    assert _nothing_written()


def test_pay1_approval_opens_the_merchant(certified):
    """PAY-1: approving creates the merchant: 10-digit mch_id, 32-character key, kind
    miniprogram, named after the mini program, key not shown yet."""
    application = apply(owner(certified), certified)
    merchant = approve(application)
    assert application.state == MerchantApplicationState.APPROVED
    assert merchant == merchant_of(certified)
    assert merchant.kind == MerchantKind.MINIPROGRAM and merchant.name == certified.name
    assert len(merchant.mch_id) == 10 and merchant.mch_id.isdigit()
    assert len(merchant.api_key) == 32 and merchant.key_shown_at is None
    # The key is in no audit row.
    assert not in_audit(merchant.api_key)


def test_pay1_approval_refused_when_certification_expired_meanwhile(certified):
    application = apply(owner(certified), certified)
    Subject.objects.filter(pk=certified.subject_id).update(
        certified_until=clock.now() - timedelta(seconds=1)
    )
    with pytest.raises(PlatformError) as refused:
        review_services.review_approve(actor=REVIEWER, review=review_of(application))
    assert refused.value.code == MerchantError.NOT_CERTIFIED
    application.refresh_from_db()
    assert application.state == MerchantApplicationState.UNDER_REVIEW
    assert review_of(application).state == ReviewState.PENDING
    assert not Merchant.objects.exists()


def test_pay1_rejection_keeps_the_reasons_and_a_new_application_may_follow(certified):
    application = apply(owner(certified), certified)
    review_services.review_reject(
        actor=REVIEWER, review=review_of(application), reasons=["营业执照模糊", "账户名不符"]
    )
    application.refresh_from_db()
    assert application.state == MerchantApplicationState.REJECTED
    assert application.reasons == "营业执照模糊\n账户名不符"
    assert not Merchant.objects.exists()
    again = apply(owner(certified), certified)
    assert latest_application(certified) == again


def test_pay1_more_material_then_supplement_resumes_the_review(certified):
    application = apply(owner(certified), certified)
    review = review_of(application)
    review_services.review_delay(actor=REVIEWER, review=review, reasons=["请补充开户证明"])
    application.refresh_from_db()
    assert application.state == MerchantApplicationState.MATERIAL_REQUESTED
    assert application.reasons == "请补充开户证明"

    merchant_supplement(
        actor=owner(certified),
        miniprogram=certified,
        documents={"account_proof": png((1, 2, 3))},
        note="已补充",
    )
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.state == MerchantApplicationState.UNDER_REVIEW
    assert [d["key"] for d in application.documents] == ["licence", "id_card", "account_proof"]
    assert review.state == ReviewState.PENDING
    assert review.material["supplement"]["note"] == "已补充"
    assert approve(application) is not None


def test_pay1_supplement_without_a_request_is_refused(certified):
    application = apply(owner(certified), certified)
    with pytest.raises(PlatformError) as refused:
        merchant_supplement(
            actor=owner(certified), miniprogram=certified, documents={"account_proof": png()}
        )
    assert refused.value.code == MerchantError.NO_APPLICATION
    application.refresh_from_db()
    assert application.documents and len(application.documents) == 2


def test_pay1_withdraw_closes_the_application(certified):
    apply(owner(certified), certified)
    application = merchant_withdraw(actor=owner(certified), miniprogram=certified)
    assert application.state == MerchantApplicationState.WITHDRAWN
    assert review_of(application).state == ReviewState.WITHDRAWN


def test_pay1_members_do_not_review_their_own_application(certified):
    from miniport.review.errors import ReviewError

    application = apply(owner(certified), certified)
    with pytest.raises(PlatformError) as refused:
        review_services.review_approve(actor=owner(certified), review=review_of(application))
    assert refused.value.code in (ReviewError.REVIEWER_ONLY, ReviewError.REVIEWER_IS_MEMBER)
    assert not Merchant.objects.exists()
