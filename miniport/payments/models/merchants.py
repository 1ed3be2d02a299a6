"""Merchants (PAY-1): the application of a certified mini program, its review, and the
merchant it opens, with its mch_id and its v2 API key (sealed at rest, shown once)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miniport.core.vault import SealedTextField


class MerchantApplicationState(models.TextChoices):
    UNDER_REVIEW = "under_review", _("under review")
    MATERIAL_REQUESTED = "material_requested", _("more material requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


MERCHANT_OPEN_STATES: tuple[str, ...] = (
    MerchantApplicationState.UNDER_REVIEW,
    MerchantApplicationState.MATERIAL_REQUESTED,
)


class MerchantApplication(models.Model):
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="merchant_applications"
    )
    state = models.CharField(
        max_length=20,
        choices=MerchantApplicationState.choices,
        default=MerchantApplicationState.UNDER_REVIEW,
    )
    # Business information.
    business_name = models.CharField(max_length=100)
    business_category = models.CharField(max_length=60)
    service_phone = models.CharField(max_length=20)
    contact_name = models.CharField(max_length=64)
    contact_email = models.EmailField()
    # The settlement account the money goes to; the account number is sealed at rest.
    settlement_account_name = models.CharField(max_length=100)
    settlement_bank = models.CharField(max_length=100)
    settlement_account_number = SealedTextField()
    # [{"key", "name", "file"}] like a certification's documents.
    documents = models.JSONField(default=list, blank=True)
    submitted_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    merchant = models.OneToOneField(
        "payments.Merchant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(state__in=MERCHANT_OPEN_STATES),
                name="merchant_application_one_open_per_miniprogram",
            ),
        ]

    def __str__(self) -> str:
        return f"merchant application {self.pk} ({self.state})"


class MerchantKind(models.TextChoices):
    MINIPROGRAM = "miniprogram", _("mini program merchant")
    # The platform's own merchant: it receives the certification fees.
    PLATFORM = "platform", _("platform merchant")


class MerchantState(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")


class Merchant(models.Model):
    # 10 digits, like WeChat's: wechatpy's default out_trade_no (mch_id + 14 + 4..5 digits)
    # must stay within 32 characters.
    mch_id = models.CharField(max_length=13, unique=True)
    kind = models.CharField(max_length=12, choices=MerchantKind.choices)
    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merchant",
    )
    name = models.CharField(max_length=100)
    state = models.CharField(
        max_length=12, choices=MerchantState.choices, default=MerchantState.ACTIVE
    )
    # The v2 API key (32 characters) signs every request, reply and notification. Sealed
    # at rest (core.vault); shown to the administrator once per key, after a scan.
    api_key = SealedTextField()
    key_version = models.PositiveIntegerField(default=1)
    key_set_at = models.DateTimeField()
    key_shown_at = models.DateTimeField(null=True, blank=True)
    # The `sandboxnew` signing key (getsignkey), stable per merchant and key version.
    sandbox_key = SealedTextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        # The ops desk's merchant list, newest first by keyset (issue 14 item 2).
        indexes = [models.Index(fields=["created_at", "id"], name="merchant_created_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="platform"),
                name="merchant_one_platform_merchant",
            ),
            models.CheckConstraint(
                condition=Q(kind="platform", miniprogram__isnull=True)
                | Q(kind="miniprogram", miniprogram__isnull=False),
                name="merchant_kind_matches_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.mch_id})"
