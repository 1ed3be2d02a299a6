"""CER-2: the 300 CNY fee (a sandbox order paid by the administrator, or a bank remittance
an operator records) opens the review; the review kind "certification" approves
(certifies the subject for a year), rejects with reasons, or asks for more material,
which the administrator adds to resume the review. REG-7: approval verifies a
registration waiting for certification."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.selectors import openid_for
from miniport.payments.certification import services
from miniport.payments.certification.errors import CertificationError
from miniport.payments.models import CertificationApplication, Order
from miniport.review import services as review
from miniport.review.errors import ReviewError
from tests.payments.certification.support import (
    STAFF,
    admin_actor,
    apply,
    pay,
    png,
    review_of,
    state,
    upload,
)


def fresh(application):
    return CertificationApplication.objects.get(pk=application.pk)


def test_cer2_fee_paid_opens_the_review_once(enterprise):
    application = apply(enterprise)
    assert pay(application) is True
    assert pay(application) is False  # a repeated notification changes nothing
    stored = fresh(application)
    assert stored.state == "under_review"
    assert stored.fee_channel == "sandbox" and stored.fee_reference == "REF-1"
    reviews = review_of(application)
    assert reviews.state == "pending" and reviews.appid == enterprise.appid


def test_cer2_fee_paid_with_an_unknown_channel_is_refused(enterprise):
    application = apply(enterprise)
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_paid(
            actor=Actor.system("t"), application=application, channel="cash", reference="x"
        )
    assert caught.value.code == CoreError.FIELD_INVALID
    assert state(enterprise) == before


def test_cer2_fee_order_is_the_platform_merchants_for_the_administrator(enterprise):
    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    assert order.total_fee == 30000 and order.notify_url == "internal:certification-fee"
    assert order.merchant.kind == "platform"
    assert order.openid == openid_for(enterprise.admin_identity, enterprise.appid)
    again = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    assert again.pk == order.pk  # the same order while it can be paid
    assert fresh(application).fee_order_id == order.pk


def test_cer2_an_expired_fee_order_is_replaced(enterprise):
    import time_machine

    from miniport.core import clock

    application = apply(enterprise)
    first = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    with time_machine.travel(clock.now() + __import__("datetime").timedelta(days=3), tick=False):
        second = services.certification_fee_order(
            actor=admin_actor(enterprise), application=application
        )
    assert second.pk != first.pk and fresh(application).fee_order_id == second.pk


def test_cer2_paying_the_fee_order_on_the_phone_starts_the_review(enterprise):
    """The whole path: the sandbox order paid by the administrator, the notification
    delivered to the platform's receiver, the application under review."""
    from miniport.payments.sandbox.orders import order_pay

    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    order_pay(actor=admin_actor(enterprise), order=order, payer=enterprise.admin_identity)
    from miniport.core import deliveries, events

    events.deliver_pending()
    for delivery_id in deliveries.due_ids():
        deliveries.run(delivery_id)
    stored = fresh(application)
    assert stored.state == "under_review", stored.state
    assert stored.fee_channel == "sandbox"
    assert stored.fee_reference == Order.objects.get(pk=order.pk).transaction_id


def test_cer2_fee_order_refusals(enterprise, make_identity):
    application = apply(enterprise)
    before = state(enterprise)
    outsider = Actor.for_identity(make_identity())
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_order(actor=outsider, application=application)
    assert caught.value.code == CertificationError.ADMINISTRATOR_ONLY
    pay(application)
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    assert caught.value.code == CertificationError.FEE_NOT_DUE
    assert state(enterprise) == before
    assert Order.objects.count() == 0


def test_cer2_operator_records_a_bank_remittance(enterprise):
    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    services.certification_fee_record_remittance(
        actor=STAFF, application=application, reference="BANK-2024-001"
    )
    stored = fresh(application)
    assert stored.state == "under_review"
    assert (stored.fee_channel, stored.fee_reference) == ("remittance", "BANK-2024-001")
    # The sandbox order can no longer be paid: the fee is not taken twice.
    assert Order.objects.get(pk=order.pk).trade_state == "CLOSED"


@pytest.mark.parametrize(
    "actor, reference, code",
    [
        (admin_actor, "BANK-1", CoreError.PERMISSION_DENIED),
        (lambda mp: STAFF, "  ", CoreError.FIELD_REQUIRED),
        (lambda mp: STAFF, "<script>", CertificationError.REFERENCE_INVALID),
        (lambda mp: STAFF, "x" * 65, CertificationError.REFERENCE_INVALID),
    ],
)
def test_cer2_remittance_refusals(enterprise, actor, reference, code):
    application = apply(enterprise)
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_record_remittance(
            actor=actor(enterprise), application=application, reference=reference
        )
    assert caught.value.code == code
    assert state(enterprise) == before


def test_cer2_a_paid_fee_is_not_recorded_twice(enterprise):
    application = apply(enterprise)
    pay(application)
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_record_remittance(
            actor=STAFF, application=application, reference="BANK-9"
        )
    assert caught.value.code == CertificationError.FEE_NOT_DUE
    assert state(enterprise) == before


def under_review(mp):
    application = apply(mp)
    pay(application)
    return application, review_of(application)


def test_cer1_approval_certifies_the_subject_for_a_year(enterprise):
    application, item = under_review(enterprise)
    review.review_approve(actor=STAFF, review=item)
    stored = fresh(application)
    assert stored.state == "approved" and stored.decided_at is not None
    enterprise.subject.refresh_from_db()
    assert enterprise.subject.is_certified
    assert (enterprise.subject.certified_until - enterprise.subject.certified_at).days == 365


def test_cer1_rejection_keeps_the_reasons_and_allows_a_new_application(enterprise):
    application, item = under_review(enterprise)
    review.review_reject(actor=STAFF, review=item, reasons=["营业执照模糊", "公章缺失"])
    stored = fresh(application)
    assert stored.state == "rejected" and stored.reasons == "营业执照模糊\n公章缺失"
    enterprise.subject.refresh_from_db()
    assert not enterprise.subject.is_certified
    assert apply(enterprise).pk != application.pk


def test_cer1_asking_for_material_then_the_supplement_resumes_the_review(enterprise):
    application, item = under_review(enterprise)
    review.review_delay(actor=STAFF, review=item, reasons="请补充加盖公章的营业执照")
    stored = fresh(application)
    assert stored.state == "material_requested"
    assert stored.reasons == "请补充加盖公章的营业执照"
    services.certification_supplement(
        actor=admin_actor(enterprise),
        application=stored,
        documents={"other_material": upload(png(), "stamped.png")},
    )
    stored = fresh(application)
    assert stored.state == "under_review"
    assert [d["key"] for d in stored.documents] == ["business_licence", "other_material"]
    item.refresh_from_db()
    assert item.state == "pending"
    review.review_approve(actor=STAFF, review=item)
    assert fresh(application).state == "approved"


def test_supplement_refusals(enterprise, make_identity):
    application, item = under_review(enterprise)
    docs = {"other_material": upload(png())}
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_supplement(
            actor=admin_actor(enterprise), application=application, documents=docs
        )
    assert caught.value.code == CertificationError.NOT_AWAITING_MATERIAL
    review.review_delay(actor=STAFF, review=item, reasons="more")
    before = state(enterprise)
    for actor, documents, code in [
        (Actor.for_identity(make_identity()), docs, CertificationError.ADMINISTRATOR_ONLY),
        (admin_actor(enterprise), {}, CertificationError.DOCUMENT_REQUIRED),
        (
            admin_actor(enterprise),
            {"official_letter": upload(png())},
            CertificationError.DOCUMENT_UNKNOWN,
        ),
        (
            admin_actor(enterprise),
            {"other_material": upload(b"nope")},
            CertificationError.DOCUMENT_INVALID,
        ),
    ]:
        with pytest.raises(PlatformError) as caught:
            services.certification_supplement(
                actor=actor, application=application, documents=documents
            )
        assert caught.value.code == code
        assert state(enterprise) == before


def test_a_member_of_the_mini_program_may_not_review_it(enterprise):
    application, item = under_review(enterprise)
    owner = Actor("staff", str(enterprise.account_id), "owner")
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        review.review_approve(actor=owner, review=item)
    assert caught.value.code == ReviewError.REVIEWER_IS_MEMBER
    assert state(enterprise) == before


def test_the_desk_describes_the_application_and_opens_its_documents(waiting_government):
    from miniport.review import registry

    application, item = under_review(waiting_government)
    kind = registry.get("certification")
    description = kind.describe(item)
    assert description.appid == waiting_government.appid
    assert [key for key, _label in description.documents] == ["0", "1"]
    assert kind.document(item, "0")[1] == "JPEG"
    assert kind.document(item, "1")[1] == "PDF"
    assert kind.document(item, "2") is None and kind.document(item, "../x") is None


def test_reg7_approval_verifies_a_registration_waiting_for_certification(waiting_government):
    mp = waiting_government
    application, item = under_review(mp)
    review.review_approve(actor=STAFF, review=item)
    mp.subject.refresh_from_db()
    mp.subject.registration.refresh_from_db()
    assert mp.subject.registration.status == "active"
    assert mp.subject.is_certified


def test_cer1_renewal_extends_from_the_current_end(provision):
    import time_machine

    mp = provision("enterprise", certified=True).miniprogram
    until = mp.subject.certified_until
    from datetime import timedelta

    with time_machine.travel(until - timedelta(days=10), tick=False):
        application, item = under_review(mp)
        review.review_approve(actor=STAFF, review=item)
    mp.subject.refresh_from_db()
    assert mp.subject.certified_until == until + timedelta(days=365)
    assert fresh(application).kind == "renewal"


def test_cer2_withdraw_an_application_waiting_for_its_fee(enterprise):
    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    services.certification_withdraw(actor=admin_actor(enterprise), application=application)
    assert fresh(application).state == "withdrawn"
    assert Order.objects.get(pk=order.pk).trade_state == "CLOSED"  # cannot be paid any more
    assert pay(application) is False
    assert apply(enterprise).pk != application.pk  # a new one may follow


def test_cer2_a_paid_application_cannot_be_withdrawn(enterprise, make_identity):
    from miniport.payments.sandbox.orders import order_pay

    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    order_pay(actor=admin_actor(enterprise), order=order, payer=enterprise.admin_identity)
    before = state(enterprise)
    for actor, code in [
        (Actor.for_identity(make_identity()), CertificationError.ADMINISTRATOR_ONLY),
        (admin_actor(enterprise), CertificationError.NOT_WITHDRAWABLE),
    ]:
        with pytest.raises(PlatformError) as caught:
            services.certification_withdraw(actor=actor, application=application)
        assert caught.value.code == code
        assert state(enterprise) == before
    pay(application)
    with pytest.raises(PlatformError) as caught:
        services.certification_withdraw(actor=admin_actor(enterprise), application=application)
    assert caught.value.code == CertificationError.NOT_WITHDRAWABLE


def test_cer2_no_remittance_over_a_fee_already_paid_on_the_phone(enterprise):
    """The administrator paid the fee order; its notification is still on its way: the
    operator's remittance is refused and the order stays paid."""
    from miniport.payments.sandbox.orders import order_pay

    application = apply(enterprise)
    order = services.certification_fee_order(actor=admin_actor(enterprise), application=application)
    order_pay(actor=admin_actor(enterprise), order=order, payer=enterprise.admin_identity)
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_fee_record_remittance(
            actor=STAFF, application=application, reference="BANK-3"
        )
    assert caught.value.code == CertificationError.FEE_NOT_DUE
    assert state(enterprise) == before
    assert Order.objects.get(pk=order.pk).trade_state == "SUCCESS"


def test_cer2_documents_beyond_the_policy_maximum_are_refused(enterprise, system_actor):
    from miniport.core.services import policy_set_override

    policy_set_override(actor=system_actor, key="certification.documents_max", value=2)
    application, item = under_review(enterprise)
    review.review_delay(actor=STAFF, review=item, reasons="more")
    services.certification_supplement(
        actor=admin_actor(enterprise),
        application=application,
        documents={"other_material": upload(png())},
    )
    item.refresh_from_db()
    review.review_delay(actor=STAFF, review=item, reasons="even more")
    before = state(enterprise)
    with pytest.raises(PlatformError) as caught:
        services.certification_supplement(
            actor=admin_actor(enterprise),
            application=application,
            documents={"other_material": upload(png())},
        )
    assert caught.value.code == CertificationError.DOCUMENTS_TOO_MANY
    assert caught.value.params["max"] == 2
    assert state(enterprise) == before
