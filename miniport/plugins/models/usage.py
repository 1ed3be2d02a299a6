"""Usage applications (PLG-9, PLG-11, B-9): a mini program applies to use a plugin; the
owner approves or refuses within 24 hours, or its policy answers at once.

An application still "applying" after `plugin.application_answer_hours` is timed out:
that is computed when read (WeChat's status 4), and written as EXPIRED only when a later
action needs the row closed (a new application, a deletion). The database holds one live
(applying or approved) application per plugin and mini program."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PluginApplicationStatus(models.TextChoices):
    APPLYING = "applying", _("applying")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    EXPIRED = "expired", _("timed out")
    UNBOUND = "unbound", _("unbound")


APPLICATION_LIVE_STATES: tuple[str, ...] = (
    PluginApplicationStatus.APPLYING,
    PluginApplicationStatus.APPROVED,
)


class PluginApplication(models.Model):
    plugin = models.ForeignKey(
        "plugins.Plugin", on_delete=models.CASCADE, related_name="applications"
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="plugin_applications"
    )
    status = models.CharField(
        max_length=10,
        choices=PluginApplicationStatus.choices,
        default=PluginApplicationStatus.APPLYING,
    )
    reason = models.CharField(max_length=500, blank=True)
    refuse_reason = models.CharField(max_length=500, blank=True)
    applied_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    decided_by = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Approved by the owner's policy (B-9), not by a person.
    decided_by_policy = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plugin", "miniprogram"],
                condition=Q(status__in=APPLICATION_LIVE_STATES),
                name="plugin_application_one_live_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["plugin", "status", "-created_at"], name="pluginapp_owner_idx"),
            models.Index(
                fields=["miniprogram", "status", "-created_at"], name="pluginapp_user_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.miniprogram_id} -> plugin {self.plugin_id} ({self.status})"
