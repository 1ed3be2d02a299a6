"""Open platform accounts and the mini programs bound to them (OPN-1, OPN-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Certification(models.TextChoices):
    """Developer qualification certification of an open account (OPN-1)."""

    NONE = "none", _("Not certified")
    PENDING = "pending", _("Under review")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")


class OpenAccount(models.Model):
    """An open platform account: the apps bound to it share one UnionID per user."""

    open_appid = models.CharField(max_length=32, unique=True)
    # The owner: the subject of the mini program that created it; "the same subject" is
    # the equal principal key (accounts.selectors.principal_key), stored to compare.
    subject = models.ForeignKey("accounts.Subject", on_delete=models.PROTECT, related_name="+")
    principal_key = models.CharField(max_length=100, db_index=True)
    created_by = models.ForeignKey(
        "miniprograms.MiniProgram", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made by /cgi-bin/open/create: uncertified, it still binds its subject's apps (5).
    created_by_api = models.BooleanField(default=False)
    certification = models.CharField(
        max_length=12, choices=Certification.choices, default=Certification.NONE
    )
    documents = models.JSONField(default=list, blank=True)
    reasons = models.TextField(blank=True)
    # The apps bound, counted by a conditional UPDATE so a limit holds under concurrency.
    bound_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bound_count__gte=0), name="open_account_bound_count_positive"
            )
        ]

    def __str__(self) -> str:
        return self.open_appid

    @property
    def certified(self) -> bool:
        return self.certification == Certification.CERTIFIED


class OpenBinding(models.Model):
    """One mini program bound to one open account; an app belongs to at most one."""

    open_account = models.ForeignKey(OpenAccount, on_delete=models.CASCADE, related_name="bindings")
    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="open_binding"
    )
    bound_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.miniprogram_id}→{self.open_account_id}"
