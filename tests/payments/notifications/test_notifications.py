"""PAY-1: the sandbox's payment and refund notifications (WeChat Pay v2 reference §4).

One notification per payment and per final refund, its body fixed when it is made (the
same bytes on every retry); the payment one is MD5-signed with the order's signing key
and wechatpy's `parse_payment_result` accepts it, the refund one carries `req_info` that
`parse_refund_notify_result` decrypts. Deliveries follow WeChat's schedule (scaled by a
policy row), go through the outbound guard, and are acknowledged only by HTTP 2xx with
return_code SUCCESS."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from wechatpy.pay import WeChatPay

from miniport.core import clock, deliveries, policy
from miniport.core.actors import Actor
from miniport.core.models import Delivery, DeliveryAttempt, DeliveryState
from miniport.core.services import policy_set_override
from miniport.payments.models import NotificationKind, PayNotification
from miniport.payments.notifications import receivers, selectors, services
from miniport.payments.sandbox import keys
from tests.core.deliveries_receivers import start_receiver
from tests.payments.notifications.support import (
    ACK,
    FAIL,
    fan_out_and_run,
    make_order,
    make_refund,
)

WECHAT_SCHEDULE = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800]
WECHAT_SCHEDULE += [21600, 21600]


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def wechatpy_for(order, *, sandbox: bool = False) -> WeChatPay:
    merchant = order.merchant
    pay = WeChatPay(order.appid, merchant.api_key, merchant.mch_id, sandbox=sandbox)
    if sandbox:
        pay._sandbox_api_key = keys.sandbox_key(merchant)
    return pay


def set_policy(key: str, value: int) -> None:
    policy_set_override(actor=Actor.system("tests"), key=key, value=value)
    policy.forget_cached()


@pytest.mark.django_db
def test_a_payment_notification_is_made_once_and_wechatpy_accepts_it():
    """PAY-1 (§4.1): the fields of a paid order, MD5-signed with the merchant's key, no
    empty element; a second call answers the same notification."""
    order = make_order(attach="a=1&b=二")
    first = services.notify_payment(order)
    again = services.notify_payment(order)
    assert first is not None and again.pk == first.pk
    assert PayNotification.objects.count() == 1
    assert first.kind == NotificationKind.PAYMENT and first.notify_url == order.notify_url
    result = wechatpy_for(order).parse_payment_result(first.body)
    assert result["out_trade_no"] == order.out_trade_no
    assert result["transaction_id"] == order.transaction_id
    assert result["total_fee"] == order.total_fee == result["cash_fee"]
    assert result["openid"] == order.openid and result["attach"] == "a=1&b=二"
    assert result["return_code"] == result["result_code"] == "SUCCESS"
    assert result["mch_id"] == order.merchant.mch_id and result["appid"] == order.appid
    assert len(result["time_end"]) == 14 and result["fee_type"] == "CNY"
    assert all(value not in (None, "") for value in result.values())
    assert "<![CDATA[]]>" not in first.body and not re.search(r"<(\w+)></\1>", first.body)


@pytest.mark.django_db
def test_a_sandbox_order_is_signed_with_the_sandbox_key():
    """PAY-1 (§3.6, §6): sandboxnew orders are notified with the sandbox signing key, which
    is what wechatpy in sandbox mode checks; the real key does not verify it."""
    from wechatpy.exceptions import InvalidSignatureException

    order = make_order(sandbox=True)
    body = services.notify_payment(order).body
    assert wechatpy_for(order, sandbox=True).parse_payment_result(body)["out_trade_no"]
    with pytest.raises(InvalidSignatureException):
        wechatpy_for(order).parse_payment_result(body)


@pytest.mark.django_db
def test_no_notify_url_means_no_notification():
    order = make_order(notify_url="")
    assert services.notify_payment(order) is None
    assert services.notify_refund(make_refund(order, notify_url="")) is None
    assert not PayNotification.objects.exists()


@pytest.mark.django_db
def test_a_refund_notification_carries_req_info_wechatpy_decrypts():
    """PAY-1 (§4.2): outer appid, mch_id, nonce_str and req_info (no sign); wechatpy
    decrypts the refund's details with the merchant's key."""
    order = make_order(total_fee=500)
    refund = make_refund(order, refund_fee=200)
    notification = services.notify_refund(refund)
    assert services.notify_refund(refund).pk == notification.pk
    assert notification.kind == NotificationKind.REFUND and notification.refund == refund
    assert "<sign>" not in notification.body
    details = wechatpy_for(order).parse_refund_notify_result(notification.body)
    assert details["out_refund_no"] == refund.out_refund_no
    assert details["refund_id"] == refund.refund_id
    assert details["refund_fee"] == 200 and details["total_fee"] == 500
    assert details["refund_status"] == "SUCCESS"
    assert details["transaction_id"] == order.transaction_id
    assert len(details["success_time"]) == 19


def test_the_retry_schedule_is_wechats_and_scales_with_the_policy(db):
    """PAY-1 (§4.3): 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h (24h04m in all),
    16 attempts; the percentage compresses it for tests and demonstrations."""
    assert [services.backoff(n) for n in range(1, 16)] == WECHAT_SCHEDULE
    assert sum(WECHAT_SCHEDULE) == 24 * 3600 + 4 * 60
    assert services.backoff(40) == 21600
    assert policy.value("pay.notify_max_attempts") == 16
    set_policy("pay.notify_schedule_percent", 10)
    assert services.backoff(1) == 1 and services.backoff(15) == 2160
    set_policy("pay.notify_schedule_percent", 0)
    assert services.backoff(4) == 0


@pytest.mark.django_db(transaction=True)
def test_a_delivery_posts_the_body_and_the_ack_marks_it_acknowledged(receiver):
    """PAY-1: the body is POSTed as XML; HTTP 200 with return_code SUCCESS acknowledges."""
    receiver.behaviour["/notify"] = (0.0, 200, ACK)
    order = make_order(notify_url=receiver.url + "/notify")
    notification = services.notify_payment(order)
    assert fan_out_and_run() == [True]
    got = receiver.at("/notify")
    assert len(got) == 1 and got[0].body == notification.body.encode()
    assert got[0].headers["Content-Type"].startswith("text/xml")
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None
    log = selectors.notification_log(notification)
    assert log.state == selectors.ACKNOWLEDGED and log.route == services.ROUTE
    assert log.recipient == str(notification.pk) and [a.number for a in log.attempts] == [1]
    assert log.attempts[0].status_code == 200 and log.attempts[0].error == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("status", "answer", "why"),
    [
        (200, b"success", "return_code SUCCESS"),
        (200, FAIL, "return_code SUCCESS"),
        (500, ACK, "HTTP error"),
        (204, b"", "return_code SUCCESS"),
    ],
    ids=["plain-text", "fail", "http-500", "empty"],
)
def test_anything_but_2xx_and_success_is_retried_on_schedule(receiver, status, answer, why):
    """PAY-1 (§4.3): no ack → the next attempt 15 s later, nothing acknowledged."""
    receiver.behaviour["/notify"] = (0.0, status, answer)
    notification = services.notify_payment(make_order(notify_url=receiver.url + "/notify"))
    assert fan_out_and_run() == [False]
    notification.refresh_from_db()
    assert notification.acknowledged_at is None
    attempt = DeliveryAttempt.objects.get()
    assert why in attempt.error and attempt.status_code == status
    assert attempt.next_retry_at - attempt.started_at == pytest.approx(
        timedelta(seconds=15), abs=timedelta(seconds=2)
    )
    log = selectors.notification_log(notification)
    assert log.state == selectors.PENDING and log.next_attempt_at == attempt.next_retry_at


@pytest.mark.django_db(transaction=True)
def test_every_retry_sends_the_same_bytes_until_acknowledged(receiver):
    """PAY-1 (§4.3): the body is fixed at creation; retries stop at the first ack."""
    import time_machine

    receiver.behaviour["/notify"] = (0.0, 503, b"busy")
    order = make_order(notify_url=receiver.url + "/notify")
    notification = services.notify_payment(order)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert fan_out_and_run() == [False]
        for wait in WECHAT_SCHEDULE[:2]:
            traveller.shift(timedelta(seconds=wait))
            assert fan_out_and_run() == [False]
        receiver.behaviour["/notify"] = (0.0, 200, ACK)
        traveller.shift(timedelta(seconds=WECHAT_SCHEDULE[2]))
        assert fan_out_and_run() == [True]
        traveller.shift(timedelta(days=2))
        assert fan_out_and_run() == []
    bodies = {r.body for r in receiver.at("/notify")}
    assert len(receiver.at("/notify")) == 4 and bodies == {notification.body.encode()}
    log = selectors.notification_log(notification)
    assert [a.number for a in log.attempts] == [1, 2, 3, 4]
    assert log.state == selectors.ACKNOWLEDGED


@pytest.mark.django_db(transaction=True)
def test_after_sixteen_attempts_the_notification_is_given_up(receiver):
    """PAY-1 (§4.3): 16 attempts (the first and 15 retries), then failed."""
    set_policy("pay.notify_schedule_percent", 0)
    receiver.behaviour["/notify"] = (0.0, 500, b"")
    notification = services.notify_payment(make_order(notify_url=receiver.url + "/notify"))
    for _ in range(20):
        fan_out_and_run()
    delivery = Delivery.objects.get(route=services.ROUTE)
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 16
    assert len(receiver.at("/notify")) == 16
    assert selectors.notification_log(notification).state == selectors.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_merchant_slower_than_the_time_limit_is_retried(receiver):
    """PAY-1 (§4.3): a timeout counts as a failed delivery."""
    set_policy("pay.notify_timeout_seconds", 1)
    receiver.behaviour["/slow"] = (2.5, 200, ACK)
    notification = services.notify_payment(make_order(notify_url=receiver.url + "/slow"))
    assert fan_out_and_run() == [False]
    attempt = DeliveryAttempt.objects.get()
    assert "time" in attempt.error and attempt.next_retry_at is not None
    notification.refresh_from_db()
    assert notification.acknowledged_at is None


@pytest.mark.django_db(transaction=True)
def test_a_private_notify_url_is_refused_unless_the_operator_allows_it(settings):
    """DESIGN security: the outbound guard refuses loopback targets; retrying cannot help."""
    settings.OUTBOUND_ALLOW_PRIVATE = False
    notification = services.notify_payment(make_order(notify_url="http://127.0.0.1:9/notify"))
    assert fan_out_and_run() == [False]
    delivery = Delivery.objects.get(route=services.ROUTE)
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    notification.refresh_from_db()
    assert notification.acknowledged_at is None


@pytest.mark.django_db(transaction=True)
def test_internal_urls_go_to_the_registered_receiver():
    """PAY-1: "internal:<name>" is delivered in-process; False is retried, True acks, and
    a name nobody registered fails at once."""
    got: list[str] = []
    answers = iter([False, True])
    receivers.register("tests-receiver", lambda body: got.append(body) or next(answers))
    try:
        set_policy("pay.notify_schedule_percent", 0)
        notification = services.notify_payment(make_order(notify_url="internal:tests-receiver"))
        assert fan_out_and_run() == [False]
        assert fan_out_and_run() == [True]
        assert got == [notification.body, notification.body]
        notification.refresh_from_db()
        assert notification.acknowledged_at is not None
    finally:
        receivers.unregister("tests-receiver")
    lost = services.notify_payment(make_order(notify_url="internal:nobody"))
    assert fan_out_and_run() == [False]
    delivery = Delivery.objects.get(recipient=str(lost.pk))
    assert delivery.state == DeliveryState.FAILED and delivery.last_error == services.NO_RECEIVER


@pytest.mark.django_db(transaction=True)
def test_a_merchants_order_never_reaches_an_internal_receiver(provision):
    """PAY-1: in-process receivers take the platform merchant's notifications only."""
    from tests.payments.notifications.support import merchant_for

    got: list[str] = []
    receivers.register("tests-receiver", lambda body: got.append(body) or True)
    try:
        merchant = merchant_for(provision("enterprise", certified=True).miniprogram)
        order = make_order(merchant, notify_url="internal:tests-receiver")
        notification = services.notify_payment(order)
        assert fan_out_and_run() == [False]
    finally:
        receivers.unregister("tests-receiver")
    assert got == []
    delivery = Delivery.objects.get(recipient=str(notification.pk))
    assert delivery.state == DeliveryState.FAILED and delivery.last_error == services.NO_RECEIVER


@pytest.mark.django_db(transaction=True)
def test_the_refund_notification_is_delivered_like_the_payment_one(receiver):
    receiver.behaviour["/refund"] = (0.0, 200, ACK)
    order = make_order(notify_url="")
    refund = make_refund(order, notify_url=receiver.url + "/refund")
    notification = services.notify_refund(refund)
    assert fan_out_and_run() == [True]
    assert receiver.at("/refund")[0].body == notification.body.encode()
    logs = selectors.notifications_of_order(order)
    assert [log.notification.kind for log in logs] == [NotificationKind.REFUND]
    assert logs[0].state == selectors.ACKNOWLEDGED


def test_the_route_is_registered_with_its_own_schedule_and_attempts():
    route = {r.name: r for r in deliveries.routes()}[services.ROUTE]
    assert route.attempts_rule == "pay.notify_max_attempts" and route.backoff is services.backoff
    assert route.matches(services.EVENT)
