"""Reads for the console's order pages: each notification of an order with its delivery
log (the core delivery and its attempts under the route `payments.notifications`,
recipient = the notification's id)."""

from __future__ import annotations

from dataclasses import dataclass, field

from miniport.core.models import Delivery, DeliveryAttempt, DeliveryState
from miniport.payments.models import Order, PayNotification
from miniport.payments.notifications.services import ROUTE

ACKNOWLEDGED, PENDING, FAILED, WAITING = "acknowledged", "pending", "failed", "waiting"


@dataclass(frozen=True)
class NotificationLog:
    """A notification and how its delivery went.

    `state`: "acknowledged" (the merchant answered SUCCESS), "pending" (retries left),
    "failed" (given up), "waiting" (not yet handed to a worker). `attempts` are the
    delivery log's rows, oldest first: number, started_at, duration_ms, status_code,
    error (empty when it got through), next_retry_at."""

    notification: PayNotification
    route: str
    recipient: str
    delivery: Delivery | None
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    state: str = WAITING

    @property
    def next_attempt_at(self):
        if self.delivery is None or self.delivery.state != DeliveryState.PENDING:
            return None
        return self.delivery.next_attempt_at


def _state(notification: PayNotification, delivery: Delivery | None) -> str:
    if notification.acknowledged_at is not None:
        return ACKNOWLEDGED
    if delivery is None:
        return WAITING
    if delivery.state == DeliveryState.FAILED:
        return FAILED
    if delivery.state == DeliveryState.DELIVERED:
        return ACKNOWLEDGED
    return PENDING


def notification_log(notification: PayNotification, *, limit: int = 50) -> NotificationLog:
    """One notification's delivery log (at most `limit` attempts, the first ones)."""
    recipient = str(notification.pk)
    delivery = Delivery.objects.filter(route=ROUTE, recipient=recipient).order_by("id").first()
    attempts: list[DeliveryAttempt] = []
    if delivery is not None:
        attempts = list(
            DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")[:limit]
        )
    return NotificationLog(
        notification=notification,
        route=ROUTE,
        recipient=recipient,
        delivery=delivery,
        attempts=attempts,
        state=_state(notification, delivery),
    )


def notifications_of_order(order: Order) -> list[NotificationLog]:
    """The payment notification and every refund notification of an order, oldest
    first, each with its delivery log."""
    rows = PayNotification.objects.filter(order=order).select_related("refund").order_by("id")
    return [notification_log(row) for row in rows]
