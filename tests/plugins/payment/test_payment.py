"""PLG-10: a plugin's payment: applied for in service-provider or ordinary mode, only
when the owner mini program has payment, never for personal subjects, reviewed on the
desk as "plugin_payment"; `plugin_has_payment` is what FP-4 reads."""

from __future__ import annotations

import pytest

from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.payments.models import MerchantState
from miniport.plugins.models import PluginPaymentApplication, PluginPaymentState
from miniport.plugins.payment.errors import PluginPaymentError
from miniport.plugins.payment.review_kind import KIND
from miniport.plugins.payment.selectors import plugin_has_payment
from miniport.plugins.payment.services import (
    plugin_payment_apply,
    plugin_payment_supplement,
    plugin_payment_withdraw,
)
from miniport.review import registry
from miniport.review import services as review_services
from miniport.review.models import Review
from tests.plugins.payment.paymakers import PDF, REVIEWER, give_merchant, review_of, upload

pytestmark = pytest.mark.django_db


def _ordinary(owner, **overrides):
    values = {
        "mode": "ordinary",
        "online_service": "官方网站 https://shop.example.com",
        "documents": [upload("licence.png"), upload("goods.pdf", PDF, "application/pdf")],
    }
    values.update(overrides)
    return plugin_payment_apply(actor=owner.admin_actor, plugin=owner.plugin, **values)


def _refused(code, owner, **values) -> PlatformError:
    applications = PluginPaymentApplication.objects.count()
    reviews = Review.objects.count()
    with pytest.raises(PlatformError) as caught:
        plugin_payment_apply(actor=owner.admin_actor, plugin=owner.plugin, **values)
    assert caught.value.code == code, caught.value.message()
    assert PluginPaymentApplication.objects.count() == applications
    assert Review.objects.count() == reviews
    return caught.value


def test_plg10_the_review_kind_is_registered():
    assert registry.get("plugin_payment") is KIND


def test_plg10_an_ordinary_application_goes_to_the_desk_with_its_documents(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    assert application.state == PluginPaymentState.UNDER_REVIEW
    review = review_of(application)
    assert review.kind == "plugin_payment" and review.appid == owner.plugin.appid
    description = KIND.describe(review)
    assert [name for _key, name in description.documents] == ["licence.png", "goods.pdf"]
    data, fmt = KIND.document(review, "d2")
    assert fmt == "PDF" and data.startswith(b"%PDF-")
    assert KIND.document(review, "d1")[1] == "PNG"
    assert AuditEntry.objects.filter(action="plugin.payment_apply").exists()
    assert not plugin_has_payment(owner.plugin)


def test_plg10_a_service_provider_application_binds_an_active_sub_merchant(
    paying_plugin, make_merchant
):
    owner = paying_plugin()
    sub = make_merchant()
    application = plugin_payment_apply(
        actor=owner.admin_actor,
        plugin=owner.plugin,
        mode="service_provider",
        sub_mch_id=sub.merchant.mch_id,
    )
    assert application.sub_mch_id == sub.merchant.mch_id
    facts = dict(KIND.describe(review_of(application)).facts)
    assert sub.merchant.mch_id in facts.values()


def test_plg10_a_sub_merchant_that_does_not_exist_is_refused(paying_plugin):
    owner = paying_plugin()
    error = _refused(
        PluginPaymentError.SUB_MERCHANT_NOT_FOUND,
        owner,
        mode="service_provider",
        sub_mch_id="1999999999",
    )
    assert "1999999999" in error.message("en")


def test_plg10_a_suspended_sub_merchant_is_refused(paying_plugin, make_merchant):
    owner = paying_plugin()
    sub = make_merchant()
    sub.merchant.state = MerchantState.SUSPENDED
    sub.merchant.save()
    _refused(
        PluginPaymentError.SUB_MERCHANT_NOT_FOUND,
        owner,
        mode="service_provider",
        sub_mch_id=sub.merchant.mch_id,
    )


def test_plg10_service_provider_mode_requires_the_sub_merchant(paying_plugin):
    owner = paying_plugin()
    error = _refused(CoreError.FIELD_REQUIRED, owner, mode="service_provider")
    assert error.field == "sub_mch_id"


def test_plg10_never_for_a_personal_subject(make_owner, make_plugin):
    owner = make_plugin(make_owner("personal"))
    give_merchant(owner.miniprogram)
    _refused(PluginPaymentError.PERSONAL_SUBJECT, owner, mode="ordinary", online_service="x")


def test_plg10_refused_while_the_owner_has_no_payment(make_plugin):
    owner = make_plugin()
    error = _refused(PluginPaymentError.NO_MERCHANT, owner, mode="ordinary", online_service="x")
    assert "payment" in error.message("en")
    assert "支付" in error.message("zh-hans")


def test_plg10_refused_while_the_owners_merchant_is_suspended(paying_plugin):
    owner = paying_plugin()
    owner.merchant.state = MerchantState.SUSPENDED
    owner.merchant.save()
    _refused(PluginPaymentError.NO_MERCHANT, owner, mode="ordinary", online_service="x")


def test_plg10_one_application_open_at_a_time(paying_plugin):
    owner = paying_plugin()
    _ordinary(owner)
    _refused(
        PluginPaymentError.APPLICATION_OPEN,
        owner,
        mode="ordinary",
        online_service="x",
        documents=[upload()],
    )


def test_plg10_an_approved_plugin_does_not_apply_again(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    _refused(
        PluginPaymentError.ALREADY_APPROVED,
        owner,
        mode="ordinary",
        online_service="x",
        documents=[upload()],
    )


def test_plg10_ordinary_mode_requires_the_online_service(paying_plugin):
    owner = paying_plugin()
    error = _refused(CoreError.FIELD_REQUIRED, owner, mode="ordinary", documents=[upload()])
    assert error.field == "online_service"


def test_plg10_ordinary_mode_requires_documents(paying_plugin):
    owner = paying_plugin()
    _refused(PluginPaymentError.DOCUMENTS_REQUIRED, owner, mode="ordinary", online_service="x")


def test_plg10_a_document_that_is_neither_image_nor_pdf_is_refused_naming_it(paying_plugin):
    owner = paying_plugin()
    error = _refused(
        PluginPaymentError.DOCUMENT_INVALID,
        owner,
        mode="ordinary",
        online_service="x",
        documents=[upload(), upload("evil.html", b"<script>alert(1)</script>", "text/html")],
    )
    assert "evil.html" in error.message("en")


def test_plg10_a_pdf_with_a_script_is_refused(paying_plugin):
    owner = paying_plugin()
    active = PDF.replace(
        b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    _refused(
        PluginPaymentError.DOCUMENT_INVALID,
        owner,
        mode="ordinary",
        online_service="x",
        documents=[upload("a.pdf", active, "application/pdf")],
    )


def test_plg10_an_unknown_mode_is_refused(paying_plugin):
    owner = paying_plugin()
    _refused(PluginPaymentError.MODE_INVALID, owner, mode="free", online_service="x")


def test_plg10_approval_gives_the_plugin_its_payment(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    application.refresh_from_db()
    assert application.state == PluginPaymentState.APPROVED
    assert application.decided_at is not None
    assert plugin_has_payment(owner.plugin)


def test_plg10_fp4_payment_goes_with_the_owners_merchant(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    owner.merchant.state = MerchantState.SUSPENDED
    owner.merchant.save()
    assert not plugin_has_payment(owner.plugin)


def test_plg10_a_plugin_without_application_has_no_payment(paying_plugin):
    assert not plugin_has_payment(paying_plugin().plugin)
    assert not plugin_has_payment(None)


def test_plg10_approval_is_refused_when_the_merchant_was_suspended_meanwhile(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    owner.merchant.state = MerchantState.SUSPENDED
    owner.merchant.save()
    review = review_of(application)
    with pytest.raises(PlatformError) as caught:
        review_services.review_approve(actor=REVIEWER, review=review)
    assert caught.value.code == PluginPaymentError.NO_MERCHANT
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.state == PluginPaymentState.UNDER_REVIEW
    assert review.state == "pending"


def test_plg10_rejection_keeps_the_reasons(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    review_services.review_reject(
        actor=REVIEWER, review=review_of(application), reasons=["证明材料不清晰"]
    )
    application.refresh_from_db()
    assert application.state == PluginPaymentState.REJECTED
    assert application.reasons == "证明材料不清晰"
    assert not plugin_has_payment(owner.plugin)
    # A rejected application does not stop a new one.
    assert _ordinary(owner).state == PluginPaymentState.UNDER_REVIEW


def test_plg10_more_material_is_asked_for_and_added(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    review = review_of(application)
    review_services.review_delay(actor=REVIEWER, review=review, reasons=["请补充商品证明"])
    application.refresh_from_db()
    assert application.state == PluginPaymentState.MATERIAL_REQUESTED
    assert application.reasons == "请补充商品证明"
    plugin_payment_supplement(
        actor=owner.admin_actor,
        plugin=owner.plugin,
        documents=[upload("more.png")],
        note="已补充",
    )
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.state == PluginPaymentState.UNDER_REVIEW
    assert [item["key"] for item in application.documents] == ["d1", "d2", "d3"]
    assert review.state == "pending"
    review_services.review_approve(actor=REVIEWER, review=review)
    assert plugin_has_payment(owner.plugin)


def test_plg10_a_supplement_without_a_request_is_refused(paying_plugin):
    owner = paying_plugin()
    application = _ordinary(owner)
    with pytest.raises(PlatformError) as caught:
        plugin_payment_supplement(
            actor=owner.admin_actor, plugin=owner.plugin, documents=[upload()]
        )
    assert caught.value.code == PluginPaymentError.NO_APPLICATION
    application.refresh_from_db()
    assert len(application.documents) == 2


def test_plg10_an_open_application_is_withdrawn(paying_plugin):
    owner = paying_plugin()
    _ordinary(owner)
    application = plugin_payment_withdraw(actor=owner.admin_actor, plugin=owner.plugin)
    assert application.state == PluginPaymentState.WITHDRAWN
    assert _ordinary(owner).state == PluginPaymentState.UNDER_REVIEW


def test_plg10_a_member_of_the_owner_may_not_review(paying_plugin):
    owner = paying_plugin()
    review = review_of(_ordinary(owner))
    assert KIND.is_member(review, owner.developer_actor)
    assert not KIND.is_member(review, REVIEWER)
