"""The sandbox's books (WeChat Pay v2): orders, refunds, the ledger of their state
changes, and the notifications sent to merchants.

Amounts are integers in fen. The database holds the money rules it can: one order per
(merchant, out_trade_no), one refund per (merchant, out_refund_no), refunds never above
the order's total, one ledger row per state change, one notification per payment and per
final refund."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SignType(models.TextChoices):
    MD5 = "MD5", "MD5"
    HMAC_SHA256 = "HMAC-SHA256", "HMAC-SHA256"


class TradeState(models.TextChoices):
    # The JSAPI states of the reference (§3.2): NOTPAY → SUCCESS → REFUND, NOTPAY → CLOSED.
    NOTPAY = "NOTPAY", _("not paid")
    SUCCESS = "SUCCESS", _("paid")
    REFUND = "REFUND", _("refund requested")
    CLOSED = "CLOSED", _("closed")


class Order(models.Model):
    merchant = models.ForeignKey(
        "payments.Merchant", on_delete=models.PROTECT, related_name="orders"
    )
    appid = models.CharField(max_length=32)
    out_trade_no = models.CharField(max_length=32)
    prepay_id = models.CharField(max_length=64, unique=True)
    # Given when the order is paid (28 digits, like WeChat's).
    transaction_id = models.CharField(max_length=32, null=True, blank=True, unique=True)
    trade_type = models.CharField(max_length=16)
    trade_state = models.CharField(
        max_length=10, choices=TradeState.choices, default=TradeState.NOTPAY
    )
    body = models.CharField(max_length=128)
    detail = models.TextField(blank=True)
    attach = models.CharField(max_length=128, blank=True)
    fee_type = models.CharField(max_length=16, default="CNY")
    total_fee = models.PositiveIntegerField()
    # The running sum of accepted refunds; the check constraint keeps it ≤ total_fee, and
    # refunds raise it with a conditional UPDATE, so concurrent refunds cannot overdraw.
    refunded_fee = models.PositiveIntegerField(default=0)
    openid = models.CharField(max_length=128, blank=True)
    device_info = models.CharField(max_length=32, blank=True)
    spbill_create_ip = models.CharField(max_length=64, blank=True)
    goods_tag = models.CharField(max_length=32, blank=True)
    product_id = models.CharField(max_length=32, blank=True)
    limit_pay = models.CharField(max_length=32, blank=True)
    notify_url = models.CharField(max_length=256)
    sign_type = models.CharField(max_length=12, choices=SignType.choices, default=SignType.MD5)
    # Made through `sandboxnew/`: signed with the merchant's sandbox key.
    sandbox = models.BooleanField(default=False)
    # A digest of the business parameters, so a re-entry with the same ones answers the
    # same prepay_id and one with others OUT_TRADE_NO_USED (§3.1).
    request_digest = models.CharField(max_length=64)
    time_start = models.DateTimeField()
    time_expire = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Payment (the identity confirmed on the phone page, or `miniport pay confirm`).
    payer = models.ForeignKey(
        "identities.Identity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    bank_type = models.CharField(max_length=16, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # The sandbox's books are apart from the live ones (wechat-pay-v2 3.6): an
            # out_trade_no is the merchant's own once in each.
            models.UniqueConstraint(
                fields=["merchant", "sandbox", "out_trade_no"], name="order_unique_out_trade_no"
            ),
            models.CheckConstraint(condition=Q(total_fee__gt=0), name="order_total_positive"),
            models.CheckConstraint(
                condition=Q(refunded_fee__lte=F("total_fee")), name="order_refunds_within_total"
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "-id"], name="order_merchant_recent_idx"),
            models.Index(fields=["appid", "-id"], name="order_appid_recent_idx"),
            models.Index(fields=["appid", "trade_state", "-id"], name="order_appid_state_idx"),
            models.Index(fields=["paid_at"], name="order_paid_at_idx"),
        ]

    def __str__(self) -> str:
        return f"order {self.out_trade_no} ({self.trade_state})"


class RefundStatus(models.TextChoices):
    PROCESSING = "PROCESSING", _("processing")
    SUCCESS = "SUCCESS", _("refunded")
    REFUNDCLOSE = "REFUNDCLOSE", _("refund closed")
    CHANGE = "CHANGE", _("refund abnormal")


class Refund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    merchant = models.ForeignKey(
        "payments.Merchant", on_delete=models.PROTECT, related_name="refunds"
    )
    out_refund_no = models.CharField(max_length=64)
    # 29 digits starting with 50, like WeChat's.
    refund_id = models.CharField(max_length=32, unique=True)
    refund_fee = models.PositiveIntegerField()
    # The order total the request named (must equal the order's; kept for the
    # idempotent re-entry check).
    total_fee = models.PositiveIntegerField()
    refund_fee_type = models.CharField(max_length=8, default="CNY")
    refund_desc = models.CharField(max_length=80, blank=True)
    refund_account = models.CharField(max_length=30, blank=True)
    notify_url = models.CharField(max_length=256, blank=True)
    status = models.CharField(
        max_length=12, choices=RefundStatus.choices, default=RefundStatus.PROCESSING
    )
    created_at = models.DateTimeField()
    # When PROCESSING becomes SUCCESS (policy: the sandbox's settlement delay).
    settle_at = models.DateTimeField()
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "out_refund_no"], name="refund_unique_out_refund_no"
            ),
            models.CheckConstraint(condition=Q(refund_fee__gt=0), name="refund_fee_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "settle_at"], name="refund_settle_due_idx"),
        ]

    def __str__(self) -> str:
        return f"refund {self.out_refund_no} ({self.status})"


class LedgerKind(models.TextChoices):
    ORDER_CREATED = "order_created", _("order created")
    ORDER_PAID = "order_paid", _("order paid")
    ORDER_CLOSED = "order_closed", _("order closed")
    REFUND_ACCEPTED = "refund_accepted", _("refund accepted")
    REFUND_SUCCEEDED = "refund_succeeded", _("refund succeeded")
    REFUND_CLOSED = "refund_closed", _("refund closed")


class LedgerEntry(models.Model):
    """One row per state change of an order or a refund. `amount_fen` moves the
    merchant's balance (+ when paid, − when a refund succeeds, 0 otherwise); a balance
    is the sum of its rows, never a stored total."""

    merchant = models.ForeignKey(
        "payments.Merchant", on_delete=models.PROTECT, related_name="ledger"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger")
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    amount_fen = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            # A state change happens once: a repeated confirmation or notification adds
            # no second row.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(refund__isnull=True),
                name="ledger_one_order_change",
            ),
            models.UniqueConstraint(
                fields=["refund", "kind"],
                condition=Q(refund__isnull=False),
                name="ledger_one_refund_change",
            ),
        ]
        indexes = [models.Index(fields=["merchant", "at"], name="ledger_merchant_day_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_fen}"


class NotificationKind(models.TextChoices):
    PAYMENT = "payment", _("payment result")
    REFUND = "refund", _("refund result")


class PayNotification(models.Model):
    """A notification to a merchant's notify_url. Its body is fixed when it is made, so
    every retry sends the same bytes; the attempts are the core delivery log's."""

    merchant = models.ForeignKey(
        "payments.Merchant", on_delete=models.PROTECT, related_name="notifications"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="notifications")
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    notify_url = models.CharField(max_length=256)
    body = models.TextField()
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="payment"),
                name="notification_one_per_payment",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=Q(kind="refund"),
                name="notification_one_per_refund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notification {self.pk}"


class ReceiptOutcome(models.TextChoices):
    APPLIED = "applied", _("applied")
    DUPLICATE = "duplicate", _("already applied")
    BAD_SIGNATURE = "bad_signature", _("signature wrong")
    AMOUNT_MISMATCH = "amount_mismatch", _("amount does not match")
    UNKNOWN_ORDER = "unknown_order", _("no such order")
    MALFORMED = "malformed", _("not a notification")


class NotificationReceipt(models.Model):
    """A payment notification the platform received as a merchant itself (the
    certification fees): every one is logged, whatever it changed."""

    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=ReceiptOutcome.choices)
    out_trade_no = models.CharField(max_length=32, blank=True)
    transaction_id = models.CharField(max_length=32, blank=True)
    total_fee = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"receipt {self.out_trade_no} ({self.outcome})"
