"""Plugin versions (PLG-7, PLG-8): uploads of plugin code (stored as the releases
domain's `CodePackage`, once per sha256), submissions for review on the desk, and the
released versions mini programs may load.

The database holds: at most one open submission per plugin; a version is released once,
and a version number once per plugin."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PluginVersion(models.Model):
    """One upload of a plugin developer. There is no experience version (PLG-7)."""

    plugin = models.ForeignKey("plugins.Plugin", on_delete=models.CASCADE, related_name="versions")
    package = models.ForeignKey(
        "releases.CodePackage", on_delete=models.PROTECT, related_name="plugin_versions"
    )
    user_version = models.CharField(max_length=64)
    user_desc = models.CharField(max_length=500, blank=True)
    developer_identity = models.ForeignKey(
        "identities.Identity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plugin_versions",
    )
    developer_label = models.CharField(max_length=200)
    # `releases.models.VersionSource`: console, command line, server API.
    source = models.CharField(max_length=10, default="console")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["plugin", "-uploaded_at"], name="pluginversion_time_idx")]

    def __str__(self) -> str:
        return f"{self.user_version} by {self.developer_label}"


class PluginSubmissionState(models.TextChoices):
    PENDING = "pending", _("under review")
    DELAYED = "delayed", _("review delayed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


PLUGIN_SUBMISSION_OPEN_STATES: tuple[str, ...] = (
    PluginSubmissionState.PENDING,
    PluginSubmissionState.DELAYED,
)


class PluginSubmission(models.Model):
    """A version submitted for review with its service category, tags, preview images
    and description (PLG-8); reviewed on the desk as the kind "plugin"."""

    plugin = models.ForeignKey(
        "plugins.Plugin", on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.ForeignKey(PluginVersion, on_delete=models.PROTECT, related_name="submissions")
    category_first_name = models.CharField(max_length=60)
    category_second_name = models.CharField(max_length=60)
    tags = models.JSONField(default=list, blank=True)
    # Stored names of the re-encoded preview images.
    preview_images = models.JSONField(default=list, blank=True)
    description = models.TextField()
    review = models.OneToOneField(
        "review.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plugin_submission",
    )
    state = models.CharField(
        max_length=12,
        choices=PluginSubmissionState.choices,
        default=PluginSubmissionState.PENDING,
    )
    reasons = models.JSONField(default=list, blank=True)
    submitted_by = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plugin"],
                condition=Q(state__in=PLUGIN_SUBMISSION_OPEN_STATES),
                name="plugin_submission_one_open_per_plugin",
            ),
        ]

    def __str__(self) -> str:
        return f"plugin submission {self.pk} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in PLUGIN_SUBMISSION_OPEN_STATES


class PluginRelease(models.Model):
    """An approved version put online: mini programs with an approved application may
    load it by its version number (the `plugins` of their app.json)."""

    plugin = models.ForeignKey("plugins.Plugin", on_delete=models.CASCADE, related_name="releases")
    version = models.OneToOneField(PluginVersion, on_delete=models.PROTECT, related_name="release")
    submission = models.ForeignKey(
        PluginSubmission, on_delete=models.PROTECT, related_name="releases"
    )
    user_version = models.CharField(max_length=64)
    released_by_label = models.CharField(max_length=200, blank=True)
    released_at = models.DateTimeField()

    class Meta:
        ordering = ["-released_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plugin", "user_version"], name="plugin_release_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"plugin {self.plugin_id} {self.user_version}"
