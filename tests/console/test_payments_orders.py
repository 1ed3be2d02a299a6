"""PAY-1: the orders of a mini program in the console: newest first, paged by key,
searchable by out_trade_no, transaction_id and state; one order with its refunds, ledger
rows and notifications with the delivery log; another merchant's order is a 404."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.conf import settings

from miniport.core import clock
from miniport.core.models import Delivery, DeliveryAttempt, OutboxEvent
from miniport.payments.merchants.orders import order_page, yuan
from miniport.payments.merchants.services import merchant_provision
from miniport.payments.models import PayNotification, TradeState
from miniport.payments.notifications.services import ROUTE
from miniport.payments.sandbox import orders as sandbox_orders
from miniport.payments.sandbox.orders import new_out_trade_no, order_create, order_pay
from miniport.payments.sandbox.refunds import refund_apply
from tests.payments.merchants.support import REVIEWER, admin_browser, make_orders, member_browser

pytestmark = pytest.mark.django_db
ORDERS = "/payments/orders/"


@pytest.fixture
def certified(provision):
    return provision("enterprise", certified=True)


@pytest.fixture
def merchant(certified, system_actor):
    return merchant_provision(actor=system_actor, miniprogram=certified.miniprogram)[0]


def _shown(html: str) -> list[str]:
    return re.findall(r'data-testid="order-row" data-out-trade-no="([^"]+)"', html)


def test_pay1_yuan():
    assert (yuan(0), yuan(5), yuan(1230), yuan(-250)) == ("0.00", "0.05", "12.30", "-2.50")


def test_pay1_a_new_out_trade_no_never_repeats_one_the_merchant_has(merchant, monkeypatch):
    with time_machine.travel("2026-12-07 09:00:00+00:00", tick=False):
        taken = make_orders(merchant, 1)[0].out_trade_no
        prefix = len(merchant.mch_id) + len("20261207170000")
        draws = iter([taken[prefix:], "7" * (32 - prefix)])
        monkeypatch.setattr(sandbox_orders.ids, "numeric_code", lambda length: next(draws))
        assert new_out_trade_no(merchant) == taken[:prefix] + "7" * (32 - prefix)


def test_pay1_an_out_trade_no_fills_32_characters_for_a_long_merchant_id(merchant):
    merchant.mch_id = "1" * 13
    assert len(new_out_trade_no(merchant)) == 32


def test_pay1_orders_newest_first_paged_by_key(certified, merchant):
    made = make_orders(merchant, 23)
    admin = admin_browser(certified)
    first = admin.get(ORDERS)
    html = first.content.decode()
    assert first.status_code == 200
    newest = [order.out_trade_no for order in reversed(made)]
    assert _shown(html) == newest[:20]
    older = re.search(r'href="\?([^"]+)" data-testid="next-page"', html).group(1)
    second = admin.get(f"{ORDERS}?{older.replace('&amp;', '&')}").content.decode()
    assert _shown(second) == newest[20:]
    assert 'data-testid="next-page"' not in second
    # A row added meanwhile does not shift the older page (keyset, not offset).
    make_orders(merchant, 1, body="late")
    again = admin.get(f"{ORDERS}?{older.replace('&amp;', '&')}").content.decode()
    assert _shown(again) == newest[20:]


def test_pay1_order_search(certified, merchant):
    one, two, three = make_orders(merchant, 3)
    order_pay(actor=REVIEWER, order=two, payer=certified.miniprogram.admin_identity)
    two.refresh_from_db()
    admin = admin_browser(certified)

    def search(**query):
        return _shown(admin.get(ORDERS, query).content.decode())

    assert search(q=one.out_trade_no) == [one.out_trade_no]
    assert search(q=two.transaction_id) == [two.out_trade_no]
    assert search(q=two.transaction_id[:12]) == [two.out_trade_no]
    assert search(state=TradeState.SUCCESS) == [two.out_trade_no]
    assert search(state=TradeState.NOTPAY) == [three.out_trade_no, one.out_trade_no]
    assert search(q=one.out_trade_no, state=TradeState.SUCCESS) == []
    assert search(q="nothing-like-this") == []
    # Bad input is no error: an unknown state is a form error, a bad key no page.
    assert admin.get(ORDERS, {"state": "BOGUS"}).status_code == 200
    assert admin.get(ORDERS, {"before": "x'1"}).status_code == 200
    assert admin.get(ORDERS, {"q": "x" * 500}).status_code == 200


def test_pay1_order_page_of_nobody_is_empty():
    assert order_page(None).orders == []


def test_pay1_order_detail_with_refunds_ledger_and_notifications(certified, merchant):
    mp = certified.miniprogram
    order = order_create(
        merchant=merchant,
        appid=mp.appid,
        openid="",
        body="会员卡",
        total_fee=990,
        notify_url="https://shop.example.com/pay/notify",
    )
    order_pay(actor=REVIEWER, order=order, payer=mp.admin_identity)
    order.refresh_from_db()
    refund_apply(
        merchant=merchant,
        order=order,
        out_refund_no="R-1",
        total_fee=990,
        refund_fee=300,
    )
    admin = admin_browser(certified)
    page = admin.get("/payments/orders/detail/", {"order": order.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert order.transaction_id in html and "9.90" in html and "R-1" in html
    assert 'data-kind="order_paid"' in html and 'data-kind="order_created"' in html
    assert 'data-testid="notification"' in html and "shop.example.com" in html


def test_pay1_order_detail_of_another_merchant_is_404(certified, merchant, provision, system_actor):
    other_app = provision("enterprise", certified=True)
    other = merchant_provision(actor=system_actor, miniprogram=other_app.miniprogram)[0]
    foreign = make_orders(other, 1)[0]
    admin = admin_browser(certified)
    assert admin.get("/payments/orders/detail/", {"order": foreign.pk}).status_code == 404
    assert admin.get("/payments/orders/detail/", {"order": "abc"}).status_code == 404
    assert admin.get("/payments/orders/detail/").status_code == 404


def test_pay1_data_analyst_reads_the_orders(certified, merchant, make_identity):
    order = make_orders(merchant, 1)[0]
    analyst = member_browser(certified.miniprogram, make_identity("pay_analyst"), "data_analyst")
    assert order.out_trade_no in analyst.get(ORDERS).content.decode()
    detail = analyst.get("/payments/orders/detail/", {"order": order.pk})
    assert detail.status_code == 200


def test_pay1_no_merchant_no_orders(provision):
    app = provision("enterprise", certified=True)
    admin = admin_browser(app)
    page = admin.get(ORDERS)
    assert page.status_code == 200 and 'data-testid="orders-no-merchant"' in page.content.decode()


def test_pay1_a_failed_notification_attempt_is_said_in_the_pages_language(certified, merchant):
    """PAY-1: the delivery log's error is the outbound call's reason, translated (it was
    shown as stored, in English, on the Chinese page)."""
    mp = certified.miniprogram
    order = order_create(
        merchant=merchant,
        appid=mp.appid,
        openid="",
        body="会员卡",
        total_fee=990,
        notify_url="https://shop.example.com/pay/notify",
    )
    order_pay(actor=REVIEWER, order=order, payer=mp.admin_identity)
    notification = PayNotification.objects.filter(order=order).first()
    assert notification is not None
    now = clock.now()
    event = OutboxEvent.objects.create(kind="pay.notify", payload={}, created_at=now)
    delivery = Delivery.objects.create(
        event=event, route=ROUTE, recipient=str(notification.pk), max_attempts=3, created_at=now
    )
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=now,
        duration_ms=5,
        error="the host name does not resolve",
    )
    browser = admin_browser(certified)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = browser.get("/payments/orders/detail/", {"order": order.pk}).content.decode()
    row = html.split('data-testid="delivery-attempt"', 1)[1].split("</tr>")[0]
    assert "<td>主机名无法解析</td>" in row, row
