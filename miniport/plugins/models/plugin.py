"""A plugin (PLG-1..PLG-5): enabled from its owner mini program's console, with its own
AppID, basic information (PLG-3, PLG-5), service category (PLG-2), development
information (PLG-4) and the owner's policy for applications (B-9).

The owner's members and roles are the plugin's: there is no separate account.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AddMethod(models.TextChoices):
    """How a mini program finds the plugin to apply for it (PLG-5 "add method")."""

    SEARCH = "search", _("found by search and by AppID")
    APPID = "appid", _("found by its AppID only")


class ApprovalPolicy(models.TextChoices):
    """What happens to a usage application (B-9)."""

    MANUAL = "manual", _("the owner approves or refuses each application")
    AUTO = "auto", _("every application is approved at once")
    ALLOWLIST = "allowlist", _("applications from listed AppIDs are approved at once")


class Plugin(models.Model):
    # Its own AppID, never the same as a mini program's (`ids.new_appid`, checked against
    # both tables when made).
    appid = models.CharField(max_length=32, unique=True)
    # One plugin per mini program; the owner's members and roles are the plugin's.
    owner = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="plugin"
    )
    # Basic information (PLG-3, PLG-5). Names are unique among plugins.
    name = models.CharField(max_length=60, unique=True)
    avatar = models.FileField(upload_to="plugin-avatars/", blank=True)
    introduction = models.CharField(max_length=200, blank=True)
    add_method = models.CharField(
        max_length=10, choices=AddMethod.choices, default=AddMethod.SEARCH
    )
    service_contact = models.CharField(max_length=100, blank=True)
    # The service category (PLG-2): one of the owner's approved categories that the plugin
    # catalog opens; ids and names as the owner's `MiniProgramCategory` has them.
    category_first_id = models.PositiveIntegerField(null=True, blank=True)
    category_second_id = models.PositiveIntegerField(null=True, blank=True)
    category_first_name = models.CharField(max_length=60, blank=True)
    category_second_name = models.CharField(max_length=60, blank=True)
    # Development information (PLG-4): the server domains the plugin calls and the token
    # of its message push.
    server_domains = models.JSONField(default=list, blank=True)
    token = models.CharField(max_length=32, blank=True)
    # B-9: the owner's policy for usage applications and its allowlist of AppIDs.
    approval_policy = models.CharField(
        max_length=10, choices=ApprovalPolicy.choices, default=ApprovalPolicy.MANUAL
    )
    allowlist = models.JSONField(default=list, blank=True)
    enabled_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            # A category is both levels or neither.
            models.CheckConstraint(
                condition=Q(category_first_id__isnull=True, category_second_id__isnull=True)
                | Q(category_first_id__isnull=False, category_second_id__isnull=False),
                name="plugin_category_both_levels",
            ),
        ]
        indexes = [models.Index(fields=["add_method", "name"], name="plugin_search_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.appid})"
