"""Plugin payment (PLG-10): the plugin's application for payment, reviewed on the desk as
the kind "plugin_payment". An approved application is the plugin's payment permission
(FP-4)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PluginPaymentMode(models.TextChoices):
    # Goods of merchants settled in the plugin: a sub-merchant bound to the owner.
    SERVICE_PROVIDER = "service_provider", _("service provider")
    # The plugin developer's own goods and services: proof documents.
    ORDINARY = "ordinary", _("ordinary merchant")


class PluginPaymentState(models.TextChoices):
    UNDER_REVIEW = "under_review", _("under review")
    MATERIAL_REQUESTED = "material_requested", _("more material requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


PLUGIN_PAYMENT_OPEN_STATES: tuple[str, ...] = (
    PluginPaymentState.UNDER_REVIEW,
    PluginPaymentState.MATERIAL_REQUESTED,
)


class PluginPaymentApplication(models.Model):
    plugin = models.ForeignKey(
        "plugins.Plugin", on_delete=models.CASCADE, related_name="payment_applications"
    )
    mode = models.CharField(max_length=20, choices=PluginPaymentMode.choices)
    # Service-provider mode: the sub-merchant (a mch_id) bound to the owner mini program.
    sub_mch_id = models.CharField(max_length=13, blank=True)
    # Ordinary mode: the existing online service (official account, website, app, mini
    # program) and the proof of own goods ([{"key", "name", "file"}]).
    online_service = models.CharField(max_length=300, blank=True)
    documents = models.JSONField(default=list, blank=True)
    review = models.OneToOneField(
        "review.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plugin_payment_application",
    )
    state = models.CharField(
        max_length=20,
        choices=PluginPaymentState.choices,
        default=PluginPaymentState.UNDER_REVIEW,
    )
    reasons = models.TextField(blank=True)
    submitted_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plugin"],
                condition=Q(state__in=PLUGIN_PAYMENT_OPEN_STATES),
                name="plugin_payment_one_open_per_plugin",
            ),
            models.UniqueConstraint(
                fields=["plugin"],
                condition=Q(state="approved"),
                name="plugin_payment_one_approved_per_plugin",
            ),
        ]

    def __str__(self) -> str:
        return f"plugin payment application {self.pk} ({self.state})"
