"""PLG-10 in the plugin's console, Payment tab: the application form (refusals on the
field they name, nothing stored), the application's state and reasons, the supplement
the reviewer asks for, withdrawing; the refusal shown without the owner's merchant; only
the administrator applies; the page in one language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.plugins.models import PluginPaymentApplication, PluginPaymentState
from miniport.plugins.payment.services import plugin_payment_apply
from miniport.review import services as review_services
from miniport.review.models import Review
from tests.console.plugin_support import console_of
from tests.i18n.test_one_language_per_page import offending
from tests.payments import shops
from tests.plugins import makers
from tests.plugins.payment import paymakers
from tests.plugins.payment.paymakers import PDF, REVIEWER, review_of, upload

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
paying_plugin = paymakers.paying_plugin
make_merchant = shops.make_merchant
PAGE = "console:plugin_payment"


def _apply(owner):
    return plugin_payment_apply(
        actor=owner.admin_actor,
        plugin=owner.plugin,
        mode="ordinary",
        online_service="官方网站",
        documents=[upload()],
    )


def test_plg10_the_admin_applies_in_ordinary_mode(paying_plugin):
    owner = paying_plugin()
    client = console_of(owner)
    assert 'data-testid="payment-apply-form"' in client.get(reverse(PAGE)).content.decode()
    response = client.post(
        reverse("console:plugin_payment_apply"),
        {
            "mode": "ordinary",
            "online_service": "官方网站 https://shop.example.com",
            "proof_1": upload("licence.png"),
            "proof_2": upload("goods.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application = PluginPaymentApplication.objects.get()
    assert len(application.documents) == 2
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-state="under_review"' in html
    assert 'data-testid="payment-withdraw"' in html


def test_plg10_the_admin_applies_in_service_provider_mode(paying_plugin, make_merchant):
    owner = paying_plugin()
    sub = make_merchant()
    client = console_of(owner)
    response = client.post(
        reverse("console:plugin_payment_apply"),
        {"mode": "service_provider", "sub_mch_id": sub.merchant.mch_id},
    )
    assert response.status_code == 302
    assert PluginPaymentApplication.objects.get().sub_mch_id == sub.merchant.mch_id


def test_plg10_an_unknown_sub_merchant_is_refused_on_its_field(paying_plugin):
    owner = paying_plugin()
    client = console_of(owner)
    response = client.post(
        reverse("console:plugin_payment_apply"),
        {"mode": "service_provider", "sub_mch_id": "1999999999"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "1999999999" in html and 'data-field="sub_mch_id"' in html
    assert not PluginPaymentApplication.objects.exists()
    assert not Review.objects.exists()


def test_plg10_without_the_owners_merchant_the_refusal_is_shown(make_plugin):
    owner = make_plugin()
    client = console_of(owner)
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="payment-refusal"' in html
    assert 'data-testid="payment-apply-form"' not in html
    response = client.post(
        reverse("console:plugin_payment_apply"),
        {"mode": "ordinary", "online_service": "x", "proof_1": upload()},
    )
    assert response.status_code == 400
    assert not PluginPaymentApplication.objects.exists()


def test_plg10_a_developer_sees_the_page_but_may_not_apply(paying_plugin):
    owner = paying_plugin()
    client = console_of(owner, "developer")
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="payment-apply-form"' not in html
    response = client.post(
        reverse("console:plugin_payment_apply"),
        {"mode": "ordinary", "online_service": "x", "proof_1": upload()},
    )
    assert response.status_code == 403
    assert not PluginPaymentApplication.objects.exists()


def test_plg10_the_reviewer_asks_for_material_and_the_admin_adds_it(paying_plugin):
    owner = paying_plugin()
    application = _apply(owner)
    review_services.review_delay(
        actor=REVIEWER, review=review_of(application), reasons=["请补充商品证明"]
    )
    client = console_of(owner)
    html = client.get(reverse(PAGE)).content.decode()
    assert "请补充商品证明" in html and 'data-testid="supplement-form"' in html
    response = client.post(
        reverse("console:plugin_payment_supplement"), {"note": "已补充", "proof_1": upload()}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == PluginPaymentState.UNDER_REVIEW
    assert len(application.documents) == 2


def test_plg10_an_open_application_is_withdrawn(paying_plugin):
    owner = paying_plugin()
    application = _apply(owner)
    client = console_of(owner)
    assert client.post(reverse("console:plugin_payment_withdraw")).status_code == 302
    application.refresh_from_db()
    assert application.state == PluginPaymentState.WITHDRAWN


def test_plg10_an_approved_plugin_shows_its_payment(paying_plugin):
    owner = paying_plugin()
    application = _apply(owner)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    html = console_of(owner, "operator").get(reverse(PAGE)).content.decode()
    assert 'data-testid="payment-enabled"' in html
    assert 'data-testid="payment-refusal"' not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg10_the_payment_page_speaks_one_language(paying_plugin, make_plugin, language):
    owner = paying_plugin()
    application = _apply(owner)
    review_services.review_delay(
        actor=REVIEWER, review=review_of(application), reasons=["请补充商品证明"]
    )
    fresh = paying_plugin()
    lone = make_plugin()
    problems = []
    for who in (owner, fresh, lone):
        mp = who.miniprogram
        values = {who.plugin.name, who.plugin.appid, mp.name, mp.subject.name, "官方网站"}
        values.add(mp.admin_identity.real_name)
        values.add("请补充商品证明")
        client = console_of(who, language=language)
        response = client.get(reverse(PAGE))
        assert response.status_code == 200
        problems.extend(offending(response.content.decode(), language, values))
        refused = client.post(reverse("console:plugin_payment_apply"), {"mode": "ordinary"})
        problems.extend(offending(refused.content.decode(), language, values))
    assert problems == [], "\n".join(problems)
