"""PAY-1 in a browser: a merchant's server places an order with wechatpy against the live
server; the host app asks the runtime for wx.requestPayment's parameters and opens the
phone page they name; the identity, signed in on its phone, first cancels (nothing
changes), then pays. wechatpy then queries the order (SUCCESS) and refunds part of it;
the payment and refund notifications reach the merchant's server and parse with
wechatpy's `parse_payment_result` and `parse_refund_notify_result`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from wechatpy.pay import WeChatPay

from miniport.core import clock
from miniport.identities.selectors import openid_for
from miniport.payments.models import Order, Refund, TradeState
from miniport.payments.sandbox.refunds import refunds_settle_due
from tests.browser.conftest import PhoneUser, phone_sign_in
from tests.core.deliveries_receivers import start_receiver
from tests.payments.notifications.support import ACK, fan_out_and_run, merchant_for, payer_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST = ("superapp", "host-secret-for-tests-0123456789")
BUYER = PhoneUser("pay_buyer", "secret-pass-1")


@dataclass
class Shop:
    merchant: object
    appid: str
    key: str
    miniprogram: object


@pytest.fixture
def shop(provision) -> Shop:
    """A certified enterprise mini program with an active merchant."""
    mp = provision("enterprise", certified=True).miniprogram
    merchant = merchant_for(mp)
    return Shop(merchant=merchant, appid=mp.appid, key=merchant.api_key, miniprogram=mp)


@pytest.fixture
def merchant_server(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.RUNTIME_HOST_APPS = {HOST[0]: HOST[1]}
    receiver, server = start_receiver()
    receiver.behaviour["/pay/notify"] = (0.0, 200, ACK)
    receiver.behaviour["/refund/notify"] = (0.0, 200, ACK)
    yield receiver
    server.shutdown()
    server.server_close()


def runtime(site, path: str, body: dict, session: str = "") -> dict:
    headers = {"X-Host-App": f"{HOST[0]}:{HOST[1]}"}
    if session:
        headers["X-Identity-Session"] = session
    answer = requests.post(f"{site.url}/runtime/v1/{path}", json=body, headers=headers, timeout=10)
    assert answer.status_code == 200
    return answer.json()


def test_the_identity_cancels_then_pays_on_the_phone_page(
    site, phone, shop, make_identity, merchant_server, screenshot
):
    buyer = make_identity(BUYER.wechat_id, password=BUYER.password)
    openid = openid_for(buyer, shop.appid)
    pay = WeChatPay(shop.appid, shop.key, shop.merchant.mch_id)
    pay.API_BASE_URL = site.url + "/"
    created = pay.order.create(
        trade_type="JSAPI",
        body="浏览器测试商品",
        total_fee=1999,
        notify_url=merchant_server.url + "/pay/notify",
        user_id=openid,
        client_ip="127.0.0.1",
    )
    prepay_id = created["prepay_id"]

    # The host app: the identity's session, then the payment parameters and page.
    session = runtime(site, "session", {"wechat_id": BUYER.wechat_id, "password": BUYER.password})
    params = runtime(
        site, "payments/params", {"appid": shop.appid, "prepay_id": prepay_id}, session["session"]
    )
    assert params["errcode"] == 0, params
    expected = pay.jsapi.get_jsapi_params(
        prepay_id, timestamp=params["timeStamp"], nonce_str=params["nonceStr"]
    )
    assert params["paySign"] == expected["paySign"]
    pay_url = params["pay_url"]
    assert pay_url == f"{site.url}/m/pay/{prepay_id}/"

    phone_sign_in(phone, site, BUYER)
    phone.goto(pay_url)
    assert phone.locator("[data-testid=pay-amount]").inner_text() == "¥19.99"
    assert phone.locator("[data-testid=pay-body]").inner_text() == "浏览器测试商品"
    assert phone.locator("[data-testid=pay-merchant]").inner_text() == shop.merchant.name
    screenshot(phone, "payment-phone-confirm")

    phone.click("[data-testid=pay-cancel]")
    assert phone.locator("[data-testid=pay-result]").get_attribute("data-outcome") == "cancelled"
    assert Order.objects.get(prepay_id=prepay_id).trade_state == TradeState.NOTPAY
    assert pay.order.query(out_trade_no=Order.objects.get().out_trade_no)["trade_state"] == "NOTPAY"

    phone.click("[data-testid=pay-again]")
    phone.click("[data-testid=pay-confirm]")
    assert phone.locator("[data-testid=pay-result]").get_attribute("data-outcome") == "paid"
    screenshot(phone, "payment-phone-paid")
    order = Order.objects.get(prepay_id=prepay_id)
    assert order.trade_state == TradeState.SUCCESS and order.payer_id == buyer.pk

    queried = pay.order.query(out_trade_no=order.out_trade_no)
    assert queried["trade_state"] == "SUCCESS"
    assert queried["transaction_id"] == order.transaction_id

    assert fan_out_and_run() == [True]
    [notified] = merchant_server.at("/pay/notify")
    result = pay.parse_payment_result(notified.body.decode())
    assert result["out_trade_no"] == order.out_trade_no and result["total_fee"] == 1999

    refunded = pay.refund.apply(
        total_fee=1999,
        refund_fee=999,
        out_refund_no="BROWSER-R1",
        out_trade_no=order.out_trade_no,
        notify_url=merchant_server.url + "/refund/notify",
    )
    assert refunded["result_code"] == "SUCCESS"
    Refund.objects.update(settle_at=clock.now())
    assert refunds_settle_due() == 1
    assert pay.refund.query(out_refund_no="BROWSER-R1")["refund_status_0"] == "SUCCESS"
    assert fan_out_and_run() == [True]
    [refund_notified] = merchant_server.at("/refund/notify")
    details = pay.parse_refund_notify_result(refund_notified.body.decode())
    assert details["out_refund_no"] == "BROWSER-R1" and details["refund_fee"] == 999

    # Back on the phone page: it says the order is paid.
    phone.goto(pay_url)
    assert phone.locator("[data-testid=pay-result]").get_attribute("data-outcome") == "already_paid"


def test_another_identity_is_refused_on_the_phone_page(site, phone, shop, make_identity):
    buyer = make_identity("pay_owner")
    make_identity(BUYER.wechat_id, password=BUYER.password)
    order = payer_order(buyer, shop.miniprogram)
    phone_sign_in(phone, site, BUYER)
    phone.goto(f"{site.url}/m/pay/{order.prepay_id}/")
    refusal = phone.locator("[data-testid=pay-refused]")
    assert refusal.get_attribute("data-code") == "PAYER_MISMATCH"
    assert phone.locator("[data-testid=pay-confirm]").count() == 0
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY
