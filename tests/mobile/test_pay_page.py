"""PAY-1, CER-2: the phone payment page /m/pay/<prepay_id>/. The payer sees the merchant,
the amount in yuan and the item; confirm pays it (one ORDER_PAID row, the merchant's
notification), cancel changes nothing. Only the order's payer may pay; a paid order says
so; closed, expired and unknown orders are refused without a server error; the POST is
CSRF-protected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from miniport.core import clock
from miniport.payments.merchants.platform import platform_merchant
from miniport.payments.models import LedgerKind, TradeState
from miniport.payments.sandbox.orders import order_close
from tests.payments.notifications.support import payer_order, state


@pytest.fixture
def shop(provision, make_identity):

    mp = provision("enterprise", certified=True, name="咖啡小铺").miniprogram
    buyer = make_identity("buyer_01")
    return mp, buyer, payer_order(buyer, mp)


def page(order_or_id) -> str:
    prepay_id = getattr(order_or_id, "prepay_id", order_or_id)
    return reverse("mobile:pay", args=[prepay_id])


def test_the_payer_sees_merchant_amount_and_item_and_pays(shop, phone_of):
    """PAY-1: ¥12.34 to the mini program's merchant for 一杯咖啡; confirm pays it once."""
    mp, buyer, order = shop
    phone = phone_of(buyer, language="en")
    html = phone.get(page(order)).content.decode()
    assert 'data-testid="pay-merchant">咖啡小铺<' in html
    assert 'data-testid="pay-amount" data-fen="1234">¥12.34<' in html
    assert 'data-testid="pay-body">一杯咖啡<' in html
    response = phone.post(page(order), {"decision": "confirm"})
    assert response.status_code == 200
    assert 'data-outcome="paid"' in response.content.decode()
    trade_state, transaction_id, payer_id, ledger_rows, notifications = state(order)
    assert trade_state == TradeState.SUCCESS and transaction_id and payer_id == buyer.pk
    assert (ledger_rows, notifications) == (2, 1)  # created + paid; one notification
    assert order.ledger.filter(kind=LedgerKind.ORDER_PAID).count() == 1
    again = phone.post(page(order), {"decision": "confirm"}).content.decode()
    assert 'data-outcome="already_paid"' in again
    assert 'data-outcome="already_paid"' in phone.get(page(order)).content.decode()
    assert state(order)[3:] == (2, 1)


def test_cancel_changes_nothing(shop, phone_of):
    _mp, buyer, order = shop
    before = state(order)
    response = phone_of(buyer, language="en").post(page(order), {"decision": "cancel"})
    assert 'data-outcome="cancelled"' in response.content.decode()
    assert "Nothing was paid" in response.content.decode()
    assert state(order) == before


def test_another_identity_is_refused_and_offered_to_switch(shop, phone_of, make_identity):
    """PAY-1: the order's openid is the payer's for its appid; nobody else pays it."""
    _mp, _buyer, order = shop
    other = phone_of(make_identity("someone_else"), language="en")
    before = state(order)
    for response in (other.get(page(order)), other.post(page(order), {"decision": "confirm"})):
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-code="PAYER_MISMATCH"' in html and 'data-testid="switch-identity"' in html
        assert "pay-amount" not in html
    assert state(order) == before


@pytest.mark.parametrize("prepay_id", ["wx_no_such_order", "x" * 300, "%00", "wx-1'--"])
def test_an_unknown_order_is_a_404_page(shop, phone_of, prepay_id):
    _mp, buyer, _order = shop
    phone = phone_of(buyer)
    response = phone.get(f"/m/pay/{prepay_id}/")
    assert response.status_code == 404
    assert 'data-code="ORDER_NOT_FOUND"' in response.content.decode()
    assert phone.post(f"/m/pay/{prepay_id}/", {"decision": "confirm"}).status_code == 404


def test_closed_and_expired_orders_cannot_be_paid(shop, phone_of):
    mp, buyer, order = shop
    phone = phone_of(buyer, language="en")
    order_close(order)
    before = state(order)
    for response in (phone.get(page(order)), phone.post(page(order), {"decision": "confirm"})):
        assert 'data-code="ORDER_NOT_PAYABLE"' in response.content.decode()
    assert state(order) == before
    late = payer_order(buyer, mp)
    type(late).objects.filter(pk=late.pk).update(time_expire=clock.now() - timedelta(seconds=1))
    response = phone.post(page(late), {"decision": "confirm"})
    assert 'data-code="PREPAY_EXPIRED"' in response.content.decode()
    assert state(late)[0] == TradeState.CLOSED and state(late)[1] is None


def test_a_bad_decision_is_a_400_and_changes_nothing(shop, phone_of):
    _mp, buyer, order = shop
    before = state(order)
    phone = phone_of(buyer)
    assert phone.post(page(order), {"decision": "steal"}).status_code == 400
    assert phone.post(page(order), {}).status_code == 400
    assert state(order) == before


def test_the_post_needs_the_csrf_token(shop, make_identity):
    _mp, buyer, order = shop
    phone = Client(enforce_csrf_checks=True)
    phone.post(reverse("mobile:login"), {"wechat_id": buyer.wechat_id, "password": "x"})
    from miniport.mobile.auth import SESSION_IDENTITY

    session = phone.session
    session[SESSION_IDENTITY] = buyer.pk
    session.save()
    before = state(order)
    assert phone.post(page(order), {"decision": "confirm"}).status_code == 403
    assert state(order) == before


def test_a_visitor_signs_in_first(shop):
    _mp, _buyer, order = shop
    response = Client().get(page(order))
    assert response.status_code == 302 and "/m/login/" in response["Location"]


def test_a_certification_fee_names_the_platform_in_the_pages_language(
    provision, phone_of, make_identity
):
    """CER-2: the fee order is the platform merchant's; the page names it translated."""
    from miniport.identities.selectors import openid_for
    from miniport.payments.sandbox.orders import order_create

    admin = make_identity("fee_admin")
    mp = provision("enterprise", admin_wechat_id="fee_admin").miniprogram
    order = order_create(
        merchant=platform_merchant(),
        appid=mp.appid,
        openid=openid_for(admin, mp.appid),
        body="小程序认证费",
        total_fee=30000,
        notify_url="internal:certification-fee",
    )
    html = phone_of(admin, language="en").get(page(order)).content.decode()
    assert 'data-testid="pay-merchant">Mini program platform<' in html
    assert "¥300.00" in html


def test_the_item_is_shown_as_text(provision, make_identity, phone_of):
    mp = provision("enterprise", certified=True).miniprogram
    buyer = make_identity("buyer_02")
    order = payer_order(buyer, mp, body="<script>alert(1)</script>")
    html = phone_of(buyer).get(page(order)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
