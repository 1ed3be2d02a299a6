"""CER-2, PAY-1: the platform receives the payment notifications of its certification-fee
orders (notify_url "internal:certification-fee") like a merchant: it verifies the
signature with the platform merchant's key and the amount against the order, logs every
receipt, and the first valid one moves the application from fee_unpaid to under review
(one review opened). WeChat may deliver the same notification many times, from several
servers at once: 15 deliveries, 10 of them at the same moment, change the state once; a
wrong signature or amount changes nothing and is logged. Real threads on a file SQLite
database and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest

from miniport.core import clock, deliveries, events
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import Delivery
from miniport.payments.certification import services as certification
from miniport.payments.certification.selectors import KIND
from miniport.payments.merchants.platform import platform_merchant
from miniport.payments.models import (
    CertificationApplication,
    CertificationState,
    LedgerEntry,
    LedgerKind,
    NotificationReceipt,
    PayNotification,
    ReceiptOutcome,
)
from miniport.payments.notifications import receiver, services
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.orders import order_pay
from miniport.review.models import Review
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.payments.notifications.support import fan_out_and_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fee(provision):
    """An enterprise mini program's application waiting for its fee, and the fee order
    paid by its administrator (the notification is made, not yet delivered)."""
    made = provision("enterprise")
    mp = made.miniprogram
    application = CertificationApplication.objects.create(
        miniprogram=mp,
        kind="first",
        contact_name="王经理",
        contact_phone="13800138000",
        fee_fen=30000,
        submitted_by="tests",
        created_at=clock.now(),
    )
    order = certification.certification_fee_order(
        actor=Actor.system("tests"), application=application
    )
    admin = mp.admin_identity
    assert order_pay(actor=Actor.for_identity(admin), order=order, payer=admin) is True
    order.refresh_from_db()
    notification = PayNotification.objects.get(order=order)
    assert notification.notify_url == receiver.NOTIFY_URL
    return application, order, notification


def state_of(application):
    application = CertificationApplication.objects.get(pk=application.pk)
    reviews = Review.objects.filter(kind=KIND, target_id=str(application.pk)).count()
    return application.state, application.fee_channel, application.fee_reference, reviews


def outcomes() -> list[str]:
    return sorted(NotificationReceipt.objects.values_list("outcome", flat=True))


def resigned(body: str, **changes) -> str:
    """The notification with fields changed and signed again with the platform's key."""
    fields = signing.parse_xml(body.encode())
    fields.update(changes)
    fields["sign"] = signing.sign(fields, platform_merchant().api_key)
    return signing.to_xml(fields)


def test_fifteen_deliveries_ten_at_once_change_the_application_once(fee):
    """CER-2: 10 racing receipts, the worker's delivery and 4 more: one applied, 14
    duplicates (all acknowledged), the application under review once with one review,
    and still one ORDER_PAID row in the sandbox's ledger."""
    assert_shared_database()
    application, order, notification = fee
    assert state_of(application)[0] == CertificationState.FEE_UNPAID

    # Ten servers deliver it at the same moment through the route's handler...
    events.deliver_pending()
    delivery = Delivery.objects.get(route=services.ROUTE, recipient=str(notification.pk))
    job = deliveries.Job(
        delivery_id=delivery.pk,
        event=delivery.event,
        recipient=delivery.recipient,
        attempt=1,
        max_attempts=delivery.max_attempts,
    )
    racing = run_concurrently(10, lambda _i: services.deliver(job).status_code)
    assert racing == [200] * 10, racing
    # ... then the worker's own attempt, and four more straight to the receiver.
    assert fan_out_and_run() == [True]
    assert [receiver.receive(notification.body) for _ in range(4)] == [True] * 4

    assert outcomes() == [ReceiptOutcome.APPLIED] + [ReceiptOutcome.DUPLICATE] * 14
    assert state_of(application) == (
        CertificationState.UNDER_REVIEW,
        "sandbox",
        order.transaction_id,
        1,
    )
    applied = NotificationReceipt.objects.get(outcome=ReceiptOutcome.APPLIED)
    assert applied.out_trade_no == order.out_trade_no and applied.total_fee == 30000
    assert applied.transaction_id == order.transaction_id
    paid_rows = LedgerEntry.objects.filter(order=order, kind=LedgerKind.ORDER_PAID)
    assert paid_rows.count() == 1
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None


def test_a_wrong_signature_changes_nothing_and_is_logged(fee):
    """CER-2: a body whose sign does not verify with the platform merchant's key."""
    application, _order, notification = fee
    before = state_of(application)
    forged = notification.body.replace("<sign><![CDATA[", "<sign><![CDATA[0")
    other_key = resigned(notification.body)
    fields = signing.parse_xml(other_key.encode())
    fields["sign"] = signing.sign(fields, "x" * 32)
    wrong_key = signing.to_xml(fields)
    unsigned = signing.to_xml({k: v for k, v in fields.items() if k != "sign"})
    for body in (forged, wrong_key, unsigned):
        assert receiver.receive(body) is False
    assert outcomes() == [ReceiptOutcome.BAD_SIGNATURE] * 3
    assert state_of(application) == before


def test_a_wrong_amount_changes_nothing_and_is_logged(fee):
    """CER-2: correctly signed, but total_fee is not the order's."""
    application, _order, notification = fee
    before = state_of(application)
    assert receiver.receive(resigned(notification.body, total_fee="1")) is False
    receipt = NotificationReceipt.objects.get()
    assert receipt.outcome == ReceiptOutcome.AMOUNT_MISMATCH and receipt.total_fee == 1
    assert "30000" in receipt.detail
    assert state_of(application) == before


@pytest.mark.parametrize(
    "changes",
    [{"out_trade_no": "NO_SUCH_ORDER_1"}, {"mch_id": "1999999999"}, {"transaction_id": "42" * 14}],
    ids=["unknown-out-trade-no", "other-merchant", "other-transaction"],
)
def test_a_notification_for_another_order_changes_nothing(fee, changes):
    application, _order, notification = fee
    before = state_of(application)
    assert receiver.receive(resigned(notification.body, **changes)) is False
    assert outcomes() == [ReceiptOutcome.UNKNOWN_ORDER]
    assert state_of(application) == before


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not xml",
        "<xml><a><b>1</b></a></xml>",
        "<!DOCTYPE x [<!ENTITY e 'x'>]><xml><a>&e;</a></xml>",
        "<xml><return_code>FAIL</return_code></xml>",
    ],
    ids=["empty", "text", "nested", "entity", "fail"],
)
def test_a_malformed_notification_changes_nothing_and_is_logged(fee, body):
    application, _order, _notification = fee
    before = state_of(application)
    assert receiver.receive(body) is False
    assert outcomes() == [ReceiptOutcome.MALFORMED]
    assert state_of(application) == before


def test_a_fee_for_an_application_no_longer_waiting_is_acknowledged_without_change(fee):
    """CER-2: the application was withdrawn after paying: nothing moves, logged."""
    application, _order, notification = fee
    CertificationApplication.objects.filter(pk=application.pk).update(
        state=CertificationState.WITHDRAWN
    )
    assert receiver.receive(notification.body) is True
    assert outcomes() == [ReceiptOutcome.DUPLICATE]
    assert state_of(application)[0] == CertificationState.WITHDRAWN
    assert state_of(application)[3] == 0


def test_a_remittance_over_a_fee_paid_on_the_phone_is_refused_and_the_notification_applies(
    fee,
):
    """CER-2: the fee is never taken twice. An operator cannot record a remittance for a
    fee already paid on the phone (its notification is on the way); the notification then
    starts the review as paid through the sandbox."""
    from miniport.payments.certification.errors import CertificationError
    from miniport.payments.certification.services import certification_fee_record_remittance

    application, _order, notification = fee
    before = state_of(application)
    with pytest.raises(PlatformError) as refused:
        certification_fee_record_remittance(
            actor=Actor("staff", "1", "desk@miniport.example"),
            application=application,
            reference="BANK-2024-0001",
        )
    assert refused.value.code is CertificationError.FEE_NOT_DUE
    assert state_of(application) == before
    assert fan_out_and_run() == [True]
    assert outcomes() == [ReceiptOutcome.APPLIED]
    state, channel, _reference, reviews = state_of(application)
    assert (state, channel, reviews) == (CertificationState.UNDER_REVIEW, "sandbox", 1)
