"""Certification applications (CER-1, CER-2): documents, the 300 CNY fee, the review."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miniport.core.vault import SealedTextField


class CertificationKind(models.TextChoices):
    FIRST = "first", _("first certification")
    RENEWAL = "renewal", _("renewal")


class CertificationState(models.TextChoices):
    # Submitted with its documents; the review starts once the fee is paid.
    FEE_UNPAID = "fee_unpaid", _("waiting for the fee")
    UNDER_REVIEW = "under_review", _("under review")
    # The reviewer asked for more material; the applicant adds it and review goes on.
    MATERIAL_REQUESTED = "material_requested", _("more material requested")
    APPROVED = "approved", _("certified")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The states of an application still in progress: at most one per mini program.
CERTIFICATION_OPEN_STATES: tuple[str, ...] = (
    CertificationState.FEE_UNPAID,
    CertificationState.UNDER_REVIEW,
    CertificationState.MATERIAL_REQUESTED,
)


class FeeChannel(models.TextChoices):
    SANDBOX = "sandbox", _("paid through the payment sandbox")
    REMITTANCE = "remittance", _("bank remittance recorded by an operator")


class CertificationApplication(models.Model):
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        related_name="certification_applications",
    )
    kind = models.CharField(max_length=10, choices=CertificationKind.choices)
    state = models.CharField(
        max_length=20, choices=CertificationState.choices, default=CertificationState.FEE_UNPAID
    )
    # The documents the subject type asks for: [{"key", "name", "file"}], `file` being the
    # stored file's name; the reviewer opens them from the desk.
    documents = models.JSONField(default=list, blank=True)
    contact_name = models.CharField(max_length=64)
    contact_phone = SealedTextField()
    # The fee (CER-2): its amount when applied, how and when it was paid.
    fee_fen = models.PositiveIntegerField()
    fee_order = models.OneToOneField(
        "payments.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certification_application",
    )
    fee_channel = models.CharField(max_length=12, choices=FeeChannel.choices, blank=True)
    fee_reference = models.CharField(max_length=64, blank=True)
    fee_paid_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        # The ops desk's fee list by state (waiting for the fee), newest first by keyset
        # (issue 14 item 2).
        indexes = [models.Index(fields=["state", "id"], name="certification_state_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(state__in=CERTIFICATION_OPEN_STATES),
                name="certification_one_open_per_miniprogram",
            ),
            models.CheckConstraint(condition=Q(fee_fen__gt=0), name="certification_fee_positive"),
        ]

    def __str__(self) -> str:
        return f"certification {self.pk} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in CERTIFICATION_OPEN_STATES
