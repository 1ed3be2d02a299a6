"""PLG-10 on the ops desk: the plugin payment application's facts and proof documents
(images and PDF, typed and nosniff), approved from the desk like any review; the desk's
page in one language."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.accounts.models import Account, AccountKind
from miniport.plugins.models import PluginPaymentState
from miniport.plugins.payment.selectors import plugin_has_payment
from miniport.plugins.payment.services import plugin_payment_apply
from tests.i18n.test_one_language_per_page import offending
from tests.plugins.payment.paymakers import PDF, review_of, upload

pytestmark = pytest.mark.django_db


def _desk(language: str = "en") -> Client:
    staff = Account.objects.create_user(
        f"plugin-desk-{language}@miniport.example",
        "Desk-pass-1",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    return client


def _apply(owner):
    return plugin_payment_apply(
        actor=owner.admin_actor,
        plugin=owner.plugin,
        mode="ordinary",
        online_service="官方网站 https://shop.example.com",
        documents=[upload("licence.png"), upload("goods.pdf", PDF, "application/pdf")],
    )


def test_plg10_the_desk_shows_the_application_and_approves_it(paying_plugin):
    owner = paying_plugin()
    application = _apply(owner)
    review = review_of(application)
    desk = _desk()
    page = desk.get(f"/ops/reviews/{review.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Plugin payment application" in html and owner.plugin.name in html
    assert "官方网站" in html and owner.merchant.mch_id in html
    image = desk.get(f"/ops/reviews/{review.pk}/documents/d1/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    pdf = desk.get(f"/ops/reviews/{review.pk}/documents/d2/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert desk.get(f"/ops/reviews/{review.pk}/documents/d9/").status_code == 404

    assert desk.post(f"/ops/reviews/{review.pk}/claim/").status_code in (200, 302)
    assert desk.post(f"/ops/reviews/{review.pk}/approve/", {"note": ""}).status_code == 302
    application.refresh_from_db()
    assert application.state == PluginPaymentState.APPROVED
    assert plugin_has_payment(owner.plugin)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg10_the_desk_page_speaks_one_language(paying_plugin, language):
    owner = paying_plugin()
    review = review_of(_apply(owner))
    response = _desk(language).get(f"/ops/reviews/{review.pk}/")
    assert response.status_code == 200
    mp = owner.miniprogram
    values = {
        owner.plugin.name,
        f"{owner.plugin.name} ({owner.plugin.appid})",
        f"{mp.name} ({mp.appid})",
        mp.name,
        mp.subject.name,
        "官方网站 https://shop.example.com",
        "licence.png",
        "goods.pdf",
        owner.admin_actor.label,
    }
    problems = offending(response.content.decode(), language, {v for v in values if v})
    assert problems == [], "\n".join(problems)
