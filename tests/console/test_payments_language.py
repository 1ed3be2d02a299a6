"""PAY-1 / B-11: the payments pages speak one language: Chinese pages carry no English
words outside codes and user data, English pages no Chinese (the checker of
tests/i18n/test_one_language_per_page.py, on a certified shop with a merchant, an
application with the reviewer's reasons, and orders with a refund and a notification)."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.identities import services as identity_services
from miniport.payments.merchants import selectors
from miniport.payments.models import MerchantApplication, Order
from miniport.payments.sandbox.orders import order_create, order_pay
from miniport.payments.sandbox.refunds import refund_apply
from miniport.review import services as review_services
from tests.console.conftest import two_step_login
from tests.i18n.test_one_language_per_page import offending
from tests.payments.merchants.support import REVIEWER, apply, owner, review_of

pytestmark = pytest.mark.django_db
LANGUAGES = ("zh-hans", "en")


def _browser(app, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    two_step_login(client, app)
    assert client.post("/login/scan/complete/").status_code == 302
    return client


def _user_values(*apps) -> set[str]:
    values: set[str] = set()
    for app in apps:
        mp = app.miniprogram
        values |= {mp.name, mp.subject.name, mp.admin_identity.real_name}
    for application in MerchantApplication.objects.all():
        values |= {
            application.business_name,
            application.business_category,
            application.settlement_bank,
            application.reasons,
            *application.reasons.splitlines(),
        }
    values |= set(Order.objects.values_list("body", flat=True))
    return {value for value in values if value}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pay1_payments_pages_speak_one_language(provision, language):
    shop = provision("enterprise", certified=True, name="语言商城")
    waiting = provision("enterprise", certified=True, name="语言待审")
    mp = shop.miniprogram
    application = apply(owner(mp), mp)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    merchant = selectors.merchant_of(mp)
    paid = order_create(
        merchant=merchant,
        appid=mp.appid,
        openid="",
        body="语言杯",
        total_fee=1200,
        notify_url="https://shop.example.com/notify",
    )
    order_pay(actor=REVIEWER, order=paid, payer=mp.admin_identity)
    paid.refresh_from_db()
    refund_apply(merchant=merchant, order=paid, out_refund_no="R1", total_fee=1200, refund_fee=200)
    other = waiting.miniprogram
    pending = apply(owner(other), other)
    review_services.review_delay(actor=REVIEWER, review=review_of(pending), reasons=["请补充材料"])

    problems = []
    user_values = _user_values(shop, waiting)

    def read(client, path, **query):
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        problems.extend(f"{path}: {p}" for p in offending(html, language, user_values))
        return html

    browser = _browser(shop, language)
    read(browser, "/payments/")
    read(browser, "/payments/orders/")
    read(browser, "/payments/orders/", q="nothing", state="SUCCESS")
    read(browser, "/payments/orders/detail/", order=paid.pk)
    assert browser.post("/payments/key/", {"action": "show"}).status_code == 302
    read(browser, "/payments/key/confirm/")
    token = browser.session["console_merchant_key_ticket"]["token"]
    identity_services.ticket_confirm(identity=mp.admin_identity, token=token)
    assert browser.post("/payments/key/confirm/").status_code == 302
    read(browser, "/payments/key/shown/")

    second = _browser(waiting, language)
    read(second, "/payments/")
    read(second, "/payments/apply/")
    refused = second.post("/payments/apply/", {"business_name": "x"})
    problems.extend(offending(refused.content.decode(), language, user_values))
    lone = provision("personal")
    user_values |= _user_values(lone)
    personal = _browser(lone, language)
    read(personal, "/payments/")
    read(personal, "/payments/apply/")
    read(personal, "/payments/orders/")
    assert problems == [], "\n".join(problems)
